/**
 * What actually happened when an AWS call failed, in words: AWS answered with an error, the
 * endpoint could not be reached (refused, unresolvable, timed out), or no credentials could be
 * loaded. Only the first is "AWS said ...".
 */
export interface FailureText {
  message: string;
  hint: string;
}

interface NetworkErrorShape {
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
  errors?: NetworkErrorShape[];
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPROTO: 'TLS handshake failed',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'DNS lookup failed',
};

/** SDK service errors carry $metadata; credential problems come from the provider chain; sockets fail with a code. */
export function isAwsFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return '$metadata' in err || /^(CredentialsProviderError|ProviderError|TokenProviderError|TimeoutError)$/.test(err.name) || networkCode(err) !== undefined;
}

export function describeAwsFailure(err: Error, env: NodeJS.ProcessEnv): FailureText {
  const endpoint = env.AWS_ENDPOINT_URL;
  const network = networkCode(err);
  if (network || err.name === 'TimeoutError') {
    const shape = firstNetworkError(err);
    const where = shape?.hostname ?? (shape?.address ? `${shape.address}${shape.port ? `:${shape.port}` : ''}` : endpoint ?? 'the AWS endpoint');
    const what = network ? NETWORK_CODES[network] : 'timed out';
    return {
      message: `could not connect to ${where} (${what})`,
      hint: endpoint
        ? `AWS_ENDPOINT_URL is ${endpoint}: is that endpoint running and reachable?`
        : 'check the network (VPN, proxy, DNS) and the region in the descriptor',
    };
  }
  if (/^(CredentialsProviderError|ProviderError|TokenProviderError)$/.test(err.name)) {
    return { message: `could not load AWS credentials: ${err.message}`, hint: credentialsHint() };
  }
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (err.name === 'Unknown' || err.name === 'UnknownError') {
    return {
      message: `the endpoint answered HTTP ${status ?? '?'} with no AWS error in it`,
      hint: endpoint ? `AWS_ENDPOINT_URL is ${endpoint}: is it an AWS endpoint (e.g. moto_server)?` : 'check the region in the descriptor and any proxy between here and AWS',
    };
  }
  return { message: `AWS said ${err.name}: ${err.message}`, hint: awsHint(err.name) };
}

function awsHint(name: string): string {
  if (/Credentials|Provider|ExpiredToken|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch/.test(name)) return credentialsHint();
  if (/AccessDenied|Unauthorized/.test(name)) return 'these credentials lack a permission shipper needs (see README "Permissions")';
  return 'check the region, the network and the endpoint (AWS_ENDPOINT_URL)';
}

function credentialsHint(): string {
  return 'check your AWS credentials (aws sts get-caller-identity; --profile; aws sso login)';
}

function networkCode(err: Error): string | undefined {
  const code = firstNetworkError(err)?.code;
  return code && code in NETWORK_CODES ? code : undefined;
}

/** Node reports a failed dual-stack connect as an AggregateError of one error per address. */
function firstNetworkError(err: Error): NetworkErrorShape | undefined {
  const shape = err as NetworkErrorShape;
  if (shape.code && shape.code in NETWORK_CODES && (shape.address || shape.hostname)) return shape;
  const inner = shape.errors?.find((e) => e.code && e.code in NETWORK_CODES);
  return inner ?? (shape.code ? shape : undefined);
}
