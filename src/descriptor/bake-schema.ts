/**
 * The descriptor's `bake`: how long CloudFormation keeps an update open after the new group is
 * in service (the old group kept warm) and which CloudWatch alarms roll it back meanwhile.
 * Ranges are CloudFormation's (RollbackConfiguration: MonitoringTimeInMinutes 0 to 180, at most
 * five rollback triggers) and CloudWatch's (alarm names of 1 to 255 characters).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_RollbackConfiguration.html
 */
import { z } from 'zod';

/** `arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME` (any partition). */
export const ALARM_ARN = /^arn:(aws[a-z-]*):cloudwatch:([a-z0-9-]+):(\d{12}):alarm:(.{1,255})$/;

/** An alarm's name, from its name or its ARN. */
export function alarmNameOf(reference: string): string {
  return ALARM_ARN.exec(reference)?.[4] ?? reference;
}

const alarmReference = z.string().superRefine((value, ctx) => {
  if (value.startsWith('arn:')) {
    if (!ALARM_ARN.test(value)) ctx.addIssue({ code: 'custom', message: 'must be a CloudWatch alarm ARN (arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME) or an alarm name' });
    return;
  }
  // CloudWatch: AlarmName is 1 to 255 characters, and no control characters.
  if (value.length < 1 || value.length > 255 || /[\u0000-\u001f\u007f]/.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be a CloudWatch alarm name (1 to 255 printable characters) or an alarm ARN' });
  }
});

/** The default alarms' thresholds; each default alarm evaluates one-minute periods. */
export const bakeThresholdsSchema = z
  .strictObject({
    /** Percentage of the target group's requests answered 5xx by the targets, per minute, above which a minute breaches. */
    target5xxPercent: z.number().gt(0).max(100).default(5),
    /** Breaching minutes that put the 5xx alarm in ALARM… */
    target5xxMinutes: z.number().int().min(1).max(60).default(2),
    /** …out of this many recent minutes. */
    target5xxOutOfMinutes: z.number().int().min(1).max(60).default(3),
    /** Unhealthy targets in the service's target group above which a minute breaches (0: any unhealthy target). */
    unhealthyHosts: z.number().int().min(0).default(0),
    /** Consecutive breaching minutes that put the unhealthy-hosts alarm in ALARM. */
    unhealthyMinutes: z.number().int().min(1).max(60).default(2),
  })
  .refine((t) => t.target5xxMinutes <= t.target5xxOutOfMinutes, {
    message: 'target5xxMinutes must not exceed target5xxOutOfMinutes (M out of N minutes)',
    path: ['target5xxMinutes'],
  });

export const bakeSchema = z.strictObject({
  /** Minutes CloudFormation watches the alarms after the new group is in service, before the old group is deleted (0 to 180). */
  minutes: z.number().int().min(0).max(180).default(10),
  /** Alarms of your own (names or ARNs, in the stack's region) that roll the deploy back when they go to ALARM. */
  alarms: z.array(alarmReference).default([]),
  /** shipper's own alarms for a service behind a load balancer: target 5xx share and unhealthy hosts. */
  defaultAlarms: z.boolean().default(true),
  thresholds: bakeThresholdsSchema.prefault({}),
});

/**
 * Not a union with `false`: a union's error names no key, and an environment turns a bake off
 * by overriding it with one that does nothing (`{minutes: 0, alarms: [], defaultAlarms: false}`).
 */
export const bakeFieldSchema = bakeSchema.optional();

export type BakeSettings = z.output<typeof bakeSchema>;
export type BakeThresholds = z.output<typeof bakeThresholdsSchema>;

/** The service's bake, or undefined when it has none: never declared, or one that does nothing (no minutes, no alarms). */
export function bakeSettings(service: { bake?: BakeSettings }): BakeSettings | undefined {
  const bake = service.bake;
  if (!bake || (bake.minutes === 0 && bake.alarms.length === 0 && !bake.defaultAlarms)) return undefined;
  return bake;
}
