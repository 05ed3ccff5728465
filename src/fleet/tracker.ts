/**
 * Remembers, from one service's event stream, what its line in the summary needs: the release
 * number, whether its update started, and the failure report's root cause. Passes every event on.
 */
import type { FailureReport, Reporter, ShipperEvent } from '../report/events.js';

export class ServiceTracker implements Reporter {
  release?: number;
  operationStarted = false;
  failure?: FailureReport;

  constructor(private readonly next: Reporter) {}

  emit(event: ShipperEvent): void {
    if (event.type === 'release.recorded') this.release = event.number;
    else if (event.type === 'operation.started') this.operationStarted = true;
    else if (event.type === 'deploy.failed') this.failure = event.report;
    this.next.emit(event);
  }

  close(): void {
    this.next.close();
  }

  pause(): void {
    this.next.pause?.();
  }
}
