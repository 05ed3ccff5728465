/**
 * `--no-bake`: an emergency fix goes live as soon as its group is healthy, without the
 * monitoring time or the alarms. On a protected environment that is a decision to state, so it
 * needs --yes (refused before any AWS call otherwise), and the release history records it.
 */
import { bakeSettings } from '../descriptor/bake-schema.js';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { BadInputError } from '../errors.js';
import type { BakeRecord } from '../releases/record.js';
import type { ShipperEvent } from '../report/events.js';
import type { BakePlan } from './plan.js';

export function refuseUnconfirmedSkip(req: { target: ServiceEnvironment; noBake?: boolean; yes?: boolean }): void {
  if (!req.noBake || !req.target.service.protected || req.yes) return;
  throw new BadInputError({
    path: '--no-bake',
    message: `environment "${req.target.env}" is protected: skipping its bake needs --yes`,
    hint: 'pass --no-bake --yes to go live without the bake (recorded in the release history), or deploy without --no-bake; nothing was changed',
  });
}

/** What the release history keeps of a bake; undefined when the service has none to run or skip. */
export function bakeRecord(target: ServiceEnvironment, plan: BakePlan, skipped?: boolean): BakeRecord | undefined {
  if (!bakeSettings(target.service)) return undefined;
  if (skipped) return 'skipped';
  return { minutes: plan.minutes, alarms: plan.alarms.map((a) => a.name) };
}

/** The plan summary's bake (minutes, guards, what guards only the next deploy); nothing for a service without one. */
export function bakeSummary(target: ServiceEnvironment, plan: BakePlan, skipped?: boolean): { bake?: NonNullable<Extract<ShipperEvent, { type: 'plan.summary' }>['bake']> } {
  if (!bakeSettings(target.service)) return {};
  return {
    bake: {
      minutes: plan.minutes,
      alarms: plan.alarms.map(({ name, origin }) => ({ name, origin })),
      notYetGuarding: plan.notYetGuarding,
      skipped: Boolean(skipped),
    },
  };
}
