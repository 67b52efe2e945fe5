import type {
  AwsPorts,
  CreateAccountStatus,
  IdentityCenterPort,
  OrganizationsPort,
  StackSetOperationStatus,
  StackSetsPort,
} from '../../../src/domain/ports/aws';
import { AwsError } from '../../../src/domain/errors';
import { overlay } from '../../../src/domain/ports/overlay';
import type { FakeAws } from '../../../test/support/fake-aws';
import type { VirtualTime } from '../virtual-time';
import type { Listings } from './pages';
import type { ModelParams } from './params';

const retryable = (operation: string, code: string, message: string) =>
  new AwsError(operation, code, message, true);

interface TimedOperation {
  startsAt: number;
  endsAt: number;
}

/**
 * AWS's asynchronous behaviour on a virtual clock, over the in-memory AWS (FakeAws, which keeps
 * the state: accounts, OUs, stack instances, assignments). What it adds is time and quotas:
 * - CreateAccount stays IN_PROGRESS for its duration; more than `maxInProgress` at once are
 *   refused with TooManyRequestsException (the account appears only once it has succeeded);
 * - a StackSet runs one operation at a time and queues the rest in request order (ManagedExecution
 *   queues even non-conflicting operations while one runs); an operation deploys at most
 *   `instancesAtOnce` stack instances at once, so it takes one operation time per hundred;
 * - CreateAccountAssignment stays IN_PROGRESS for its duration, at most `maxOutstanding` at once
 *   (more are throttled).
 * The fake finishes each operation at once; this model answers IN_PROGRESS / QUEUED / RUNNING
 * until the operation's virtual end.
 */
export class TimedAws {
  private readonly creates = new Map<string, TimedOperation & { accountName?: string }>();
  private readonly operations = new Map<string, TimedOperation>();
  private readonly stackSetBusyUntil = new Map<string, number>();
  private readonly assignments = new Map<string, TimedOperation>();
  private readonly activeCreates = new Set<TimedOperation>();
  private readonly activeAssignments = new Set<TimedOperation>();
  /** Peak CreateAccount requests in progress at once (the model's own check of the quota). */
  peakCreatesInProgress = 0;

  constructor(
    private readonly fake: FakeAws,
    private readonly time: VirtualTime,
    private readonly params: ModelParams,
  ) {
    fake.createAccountPolls = 0;
    fake.operationPolls = 0;
    fake.assignmentPolls = 0;
  }

  ports(): AwsPorts {
    const fake = this.fake;
    return {
      organizations: this.organizations(fake.organizations),
      stackSets: this.stackSets(fake.stackSets),
      identityCenter: this.identityCenter(fake.identityCenter),
      budgets: fake.budgets,
      sts: fake.sts,
      orgServices: fake.orgServices,
      events: fake.events,
      costExplorer: fake.costExplorer,
      memberAccount: (accountId, region, activity) => fake.memberAccount(accountId, region, activity),
    };
  }

  /** What AWS holds beyond a listing's answer, for counting its pages (pages.ts). */
  listings(): Listings {
    const org = this.fake.organizations;
    return {
      accountEmails: () => [...org.accounts.values()].map((a) => a.email),
      createAccountStatuses: () => org.createRequests.size,
    };
  }

  /** How many of `active` are still running now; drops the ones that have ended. */
  private running(active: Set<TimedOperation>): number {
    const now = this.time.ms();
    for (const op of active) if (op.endsAt <= now) active.delete(op);
    return active.size;
  }

  private organizations(fake: OrganizationsPort): OrganizationsPort {
    const cfg = this.params.createAccount;
    const port: Partial<OrganizationsPort> = {};
    port.startCreateAccount = async (input) => {
      const inProgress = this.running(this.activeCreates);
      if (inProgress >= cfg.maxInProgress)
        throw retryable(
          'startCreateAccount',
          'TooManyRequestsException',
          `${inProgress} CreateAccount requests are in progress; the organisation allows ${cfg.maxInProgress}`,
        );
      const status = await fake.startCreateAccount(input);
      const now = this.time.ms();
      const timed = { startsAt: now, endsAt: now + cfg.durationMs, accountName: input.accountName };
      this.creates.set(status.requestId, timed);
      this.activeCreates.add(timed);
      this.peakCreatesInProgress = Math.max(this.peakCreatesInProgress, inProgress + 1);
      return status;
    };
    port.getCreateAccountStatus = async (requestId): Promise<CreateAccountStatus> => {
      const timed = this.creates.get(requestId);
      if (timed && this.time.ms() < timed.endsAt)
        return {
          requestId,
          state: 'IN_PROGRESS',
          ...(timed.accountName ? { accountName: timed.accountName } : {}),
        };
      return fake.getCreateAccountStatus(requestId);
    };
    return overlay(fake, port);
  }

  /** Queues an operation on its StackSet and returns its timing; idempotent per OperationId. */
  private schedule(stackSetName: string, operationId: string, instances: number): void {
    const key = `${stackSetName}/${operationId}`;
    if (this.operations.has(key)) return;
    const cfg = this.params.stackSets;
    const startsAt = Math.max(this.time.ms(), this.stackSetBusyUntil.get(stackSetName) ?? 0);
    const endsAt = startsAt + Math.max(1, Math.ceil(instances / cfg.instancesAtOnce)) * cfg.operationMs;
    this.operations.set(key, { startsAt, endsAt });
    if (process.env.SIM_DEBUG)
      console.error(
        `op ${key} n=${instances} submitted ${(this.time.ms() % 1e7) / 1000} starts ${(startsAt % 1e7) / 1000} ends ${(endsAt % 1e7) / 1000}`,
      );
    this.stackSetBusyUntil.set(stackSetName, endsAt);
  }

  private stackSets(fake: StackSetsPort): StackSetsPort {
    const port: Partial<StackSetsPort> = {};
    /** Starts the operation in the fake and lets it finish there at once: the model keeps its time. */
    const started = async (stackSetName: string, operationId: string, instances: number) => {
      this.schedule(stackSetName, operationId, instances);
      await fake.getOperation(stackSetName, operationId);
      return operationId;
    };
    const allInstances = async (name: string) => (await fake.listStackInstances(name)).length;
    port.createStackInstances = async (input) => {
      const id = await fake.createStackInstances(input);
      return started(input.stackSetName, id, input.accountIds.length * input.regions.length);
    };
    port.updateStackInstances = async (input) => {
      const id = await fake.updateStackInstances(input);
      return started(input.stackSetName, id, input.accountIds.length * input.regions.length);
    };
    port.deleteStackInstances = async (input) => {
      const id = await fake.deleteStackInstances(input);
      return started(input.stackSetName, id, input.accountIds.length * input.regions.length);
    };
    port.updateStackSet = async (def, operationId, targets) => {
      await fake.updateStackSet(def, operationId, targets);
      const instances = targets
        ? targets.accountIds.length * targets.regions.length
        : await allInstances(def.name);
      await started(def.name, operationId, instances);
    };
    port.detectStackSetDrift = async (name, operationId) => {
      const id = await fake.detectStackSetDrift(name, operationId);
      return started(name, id, await allInstances(name));
    };
    port.getOperation = async (name, operationId) => {
      const timed = this.operations.get(`${name}/${operationId}`);
      const now = this.time.ms();
      if (timed && now < timed.startsAt) return { status: 'QUEUED' as StackSetOperationStatus };
      if (timed && now < timed.endsAt) return { status: 'RUNNING' as StackSetOperationStatus };
      return fake.getOperation(name, operationId);
    };
    return overlay(fake, port);
  }

  private identityCenter(fake: IdentityCenterPort): IdentityCenterPort {
    const cfg = this.params.assignments;
    const port: Partial<IdentityCenterPort> = {};
    port.startAccountAssignment = async (input) => {
      const outstanding = this.running(this.activeAssignments);
      if (outstanding >= cfg.maxOutstanding)
        throw retryable(
          'startAccountAssignment',
          'ThrottlingException',
          `${outstanding} CreateAccountAssignment calls are outstanding; the limit is ${cfg.maxOutstanding}`,
        );
      const started = await fake.startAccountAssignment(input);
      const now = this.time.ms();
      const timed = { startsAt: now, endsAt: now + cfg.durationMs };
      this.assignments.set(started.requestId, timed);
      this.activeAssignments.add(timed);
      return started;
    };
    port.getAccountAssignmentStatus = async (instanceArn, requestId) => {
      const timed = this.assignments.get(requestId);
      if (timed && this.time.ms() < timed.endsAt) return { status: 'IN_PROGRESS' };
      return fake.getAccountAssignmentStatus(instanceArn, requestId);
    };
    return overlay(fake, port);
  }
}
