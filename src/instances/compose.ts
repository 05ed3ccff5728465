/**
 * What an instance's template has that the main stack's does not: the listener rule's priority
 * as a parameter (chosen at deploy time from the listener's free priorities, so `render` shows
 * it unset) and the instance's URL among the outputs.
 */
import type { InstanceTarget } from './target.js';
import { LogicalIds, type CfnTemplate } from '../compose/template.js';

/** The stack parameter that carries the instance's listener rule priority; a redeploy reads it back to keep it. */
export const LISTENER_RULE_PRIORITY_PARAMETER = 'ListenerRulePriority';

export function withInstance(template: CfnTemplate, instance: InstanceTarget): CfnTemplate {
  const rule = template.Resources[LogicalIds.listenerRule];
  const parameters = { ...template.Parameters };
  const resources = { ...template.Resources };
  if (rule?.Properties) {
    parameters[LISTENER_RULE_PRIORITY_PARAMETER] = {
      Type: 'Number',
      Description: "The instance's listener rule priority: a free one on the listener, chosen at deploy time and kept by later deploys",
      MinValue: 1,
      MaxValue: 50000,
    };
    resources[LogicalIds.listenerRule] = { ...rule, Properties: { ...rule.Properties, Priority: { Ref: LISTENER_RULE_PRIORITY_PARAMETER } } };
  }
  const metadata = template.Metadata?.Shipper as Record<string, unknown> | undefined;
  return {
    ...template,
    Description: template.Description.replace(/^(\S+) \(([^)]+)\)/, `$1 (${'$2'}, instance ${instance.name})`),
    Metadata: { ...template.Metadata, Shipper: { ...metadata, Instance: instance.name } },
    Parameters: parameters,
    Resources: resources,
    Outputs: {
      ...template.Outputs,
      ...(instance.hostName ? { InstanceUrl: { Description: `URL of the instance ${instance.name}`, Value: `https://${instance.hostName}/` } } : {}),
    },
  };
}
