import type { ResolvedService } from '../../descriptor/schema.js';

/** What the sidecars are composed from: the resolved service and where it is deployed. */
export interface SidecarInput {
  service: ResolvedService;
  /** Environment name, e.g. `test`. */
  env: string;
  stackName: string;
  /** A short-lived instance's name (`--instance`): its own log groups beside the main stack's. */
  instance?: string;
  region: string;
  accountId: string;
  /** Where the sidecar defaults and templates live; the copy shipped with shipper by default. */
  sidecarsDir?: string;
}

/** The app container's name, which is also its DNS name on the instance's Docker network. */
export const APP_CONTAINER_NAME = 'app';

/** Where a container's rendered config files live on the instance. */
export function hostConfigPath(container: string, file: string): string {
  return `/etc/shipper/${container}/${file}`;
}
