/**
 * cfn-lint findings as shipper's input problems: short (an enum of 900 instance types becomes
 * "not an EC2 instance type cfn-lint knows", with the nearest ones), located where the user
 * must fix it (the descriptor key shipper built the value from, or the fragment's line), and
 * capped so the whole report fits on a screen.
 */
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { editDistance } from '../descriptor/suggest.js';
import type { InputProblem } from '../errors.js';
import type { LintFinding } from './cfn-lint.js';

/** More than this many problems no longer fit on a screen; the rest are counted. */
const MAX_PROBLEMS = 8;
/** A message longer than this is an enumeration or a dump, not an explanation. */
const MAX_MESSAGE = 200;

/** Template paths shipper builds from one descriptor key, and what the value must be. */
const DESCRIPTOR_KEYS: Array<{ path: RegExp; key: string; what?: string }> = [
  { path: /^Resources\.LaunchTemplate\.Properties\.LaunchTemplateData\.InstanceType$/, key: 'instance.type', what: 'an EC2 instance type' },
  { path: /^Resources\.LaunchTemplate\.Properties\.LaunchTemplateData\.ImageId/, key: 'instance.ami' },
  { path: /^Resources\.LaunchTemplate\.Properties\.LaunchTemplateData\.KeyName/, key: 'instance.keyName' },
  { path: /^Resources\.LaunchTemplate\.Properties\.LaunchTemplateData\.BlockDeviceMappings/, key: 'instance.rootVolumeGiB' },
  { path: /^Resources\.AutoScalingGroup\.Properties\.VPCZoneIdentifier/, key: 'network.subnets' },
  { path: /^Resources\.AutoScalingGroup\.Properties\.(Min|Max|Desired)/, key: 'capacity' },
  { path: /^Resources\.InstanceSecurityGroup\.Properties\.VpcId/, key: 'network.vpcId' },
  { path: /^Resources\.TargetGroup\.Properties\.HealthCheck/, key: 'healthCheck' },
  { path: /^Resources\.ListenerRule\./, key: 'network.loadBalancer.rule' },
  { path: /^Resources\.DnsRecord\./, key: 'network.dns' },
  { path: /^Resources\.ScheduledAction/, key: 'scheduledActions' },
];

export function lintProblems(errors: LintFinding[], target: ServiceEnvironment): InputProblem[] {
  const problems = errors.slice(0, MAX_PROBLEMS).map((finding) => lintProblem(finding, target));
  if (errors.length > MAX_PROBLEMS) {
    problems.push({ message: `… and ${errors.length - MAX_PROBLEMS} more cfn-lint errors`, hint: 'see them all with: shipper render --env ENV -o template.yml && cfn-lint template.yml' });
  }
  return problems;
}

function lintProblem(finding: LintFinding, target: ServiceEnvironment): InputProblem {
  const rule = `cfn-lint ${finding.rule} at ${finding.path || 'the template'}`;
  const enumeration = parseEnumeration(finding.message);
  const fromFragment = fragmentLocation(finding.path, target);
  if (fromFragment) {
    return { location: fromFragment, path: finding.path, message: `cfn-lint ${finding.rule}: ${shorten(finding.message, enumeration)}`, hint: nearestHint(enumeration) };
  }
  const known = DESCRIPTOR_KEYS.find((k) => k.path.test(finding.path));
  if (known) {
    const located = target.locateKey?.(known.key.split('.')) ?? { file: target.descriptorPath };
    const message =
      enumeration && known.what
        ? `"${enumeration.value}" is not ${known.what} cfn-lint knows in ${target.service.region} (${rule})`
        : `cfn-lint ${finding.rule}: ${shorten(finding.message, enumeration)} (at ${finding.path})`;
    const nearest = nearestHint(enumeration);
    return { location: located, path: known.key, message, hint: `check ${known.key}${nearest ? `; ${nearest}` : ''}` };
  }
  return {
    location: { file: 'rendered template' },
    path: finding.path || undefined,
    message: `cfn-lint ${finding.rule}: ${shorten(finding.message, enumeration)}`,
    hint: "shipper built this from the descriptor: check the keys it comes from (see `shipper render`), and report it if they look right",
  };
}

interface Enumeration {
  value: string;
  allowed: string[];
}

/** cfn-lint's "'x' is not one of ['a', 'b', …]" (and "… is not one of" inside a longer message). */
function parseEnumeration(message: string): Enumeration | undefined {
  const m = /^'([^']*)' is not one of \[(.*)\]/s.exec(message);
  if (!m) return undefined;
  return { value: m[1]!, allowed: [...m[2]!.matchAll(/'([^']*)'/g)].map((x) => x[1]!) };
}

function shorten(message: string, enumeration: Enumeration | undefined): string {
  if (enumeration && enumeration.allowed.length > 6) return `'${enumeration.value}' is not one of the ${enumeration.allowed.length} values cfn-lint accepts here`;
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
}

/** "did you mean t3.large or t3.xlarge?" from the allowed values nearest the typo, else the family's values. */
function nearestHint(enumeration: Enumeration | undefined): string | undefined {
  if (!enumeration || enumeration.allowed.length <= 6) return undefined;
  const word = enumeration.value.toLowerCase();
  const nearest = enumeration.allowed
    .map((candidate) => ({ candidate, distance: editDistance(word, candidate.toLowerCase()) }))
    .filter((c) => c.distance <= Math.max(2, Math.ceil(word.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map((c) => c.candidate);
  if (!nearest.length) {
    // No near typo: name the family instead (`t3.huge` → the t3 sizes).
    const family = /^([^.]+\.)/.exec(enumeration.value)?.[1];
    const members = family ? enumeration.allowed.filter((a) => a.startsWith(family)) : [];
    return members.length && members.length <= 12 ? `the ${family!.slice(0, -1)} family has ${members.join(', ')}` : undefined;
  }
  return `did you mean ${nearest.length === 1 ? nearest[0] : `${nearest.slice(0, -1).join(', ')} or ${nearest[nearest.length - 1]}`}?`;
}

/** A finding inside something the fragment defines is fixed in the fragment, at its line. */
function fragmentLocation(findingPath: string, target: ServiceEnvironment): { file: string; line?: number; column?: number } | undefined {
  const fragment = target.fragment;
  if (!fragment) return undefined;
  const [section, id, ...rest] = findingPath.split('.');
  if (!section || !id) return undefined;
  const defined = fragment.template[section];
  if (!defined || typeof defined !== 'object' || !Object.hasOwn(defined, id)) return undefined;
  return fragment.locate([section, id, ...rest.map((part) => (/^\d+$/.test(part) ? Number(part) : part))]);
}
