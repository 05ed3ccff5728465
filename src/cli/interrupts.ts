/**
 * Ctrl-C and SIGTERM (Buildkite cancelling a job). Before anything changed, an interrupt just
 * stops. Once the update runs, the first one cancels it (CloudFormation rolls back) and shipper
 * follows the rollback; a second one leaves at once and CloudFormation finishes alone.
 */
import type { Reporter, ShipperEvent } from '../report/events.js';
import { InterruptedError } from '../errors.js';
import { reportError, type OutputMode } from './errors-to-exit.js';
import type { CliIo } from './io.js';

export interface Interrupts {
  interrupt: AbortSignal;
  detach: AbortSignal;
  /** Wraps a reporter so interrupts know when the operation has started. */
  watch(reporter: Reporter): Reporter;
  /**
   * For a command that must clean up before it stops (plan deletes its change set): the first
   * interrupt aborts `interrupt` for the command to finish up; a second one leaves at once.
   */
  cleanUpOnInterrupt(): void;
  dispose(): void;
}

export function installInterrupts(io: CliIo, exitNow: (code: number) => void, mode: OutputMode = {}): Interrupts {
  const interrupt = new AbortController();
  const detach = new AbortController();
  let operationRunning = false;
  let cleanUp = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!operationRunning && !cleanUp) {
      io.stderr.write('\n');
      exitNow(reportError(new InterruptedError(`${signal}: stopped before any change was made`), io, mode));
      return;
    }
    // The reason says what cancelled the update (Ctrl-C or SIGTERM) on the failure screen.
    if (!interrupt.signal.aborted) interrupt.abort(signal);
    else if (!operationRunning) {
      io.stderr.write(`\n${signal} again: leaving now\n`);
      exitNow(130);
    } else {
      io.stderr.write(`\n${signal} again: leaving now; CloudFormation finishes the operation by itself\n`);
      detach.abort();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    interrupt: interrupt.signal,
    detach: detach.signal,
    watch(reporter) {
      return {
        emit(event: ShipperEvent) {
          if (event.type === 'operation.started') operationRunning = true;
          reporter.emit(event);
        },
        close: () => reporter.close(),
        pause: () => reporter.pause?.(),
      };
    },
    cleanUpOnInterrupt() {
      cleanUp = true;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
