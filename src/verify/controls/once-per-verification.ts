import type { AccountSettingsPort, IamInventory } from '../../domain/ports/account-settings';
import type { ControlContext } from '../verifier';

const reads = new WeakMap<ControlContext, Map<string, Promise<unknown>>>();

/**
 * `read` done once per verification under `key`: every control of one verification shares the same
 * context object, so the controls that need the same fact make one AWS call for it. A failed read
 * is not kept (the next control reads again).
 */
export function oncePerVerification<T>(ctx: ControlContext, key: string, read: () => Promise<T>): Promise<T> {
  let byKey = reads.get(ctx);
  if (!byKey) reads.set(ctx, (byKey = new Map<string, Promise<unknown>>()));
  const found = byKey.get(key);
  if (found) return found as Promise<T>;
  const value = read();
  byKey.set(key, value);
  value.catch(() => byKey.delete(key));
  return value;
}

/**
 * The account's IAM users and own managed policies, read once per verification (IAM-1, IAM-2 and
 * the permissions boundary all need them: one request instead of three).
 */
export const iamInventory = (ctx: ControlContext, port: AccountSettingsPort): Promise<IamInventory> =>
  oncePerVerification(ctx, 'iam-inventory', () => port.getIamInventory());

/** The account's parent (OU or root), read once per verification. */
export const accountParent = (ctx: ControlContext): Promise<string> =>
  oncePerVerification(ctx, 'parent', () => ctx.aws.organizations.getParentId(ctx.target.accountId));

/** The SCPs attached to the account itself, read once per verification. */
export const accountScps = (ctx: ControlContext): Promise<Array<{ id: string; name: string }>> =>
  oncePerVerification(ctx, 'account-scps', () =>
    ctx.aws.organizations.listPoliciesForTarget(ctx.target.accountId, 'SERVICE_CONTROL_POLICY'),
  );
