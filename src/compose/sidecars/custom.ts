/** A service's own sidecars (`sidecars.custom`): run as declared, logging through the router. */
import { BadInputError } from '../../errors.js';
import type { CustomSidecar } from '../../descriptor/schema.js';
import type { SidecarContribution } from '../containers.js';
import { CUSTOM_SIDECAR_MEMORY_MIB } from './memory.js';

export function customSidecar(sidecar: CustomSidecar): SidecarContribution {
  return {
    container: {
      name: sidecar.name,
      image: sidecar.image,
      files: [],
      mounts: [],
      publish: sidecar.ports.map((port): [number, number] => [port, port]),
      environment: { ...sidecar.environment },
      ...(sidecar.command ? { command: [...sidecar.command] } : {}),
      memory: { limitMiB: sidecar.memoryMiB ?? CUSTOM_SIDECAR_MEMORY_MIB, ...(sidecar.memoryReservationMiB !== undefined ? { reservationMiB: sidecar.memoryReservationMiB } : {}) },
      logsToRouter: true,
    },
    // A custom sidecar gets no AWS permissions of its own; it shares the instance role's.
    iamStatements: [],
    resources: {},
  };
}

/**
 * Custom sidecars share the instance's container names and host ports with the app and the
 * built-in sidecars; a clash would make `docker run` fail on every instance, so refuse it here.
 */
export function checkCustomSidecars(custom: CustomSidecar[], takenNames: string[], takenPorts: Map<number, string>): void {
  const names = new Set(takenNames);
  const ports = new Map(takenPorts);
  custom.forEach((sidecar, index) => {
    if (names.has(sidecar.name)) {
      throw new BadInputError({
        path: `sidecars.custom.${index}.name`,
        message: `a container named "${sidecar.name}" already runs on every instance`,
        expected: `a name other than ${[...names].join(', ')}`,
      });
    }
    names.add(sidecar.name);
    for (const port of sidecar.ports) {
      const owner = ports.get(port);
      if (owner !== undefined) {
        throw new BadInputError({ path: `sidecars.custom.${index}.ports`, message: `host port ${port} is already published by ${owner}` });
      }
      ports.set(port, sidecar.name);
    }
  });
}
