/** One CloudFormation stack event as shipper reports it: the same row for a deploy, a watch and a destroy. */
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import type { ShipperEvent } from '../report/events.js';

export function stackEventReport(e: StackEvent, operationStartedAt: Date, isStack: boolean, now: Date): Extract<ShipperEvent, { type: 'stack.event' }> {
  const timestamp = e.Timestamp ?? now;
  return {
    type: 'stack.event',
    eventId: e.EventId ?? '',
    timestamp,
    elapsedSeconds: Math.max(0, Math.round((timestamp.getTime() - operationStartedAt.getTime()) / 1000)),
    logicalId: e.LogicalResourceId ?? '',
    resourceType: e.ResourceType ?? '',
    status: e.ResourceStatus ?? '',
    reason: e.ResourceStatusReason,
    isStack,
  };
}
