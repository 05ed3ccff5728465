/** The release history of the session's service and environment, and who is deploying. */
import { provenance, type Provenance } from '../releases/provenance.js';
import { ReleaseStore } from '../releases/store.js';
import type { CliIo } from './io.js';
import type { Session } from './session.js';

export function releaseStore(session: Session): ReleaseStore {
  return new ReleaseStore(session.ctx.clients.ssm, session.ctx.clock, session.target.service.service, session.target.env, session.target.instance?.name);
}

export function whoIsDeploying(io: CliIo, options: { commit?: string; branch?: string }): (callerArn?: string) => Provenance {
  return (callerArn) => provenance(io.env, io.cwd, options, callerArn);
}
