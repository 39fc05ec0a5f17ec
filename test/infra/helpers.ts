import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

/** The slice of a synthesized CloudFormation resource the infra tests read. */
export interface CfnResource {
  Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON.
  Properties: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
}

/** Logical id of the L1 resource behind an L2 construct, as the template names it. */
export function logicalIdOf(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

export function resourcesOfType(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

/** The one resource with this logical id and type; fails loudly when it is missing. */
export function resource(template: Template, type: string, id: string): CfnResource {
  const found = resourcesOfType(template, type)[id];
  if (!found) throw new Error(`no ${type} ${id} in the template`);
  return found;
}

export const ref = (id: string) => ({ Ref: id });
export const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

/**
 * Every statement that reaches a role: inline policies on the role and every AWS::IAM::Policy that
 * lists it (grants and event sources each may add their own).
 */
export function statementsOfRole(template: Template, roleId: string): PolicyStatement[] {
  const role = resource(template, 'AWS::IAM::Role', roleId);
  const inline = (role.Properties.Policies ?? []).flatMap(
    (p: { PolicyDocument: { Statement: PolicyStatement[] } }) => p.PolicyDocument.Statement,
  );
  const attached = Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles ?? []).some((r: unknown) => sameJson(r, ref(roleId))))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as PolicyStatement[]);
  return [...inline, ...attached];
}

/** The role a Lambda function runs as (`Role: { Fn::GetAtt: [roleId, 'Arn'] }`). */
export function roleIdOfFunction(fn: CfnResource): string {
  const roleId = fn.Properties.Role?.['Fn::GetAtt']?.[0];
  if (typeof roleId !== 'string') throw new Error('function role is not a role in this stack');
  return roleId;
}

export function actionsOf(statement: PolicyStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: PolicyStatement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** Allowed actions, optionally only those granted on a resource equal to `on`. */
export function allowedActions(statements: PolicyStatement[], on?: unknown): string[] {
  return statements
    .filter((s) => s.Effect === 'Allow')
    .filter((s) => on === undefined || resourcesOf(s).some((r) => sameJson(r, on)))
    .flatMap(actionsOf);
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
