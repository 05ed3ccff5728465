import { BadInputError, ExitCode, NeedsAttentionError, type ExitCodeValue } from '../../errors.js';
import { destroyExpired } from '../../instances/destroy-expired.js';
import { destroyOne, type DestroyOptions } from '../../instances/destroy.js';
import type { DestroyOutcome } from '../../report/destroy-outcome.js';
import { terminalAsker } from '../ask.js';
import type { CliIo } from '../io.js';
import { openSession, type CliDependencies, type SessionOptions } from '../session.js';

export interface DestroyCommandOptions extends SessionOptions {
  instance?: string;
  main?: boolean;
  expired?: boolean;
  yes?: boolean;
  allowProtected?: boolean;
  waitBusy?: boolean;
  keepLogs?: boolean;
  keepHistory?: boolean;
}

export async function destroyCommand(options: DestroyCommandOptions, io: CliIo, deps: CliDependencies): Promise<ExitCodeValue> {
  const chosen = [options.instance !== undefined && '--instance', options.main && '--main', options.expired && '--expired'].filter(Boolean);
  if (chosen.length !== 1) {
    throw new BadInputError({
      path: chosen.length ? chosen.join(' and ') : undefined,
      message: chosen.length ? 'choose one of them' : 'nothing to destroy was named',
      expected: 'one of --instance NAME, --expired, or --main (the environment\'s own stack)',
      hint: `shipper destroy --env ${options.env} --instance pr-123`,
    });
  }
  // The session is the environment's: the instance to delete is found among its stacks, so one
  // left behind after the environment stopped allowing instances can still be removed.
  const session = await openSession({ ...options, instance: undefined }, io, deps);
  session.cleanUpOnInterrupt();
  return session.run(async () => {
    const { ctx, target } = session;
    const askText =
      deps.askText ??
      (ctx.confirm && !deps.confirm
        ? async (question: string) => {
            session.reporter.pause?.();
            const asker = terminalAsker();
            try {
              return await asker.ask(question);
            } finally {
              asker.close();
            }
          }
        : undefined);
    const destroyOptions: DestroyOptions = {
      yes: options.yes,
      allowProtected: options.allowProtected,
      noWaitBusy: options.waitBusy === false,
      keepLogs: options.keepLogs,
      keepHistory: options.keepHistory,
      askText,
    };
    if (options.expired) {
      const run = await destroyExpired(ctx, target, destroyOptions);
      const failed = run.outcomes.filter((o) => o.finalStatus !== 'DELETE_COMPLETE');
      if (failed.length > 0) throw notDeleted(failed, `${failed.length} of ${run.outcomes.length} expired instance(s) could not be deleted`);
      return ExitCode.ok;
    }
    const what = options.main ? { main: true as const } : { instance: options.instance! };
    const outcome = await destroyOne(ctx, { target, what, ...destroyOptions });
    if (outcome.finalStatus !== 'DELETE_COMPLETE') throw notDeleted([outcome], `${outcome.stackName} is ${outcome.finalStatus}`);
    return ExitCode.ok;
  });
}

function notDeleted(outcomes: DestroyOutcome[], message: string): NeedsAttentionError {
  const steps = outcomes.flatMap((o) => o.nextSteps);
  return new NeedsAttentionError(message, { hint: steps.length ? steps.join('\n') : undefined });
}
