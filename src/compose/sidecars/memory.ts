/** A sidecar's memory limit and reservation: the descriptor's, else its defaults.yml values. */
import type { ContainerMemory } from '../containers.js';
import type { SidecarDefaults } from './files.js';

export function sidecarMemory(settings: { memoryMiB?: number; memoryReservationMiB?: number }, defaults: SidecarDefaults): ContainerMemory {
  const limitMiB = settings.memoryMiB ?? defaults.number('memoryMiB');
  // A reservation above a lowered limit is refused by docker: keep the default one below it.
  const reservationMiB = settings.memoryReservationMiB ?? Math.min(defaults.number('memoryReservationMiB'), limitMiB);
  return { limitMiB, reservationMiB };
}

/** Custom sidecars have no defaults file: a limit keeps one leaking sidecar from starving the app. */
export const CUSTOM_SIDECAR_MEMORY_MIB = 256;
