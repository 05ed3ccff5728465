/**
 * The simulated AWS account: CloudFormation, Auto Scaling, ECR, STS and SSM sharing one clock,
 * with scripted instances, fault injection and a call counter. `clients()` hands out the narrow
 * interfaces the deploy engine uses; everything else here is for the test that drives it.
 *
 *   const cloud = new SimCloud({ account: '123456789012', region: 'eu-west-1' });
 *   cloud.ecr.addImage('hello', 'v1', 'sha256:…');
 *   cloud.scriptInstances([{ signal: 'SUCCESS', afterSeconds: 206 }]);
 *   const clients = cloud.clients();   // and cloud.clock as the deploy's Clock
 */
import type * as sts from '@aws-sdk/client-sts';
import type { AwsClients } from '../../src/aws/api.js';
import { CallCounter } from './calls.js';
import { SimCloudFormation } from './cloudformation.js';
import { FakeClock } from './clock.js';
import { SimEcr } from './ecr.js';
import { FaultInjector } from './faults.js';
import { ApiThrottle } from './throttle.js';
import { AWS_THROTTLE_RATES, type ThrottleRate } from './throttle-rates.js';
import { AutoScalingService, type GroupMutation, type InstanceScript, type LaunchFailureScript } from './instances.js';
import { SimRandom } from './random.js';
import type { SimWorld } from './resource-work.js';
import { seedStack, type SeedOptions, type SeededStack } from './seed.js';
import { SimSsm } from './ssm.js';
import { SimLogs } from './logs.js';
import { SimLoadBalancing } from './load-balancing.js';
import { SimCloudWatch } from './alarms.js';
import { FIXTURE_TIMINGS, type Timings } from './timings.js';
import type { ApiLatency } from './latency.js';

export interface SimCloudOptions {
  account?: string;
  region?: string;
  /** Simulated wall-clock start. */
  start?: Date | string;
  seed?: number;
  timings?: Partial<Timings>;
  callerArn?: string;
  /** Each API call takes this long in simulated time (see latency.ts); instant when unset. */
  apiLatency?: ApiLatency;
  /**
   * Throttle calls as AWS does (token buckets, throttle-rates.ts): `true` for AWS's rates, a
   * table of rates, or an ApiThrottle shared with other simulated accounts or Regions.
   */
  throttle?: boolean | Readonly<Record<string, ThrottleRate>> | ApiThrottle;
  /** Time moves only when every task waits (see FakeClock.runConcurrently): for many deploys at once. */
  concurrent?: boolean;
}

/** What an instance does when no script is queued: signal SUCCESS when the fixture's did. */
export const DEFAULT_INSTANCE_SCRIPT: InstanceScript = { signal: 'SUCCESS', afterSeconds: 206 };

export class SimCloud {
  readonly account: string;
  readonly region: string;
  readonly clock: FakeClock;
  readonly random: SimRandom;
  readonly timings: Timings;
  readonly calls = new CallCounter();
  readonly faults = new FaultInjector();
  /** AWS's request throttling; absent unless asked for (SimCloudOptions.throttle). */
  readonly throttle?: ApiThrottle;
  readonly autoScaling: AutoScalingService;
  readonly cloudFormation: SimCloudFormation;
  readonly ecr: SimEcr;
  readonly ssm: SimSsm;
  readonly logs: SimLogs;
  /** Shared listeners and their rules' priorities. */
  readonly loadBalancing: SimLoadBalancing;
  readonly cloudWatch: SimCloudWatch;
  callerArn: string;
  apiLatency?: ApiLatency;
  defaultInstanceScript: InstanceScript = DEFAULT_INSTANCE_SCRIPT;
  /** Where failing instances write their boot log; the simulated CloudWatch Logs unless a test points it elsewhere (moto). */
  bootLogSink?: (logGroup: string, instanceId: string, lines: string[]) => void;
  private readonly instanceScripts: InstanceScript[] = [];
  /** Scripts for one stack's instances only (several stacks deploying at once). */
  private readonly stackInstanceScripts = new Map<string, InstanceScript[]>();

  constructor(opts: SimCloudOptions = {}) {
    this.account = opts.account ?? '123456789012';
    this.region = opts.region ?? 'eu-west-1';
    this.clock = new FakeClock(opts.start);
    if (opts.concurrent) this.clock.runConcurrently();
    if (opts.throttle instanceof ApiThrottle) this.throttle = opts.throttle;
    else if (opts.throttle) this.throttle = new ApiThrottle(() => this.clock.nowMs(), opts.throttle === true ? AWS_THROTTLE_RATES : opts.throttle);
    this.random = new SimRandom(opts.seed);
    this.timings = { ...FIXTURE_TIMINGS, ...opts.timings };
    this.callerArn = opts.callerArn ?? `arn:aws:sts::${this.account}:assumed-role/deployer/buildkite`;
    this.apiLatency = opts.apiLatency;
    this.autoScaling = new AutoScalingService(this.clock, this.random, this.region, this.account);
    this.autoScaling.instanceInServiceSeconds = this.timings.instanceInServiceSeconds;
    this.loadBalancing = new SimLoadBalancing(this.random);
    const world: SimWorld = {
      clock: this.clock,
      random: this.random,
      autoScaling: this.autoScaling,
      timings: this.timings,
      nextInstanceScript: (stackName) => (stackName ? this.stackInstanceScripts.get(stackName)?.shift() : undefined) ?? this.instanceScripts.shift() ?? this.defaultInstanceScript,
      loadBalancing: this.loadBalancing,
      writeBootLog: (group, instanceId, lines) => (this.bootLogSink ? this.bootLogSink(group, instanceId, lines) : this.logs.createGroup(group).putLines(group, `boot/${instanceId}`, lines)),
    };
    this.cloudFormation = new SimCloudFormation(world, this.region, this.account);
    this.ecr = new SimEcr(this.clock, this.account);
    this.logs = new SimLogs(this.clock);
    this.cloudWatch = new SimCloudWatch(this.clock, this.region, this.account);
    this.cloudFormation.alarms = this.cloudWatch;
    this.ssm = new SimSsm(this.clock, this.region, this.account, () => this.callerArn);
  }

  /** The next launched instances behave like this, in order; after that, the default script. */
  scriptInstances(scripts: InstanceScript[]): this {
    this.instanceScripts.push(...scripts.map((s) => ({ ...s })));
    return this;
  }

  /** The next instances launched for this stack behave like this, whatever other stacks launch meanwhile. */
  scriptInstancesOf(stackName: string, scripts: InstanceScript[]): this {
    const queue = this.stackInstanceScripts.get(stackName) ?? [];
    queue.push(...scripts.map((s) => ({ ...s })));
    this.stackInstanceScripts.set(stackName, queue);
    return this;
  }

  /** EC2 refuses launches (vCPU limit, missing AMI, permissions) for this many attempts. */
  failLaunches(script: LaunchFailureScript): this {
    this.autoScaling.scriptLaunchFailure(script);
    return this;
  }

  /** The next failed operation cannot roll this resource back (UPDATE_ROLLBACK_FAILED / ROLLBACK_FAILED). */
  failRollbackOf(logicalId: string, reason: string): this {
    this.cloudFormation.rollbackFailure = { logicalId, reason };
    return this;
  }

  /** DeleteStack of this stack fails on this resource (DELETE_FAILED with this reason). */
  failDeletionOf(stackName: string, logicalId: string, reason: string): this {
    this.cloudFormation.deletionFailures.set(stackName, { logicalId, reason });
    return this;
  }

  /** Stack events per DescribeStackEvents page. */
  setEventPageSize(size: number): this {
    this.cloudFormation.eventPageSize = size;
    return this;
  }

  /** A stack as a previous successful deploy left it: resources, a serving group with instances, history. */
  seedStack(opts: SeedOptions): SeededStack {
    return seedStack(this, opts);
  }

  /** Every recorded change to a group (or to all groups). */
  groupMutations(groupName?: string): GroupMutation[] {
    return groupName === undefined ? [...this.autoScaling.audit] : this.autoScaling.mutationsOf(groupName);
  }

  /** The clients a deploy uses: every call is counted, may meet an injected fault or throttling, and returns a copy. */
  clients(): AwsClients {
    const getCallerIdentity = async (): Promise<sts.GetCallerIdentityCommandOutput> =>
      ({ Account: this.account, Arn: this.callerArn, UserId: 'AROAEXAMPLEID:buildkite' }) as sts.GetCallerIdentityCommandOutput;
    return {
      cloudFormation: this.wrap('cloudFormation', this.cloudFormation, [
        'describeStacks',
        'describeStackEvents',
        'describeStackResources',
        'createChangeSet',
        'describeChangeSet',
        'executeChangeSet',
        'deleteChangeSet',
        'cancelUpdateStack',
        'deleteStack',
        'listStacks',
      ]),
      autoScaling: this.wrap('autoScaling', this.autoScaling, ['describeAutoScalingGroups', 'describeScalingActivities']),
      ecr: this.wrap('ecr', this.ecr, ['describeImages']),
      sts: this.wrap('sts', { getCallerIdentity }, ['getCallerIdentity']),
      ssm: this.wrap('ssm', this.ssm, ['putParameter', 'getParameter', 'getParameterHistory', 'deleteParameters']),
      logs: this.wrap('logs', this.logs, ['getLogEvents']),
      elbv2: this.wrap('elbv2', this.loadBalancing, ['describeRules', 'describeTargetHealth']),
      cloudWatch: this.wrap('cloudWatch', this.cloudWatch, ['describeAlarms']),
    } as unknown as AwsClients;
  }

  private wrap(service: string, target: object, methods: string[]): Record<string, (input: unknown, options?: unknown) => Promise<unknown>> {
    const client: Record<string, (input: unknown, options?: unknown) => Promise<unknown>> = {};
    for (const method of methods) {
      const call = `${service}.${method}`;
      const impl = (target as Record<string, (input: unknown) => Promise<unknown>>)[method]!.bind(target);
      client[method] = async (input: unknown, options?: unknown) => {
        const latency = this.apiLatency?.(call) ?? 0;
        const requestMs = Math.floor(latency / 2);
        if (latency > 0) await this.clock.pass(requestMs);
        this.calls.record(call, this.clock.nowMs());
        try {
          this.faults.check(call);
          this.throttle?.check(call, this.account, this.region);
          // A copy, so a caller can never reach into (or be surprised by) simulated state; call
          // options (an abort signal) are passed as they are.
          return structuredClone(await (impl as (i: unknown, o?: unknown) => Promise<unknown>)(structuredClone(input ?? {}), options));
        } finally {
          if (latency > 0) await this.clock.pass(latency - requestMs);
        }
      };
    }
    return client;
  }
}
