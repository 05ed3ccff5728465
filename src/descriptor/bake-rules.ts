/**
 * Rules across the keys of a bake, as CloudFormation documents rollback triggers: the alarms
 * must be in the stack's region, and a stack takes at most five triggers (declared alarms plus
 * shipper's default ones).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_RollbackConfiguration.html
 */
import { defaultAlarmKinds, targetGroupDimensions } from '../compose/bake-alarms.js';
import { ALARM_ARN, alarmNameOf, bakeSettings } from './bake-schema.js';
import type { ResolvedService } from './schema.js';
import type { KeyPath } from './source.js';

/** A RuleProblem (service-rules.ts), spelled out here so the two files do not import each other. */
interface RuleProblem {
  path: KeyPath;
  message: string;
  expected?: string;
  hint?: string;
}

/** RollbackConfiguration.RollbackTriggers: "Maximum number of 5 items". */
export const MAX_ROLLBACK_TRIGGERS = 5;

export function bakeProblems(service: ResolvedService, written: (path: KeyPath) => boolean): RuleProblem[] {
  const bake = bakeSettings(service);
  if (!bake) return [];
  const problems: RuleProblem[] = [];
  const seen = new Map<string, number>();
  bake.alarms.forEach((reference, i) => {
    const arn = ALARM_ARN.exec(reference);
    if (arn && arn[2] !== service.region) {
      problems.push({
        path: ['bake', 'alarms', i],
        message: `alarm ${alarmNameOf(reference)} is in ${arn[2]}, but the stack is in ${service.region}; CloudFormation watches only alarms in the stack's region`,
        hint: `create the alarm in ${service.region} (a CloudWatch alarm can watch a metric of another region only through cross-region metric math), or name one that is`,
      });
    }
    const name = alarmNameOf(reference);
    const first = seen.get(name);
    if (first !== undefined) {
      problems.push({ path: ['bake', 'alarms', i], message: `alarm ${name} is named twice (first as bake.alarms[${first}])`, hint: 'name each alarm once' });
    } else {
      seen.set(name, i);
    }
  });
  const defaults = defaultAlarmKinds(service).length;
  if (bake.alarms.length + defaults > MAX_ROLLBACK_TRIGGERS) {
    problems.push({
      path: ['bake', 'alarms'],
      message: `${bake.alarms.length} alarms${defaults ? ` plus shipper's ${defaults} default alarms` : ''} make ${bake.alarms.length + defaults} rollback triggers; CloudFormation takes at most ${MAX_ROLLBACK_TRIGGERS}`,
      expected: `at most ${MAX_ROLLBACK_TRIGGERS - defaults} alarms`,
      hint: defaults ? 'combine alarms into a composite alarm, or set bake.defaultAlarms: false' : 'combine alarms into a composite alarm',
    });
  }
  const dimensions = targetGroupDimensions(service);
  if (bake.defaultAlarms && 'missing' in dimensions && written(['bake', 'defaultAlarms'])) {
    problems.push({
      path: ['bake', 'defaultAlarms'],
      message: `shipper cannot make its default alarms for this service: ${dimensions.missing}`,
      hint: 'name alarms of your own in bake.alarms and set bake.defaultAlarms: false (or let shipper create the target group: network.loadBalancer.listenerArn and rule)',
    });
  }
  return problems;
}
