/** `shipper list`: the main stack and every instance of the environment, one row each. Pure. */
import type { EnvironmentListing } from '../instances/listing.js';
import { formatExpiry, formatSpan } from '../instances/expiry.js';
import { styleStatus, type Style } from './style.js';
import { alignColumns } from './table.js';
import { formatTimestamp } from './time.js';

export function formatEnvironmentTable(listing: EnvironmentListing, now: Date, style: Style): string[] {
  const lines: string[] = [];
  if (listing.stacks.length === 0) {
    lines.push(`No stack of ${listing.service} in ${listing.env}: neither ${listing.stackName} nor any instance exists.`);
  } else {
    const header = ['NAME', 'STACK', 'STATUS', 'RELEASE', 'AGE', 'OWNER', 'BRANCH', 'EXPIRES'].map((h) => style.dim(h));
    const rows = listing.stacks.map((s) => {
      const release = s.live ? [s.live.release !== undefined ? `#${s.live.release}` : '', s.live.tag ?? s.live.digest?.slice(0, 19) ?? ''].filter(Boolean).join(' ') : '-';
      const expiry = s.instance === undefined ? '-' : formatExpiry(s, now);
      return [
        s.instance === undefined ? style.bold(s.name) : s.name,
        s.stackName,
        styleStatus(s.status, style),
        release,
        s.createdAt ? formatSpan((now.getTime() - s.createdAt.getTime()) / 1000) : '-',
        s.owner ?? '-',
        s.branch ?? '-',
        s.expired ? style.bad(expiry) : expiry,
      ];
    });
    lines.push(...alignColumns([header, ...rows]));
    const expired = listing.stacks.filter((s) => s.expired).length;
    if (expired > 0) lines.push('', `${expired} expired; remove ${expired === 1 ? 'it' : 'them'} with: shipper destroy --env ${listing.env} --expired`);
  }
  for (const f of listing.foreign) {
    const like = f.stackName === listing.stackName ? `the main stack of ${listing.service} in ${listing.env}` : `an instance of ${listing.service}`;
    lines.push(style.pending(`Warning: ${f.stackName} is named like ${like} but is not one (${f.reason}); shipper leaves it alone.`));
  }
  for (const w of listing.warnings) lines.push(style.pending(`Warning: ${w}`));
  lines.push(style.dim(`Times in UTC; now ${formatTimestamp(now)}.`));
  return lines;
}
