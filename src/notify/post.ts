/** One JSON POST whose failure is a short reason, never a URL (a URL may carry a credential). */
export class DeliveryError extends Error {}

export async function postJson(
  fetch: typeof globalThis.fetch,
  url: string,
  body: unknown,
  signal: AbortSignal,
  headers: Record<string, string> = {},
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'User-Agent': 'shipper', ...headers }, body: JSON.stringify(body), signal });
  } catch (err) {
    throw new DeliveryError(signal.aborted ? 'no answer in time' : connectionProblem(err));
  }
  let text: string;
  try {
    text = await response.text();
  } catch (err) {
    throw new DeliveryError(signal.aborted ? 'no answer in time' : connectionProblem(err));
  }
  if (!response.ok) throw new DeliveryError(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${excerpt(text)}`);
  return text;
}

/** undici reports "fetch failed" with the real reason (refused, closed by the other side) as its cause. */
function connectionProblem(err: unknown): string {
  // Duck-typed: errors from another realm (undici's own) are not `instanceof Error` here.
  const outer = err as { message?: string; cause?: { message?: string; code?: string } } | undefined;
  const cause = outer?.cause?.message ? outer.cause : outer;
  const code = (cause as { code?: string } | undefined)?.code;
  const message = cause?.message ?? String(err);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (!oneLine) return '';
  return `: ${oneLine.length > 120 ? `${oneLine.slice(0, 119)}…` : oneLine}`;
}
