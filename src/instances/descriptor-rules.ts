/**
 * Where short-lived instances may be declared, checked offline with the descriptor: never in a
 * protected environment, and only where an instance can be told apart from the main service on
 * the load balancer (a listener rule of its own, on a host name of its own).
 */
import type { ResolvedService } from '../descriptor/schema.js';

/** The shape of the descriptor's rule problems (service-rules.ts), a key path inside the resolved service. */
interface RuleProblem {
  path: string[];
  message: string;
  expected?: string;
  hint?: string;
}

export function instanceRuleProblems(service: ResolvedService): RuleProblem[] {
  if (!service.instances) return [];
  if (service.protected) {
    return [
      {
        path: ['instances'],
        message: 'a protected environment cannot have short-lived instances',
        expected: 'instances only in an unprotected environment (e.g. test)',
        hint: 'move instances: to an environment such as test, or drop protected: true here',
      },
    ];
  }
  const lb = service.network.loadBalancer;
  if (lb?.targetGroupArn) {
    return [
      {
        path: ['instances'],
        message: 'with network.loadBalancer.targetGroupArn an instance would join the main service\'s target group and take its traffic',
        expected: 'network.loadBalancer.listenerArn with a rule, so each instance gets a target group and a rule of its own',
        hint: 'use listenerArn and rule instead of targetGroupArn, or drop instances: here',
      },
    ];
  }
  if (lb?.listenerArn && !service.instances.dnsName && !service.network.dns && !lb.rule?.hostHeader) {
    return [
      {
        path: ['instances'],
        message: 'an instance needs a host name of its own for its listener rule',
        expected: 'instances.dnsName (e.g. "{instance}.hello.test.example.com"), network.dns.name or network.loadBalancer.rule.hostHeader',
        hint: 'without one, an instance\'s rule would match the main service\'s requests',
      },
    ];
  }
  return [];
}
