/** Where an instance keeps its release history: beside the environment's own, under `instances/<instance>`. */
import { historyParameterNames } from '../releases/store.js';

export function instanceHistoryParameterNames(service: string, env: string, instance: string): { releases: string; outcomes: string } {
  return historyParameterNames(service, env, instance);
}
