import { awsError, jsonResponse, type AwsCall } from './protocol';
import { oneAtATime, passThrough, type Behaviour, type BehaviourContext, type Handled } from './upstream';

type Json = Record<string, unknown>;
const STATUS = 'AccountAssignmentCreationStatus';

/**
 * Identity Center CreateAccountAssignment as AWS runs it: IN_PROGRESS for `durationMs`, and at
 * most `maxOutstanding` outstanding (more are throttled).
 */
export function assignmentBehaviour(ctx: BehaviourContext): Behaviour {
  const cfg = ctx.profile.assignments;
  const startedAt = new Map<string, number>();
  const inProgress = (id: string) => ctx.now() - (startedAt.get(id) ?? -Infinity) < cfg.durationMs;

  function rewrite(handled: Handled): Handled {
    const body = JSON.parse(handled.response.body) as Record<string, Json | undefined>;
    const status = body[STATUS];
    if (!status || !inProgress(String(status.RequestId))) return handled;
    return {
      ...handled,
      response: jsonResponse({ ...body, [STATUS]: { ...status, Status: 'IN_PROGRESS' } }),
    };
  }

  async function create(call: AwsCall): Promise<Handled> {
    const detail = {
      accountId: String(call.json.TargetId),
      permissionSetArn: String(call.json.PermissionSetArn),
      principalId: String(call.json.PrincipalId),
    };
    const outstanding = [...startedAt.keys()].filter(inProgress).length;
    if (outstanding >= cfg.maxOutstanding) {
      const message = `${outstanding} CreateAccountAssignment calls are outstanding; the limit is ${cfg.maxOutstanding}`;
      return {
        response: awsError(call, 400, 'ThrottlingException', message),
        outcome: 'rejected',
        code: 'ThrottlingException',
        detail,
      };
    }
    const handled = await passThrough(ctx, call);
    if (handled.response.status >= 400) return { ...handled, detail };
    const body = JSON.parse(handled.response.body) as Record<string, Json | undefined>;
    const requestId = String(body[STATUS]?.RequestId);
    startedAt.set(requestId, ctx.now());
    return { ...rewrite(handled), detail: { ...detail, requestId } };
  }

  async function describe(call: AwsCall): Promise<Handled> {
    const handled = await passThrough(ctx, call);
    return handled.response.status >= 400 ? handled : rewrite(handled);
  }

  return {
    handlers: {
      // One at a time: the outstanding count holds only until the assignment is recorded.
      'sso-admin:CreateAccountAssignment': oneAtATime(create),
      'sso-admin:DescribeAccountAssignmentCreationStatus': describe,
    },
  };
}
