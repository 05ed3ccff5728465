#!/usr/bin/env python3
"""moto_server, with change sets that report and apply what CloudFormation's do.

moto (5.x) models change sets loosely, in three ways that matter to a deploy tool:
- a change set lists only resources whose template text changed, so a release that changes
  only a parameter (the image digest) shows no changes, where CloudFormation shows every
  resource that uses the parameter as modified;
- executing one does not resolve the template's Outputs (a stack created from a change set
  has none; an updated one keeps the old ones);
- nor does it record the new parameter values on the stack, so the next identical change set
  is not recognised as empty; and it keeps the stack's change sets, which CloudFormation
  deletes once one of them is executed.
This launcher adds those steps to moto's own, then runs moto_server with the same flags:

    python3 examples/local/moto_server.py -H 127.0.0.1 -p 5000
"""
from moto.cloudformation.models import Change, ChangeSet, CloudFormationBackend
from moto.server import main

_diff = ChangeSet.diff
_execute_change_set = CloudFormationBackend.execute_change_set


def _uses(node, names):
    """True when a template node refers to one of `names` (Ref, Fn::GetAtt or ${} in Fn::Sub)."""
    if isinstance(node, list):
        return any(_uses(item, names) for item in node)
    if not isinstance(node, dict):
        return False
    if node.get("Ref") in names:
        return True
    get_att = node.get("Fn::GetAtt")
    if get_att is not None:
        target = get_att[0] if isinstance(get_att, list) else str(get_att).split(".")[0]
        if target in names:
            return True
    sub = node.get("Fn::Sub")
    text = sub[0] if isinstance(sub, list) else sub
    if isinstance(text, str) and any("${" + name + "}" in text for name in names):
        return True
    return any(_uses(value, names) for value in node.values())


def diff(self):
    changes = _diff(self)
    if self.change_set_type != "UPDATE":
        return changes
    previous = self.stack.parameters or {}
    changed = {key for key, value in self.parameters.items() if previous.get(key) != value}
    listed = {change.logical_resource_id for change in changes}
    resources = self.template_dict.get("Resources") or {}
    # Follow the change through resources that use a modified one, as CloudFormation does.
    while changed:
        modified = {
            logical_id
            for logical_id, resource in resources.items()
            if logical_id not in listed and _uses(resource.get("Properties"), changed)
        }
        for logical_id in sorted(modified):
            changes.append(Change(action="Modify", logical_resource_id=logical_id, resource_type=resources[logical_id]["Type"]))
        listed |= modified
        changed = modified
    return changes


def _find_change_set(backend, change_set_name, stack_name):
    if change_set_name in backend.change_sets:
        return backend.change_sets[change_set_name]
    for change_set in backend.change_sets.values():
        stack = change_set.stack
        if change_set.change_set_name == change_set_name and stack_name in (None, stack.name, stack.stack_id):
            return change_set
    return None


def execute_change_set(self, change_set_name, stack_name=None):
    _execute_change_set(self, change_set_name, stack_name)
    change_set = _find_change_set(self, change_set_name, stack_name)
    stack = self.stacks[change_set.stack_id]
    stack._parse_template()
    stack.output_map = stack._create_output_map()
    stack.parameters = change_set.parameters
    for change_set_id in [key for key, other in self.change_sets.items() if other.stack_id == stack.stack_id]:
        del self.change_sets[change_set_id]


ChangeSet.diff = diff
CloudFormationBackend.execute_change_set = execute_change_set

if __name__ == "__main__":
    main()
