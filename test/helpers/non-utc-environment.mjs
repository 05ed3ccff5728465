/**
 * A jest environment that runs its test file in a time zone far from UTC (India: +05:30, so a
 * slip into local time changes both the hour and the minutes). Node picks up a new TZ as soon as
 * process.env.TZ is assigned; the test sandbox's own process.env is a copy, so this has to
 * happen here, in the worker itself, and is undone afterwards for the files that follow.
 */
import { TestEnvironment } from 'jest-environment-node';

export const NON_UTC_ZONE = 'Asia/Kolkata';

export default class NonUtcEnvironment extends TestEnvironment {
  async setup() {
    this.savedZone = process.env.TZ;
    process.env.TZ = NON_UTC_ZONE;
    await super.setup();
  }

  async teardown() {
    if (this.savedZone === undefined) delete process.env.TZ;
    else process.env.TZ = this.savedZone;
    await super.teardown();
  }
}
