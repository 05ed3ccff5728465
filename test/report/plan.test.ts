import { describe, expect, it } from '@jest/globals';
import type { ShipperEvent } from '../../src/report/events.js';
import { formatPlan, planAction, shortDigest } from '../../src/report/plan.js';
import { digest } from './scenarios.js';

type PlanSummary = Extract<ShipperEvent, { type: 'plan.summary' }>;

function plan(overrides: Partial<PlanSummary> = {}): PlanSummary {
  return {
    type: 'plan.summary',
    stackName: 'hello-test',
    create: false,
    changes: [
      { logicalId: 'LaunchTemplate', resourceType: 'AWS::EC2::LaunchTemplate', action: 'Modify', replacement: 'False' },
      { logicalId: 'AutoScalingGroup', resourceType: 'AWS::AutoScaling::AutoScalingGroup', action: 'Modify', replacement: 'True' },
      { logicalId: 'AlarmHighCpu', resourceType: 'AWS::CloudWatch::Alarm', action: 'Add', replacement: undefined },
      { logicalId: 'OldQueue', resourceType: 'AWS::SQS::Queue', action: 'Remove', replacement: undefined },
      { logicalId: 'TargetGroup', resourceType: 'AWS::ElasticLoadBalancingV2::TargetGroup', action: 'Modify', replacement: 'Conditional' },
    ],
    groupReplaced: true,
    image: { oldTag: '1.4.0', oldDigest: digest('1'), newTag: '1.5.0', newDigest: `sha256:0123456789ab${'f'.repeat(52)}` },
    capacity: { desired: 2, liveDesired: 5, signals: 5 },
    ...overrides,
  };
}

describe('formatPlan', () => {
  it('counts added, modified, replaced and removed resources', () => {
    expect(formatPlan(plan())[0]).toBe('Update stack hello-test: 1 added, 1 modified, 2 replaced, 1 removed');
  });

  it('lists each resource with its action in aligned columns', () => {
    const rows = formatPlan(plan()).slice(1, 6);
    expect(rows).toEqual([
      '  modify       LaunchTemplate    AWS::EC2::LaunchTemplate',
      '  replace      AutoScalingGroup  AWS::AutoScaling::AutoScalingGroup',
      '  add          AlarmHighCpu      AWS::CloudWatch::Alarm',
      '  remove       OldQueue          AWS::SQS::Queue',
      '  may replace  TargetGroup       AWS::ElasticLoadBalancingV2::TargetGroup',
    ]);
  });

  it('says plainly that the group is replaced, at what size, and that the old one keeps serving', () => {
    expect(formatPlan(plan()).join('\n')).toContain(
      'The Auto Scaling group is REPLACED: a new group is created at 5 instances; the old one keeps serving until the new one is healthy',
    );
  });

  it('shows the image tag and short digest, old → new', () => {
    expect(formatPlan(plan()).join('\n')).toContain('Image: 1.4.0 (111111111111) → 1.5.0 (0123456789ab)');
  });

  it('states the capacity carry-over with both numbers', () => {
    expect(formatPlan(plan()).join('\n')).toContain(
      "Capacity: the live group runs 5 instances; the new group starts at 5, not the descriptor's 2.",
    );
  });

  it('describes a first deploy without an old release or carry-over', () => {
    const text = formatPlan(
      plan({ create: true, image: { newTag: '1.0.0', newDigest: digest('c') }, capacity: { desired: 2, signals: 2 } }),
    ).join('\n');
    expect(text).toContain('Create stack hello-test');
    expect(text).toContain('The Auto Scaling group is created at 2 instances');
    expect(text).toContain('1.0.0 (cccccccccccc) (first release)');
    expect(text).not.toContain('REPLACED');
    expect(text).not.toContain('Capacity:');
  });

  it('counts the replaced group as replaced, as CloudFormation lists it as a plain "Modify"', () => {
    // What CloudFormation says for a new image: the launch template and the group are modified.
    const changes: PlanSummary['changes'] = [
      { logicalId: 'LaunchTemplate', resourceType: 'AWS::EC2::LaunchTemplate', action: 'Modify', replacement: 'False' },
      { logicalId: 'AutoScalingGroup', resourceType: 'AWS::AutoScaling::AutoScalingGroup', action: 'Modify', replacement: 'False' },
      { logicalId: 'ScheduledActionScaleIn', resourceType: 'AWS::AutoScaling::ScheduledAction', action: 'Modify', replacement: 'False' },
    ];
    const lines = formatPlan(plan({ changes }));
    expect(lines[0]).toBe('Update stack hello-test: 0 added, 2 modified, 1 replaced, 0 removed');
    expect(lines).toContain('  replace  AutoScalingGroup        AWS::AutoScaling::AutoScalingGroup');
    expect(lines.join('\n')).toContain('The Auto Scaling group is REPLACED');
  });

  it('lists the group as replaced even when the change set does not name it', () => {
    const changes: PlanSummary['changes'] = [{ logicalId: 'LaunchTemplate', resourceType: 'AWS::EC2::LaunchTemplate', action: 'Modify', replacement: 'False' }];
    const lines = formatPlan(plan({ changes }));
    expect(lines[0]).toBe('Update stack hello-test: 0 added, 1 modified, 1 replaced, 0 removed');
    expect(lines[2]).toMatch(/^ {2}replace {2}AutoScalingGroup +AWS::AutoScaling::AutoScalingGroup$/);
  });

  it('leaves the group as CloudFormation says when it is not replaced, or the stack is created', () => {
    const changes: PlanSummary['changes'] = [{ logicalId: 'AutoScalingGroup', resourceType: 'AWS::AutoScaling::AutoScalingGroup', action: 'Modify', replacement: 'False' }];
    expect(formatPlan(plan({ changes, groupReplaced: false }))[0]).toBe('Update stack hello-test: 0 added, 1 modified, 0 replaced, 0 removed');
    const created: PlanSummary['changes'] = [{ logicalId: 'AutoScalingGroup', resourceType: 'AWS::AutoScaling::AutoScalingGroup', action: 'Add', replacement: undefined }];
    expect(formatPlan(plan({ changes: created, create: true }))[0]).toBe('Create stack hello-test: 1 added, 0 modified, 0 replaced, 0 removed');
  });

  it('warns when the image changes but the group would not be replaced', () => {
    const text = formatPlan(plan({ groupReplaced: false })).join('\n');
    expect(text).toContain('The Auto Scaling group is not replaced');
    expect(text).toContain('no instance would run the new image');
  });
});

describe('plan helpers', () => {
  it('shortDigest keeps the first 12 hex characters', () => {
    expect(shortDigest(`sha256:abcdef012345${'0'.repeat(52)}`)).toBe('abcdef012345');
    expect(shortDigest('abcdef0123456789')).toBe('abcdef012345');
  });

  it('planAction follows CloudFormation replacement answers', () => {
    const base = { logicalId: 'X', resourceType: 'T' };
    expect(planAction({ ...base, action: 'Modify', replacement: 'True' })).toBe('replace');
    expect(planAction({ ...base, action: 'Modify', replacement: 'Conditional' })).toBe('may replace');
    expect(planAction({ ...base, action: 'Modify', replacement: 'False' })).toBe('modify');
  });
});

describe('formatPlan capacity', () => {
  it('starts a group that scaled in below the descriptor at the descriptor\'s size, and says so', () => {
    const text = formatPlan(plan({ capacity: { desired: 2, liveDesired: 1, signals: 2 } })).join('\n');
    expect(text).toContain('a new group is created at 2 instances');
    expect(text).toContain("Capacity: the live group runs 1 instance; the new group starts at the descriptor's 2.");
  });
});
