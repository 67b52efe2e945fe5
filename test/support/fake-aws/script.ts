import { AwsError } from '../../../src/domain/errors';

/** An AwsError as the adapters' one error mapping would produce it. */
export function awsError(operation: string, awsCode: string, message: string, retryable = false): AwsError {
  return new AwsError(operation, awsCode, message, retryable);
}

/** Zero-padded decimal, for deterministic AWS-shaped ids. */
export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * What a test scripts into the fake and reads back from it, shared by every fake port: call
 * counters, injected throttling, how many polls the asynchronous operations take, and id counters.
 */
export class FakeScript {
  /** Calls (attempts, including throttled ones) by port method name, e.g. `calls['startCreateAccount']`. */
  readonly calls: Record<string, number> = {};
  /** getCreateAccountStatus calls that answer IN_PROGRESS before a request finishes. */
  createAccountPolls = 0;
  /** getOperation calls that answer RUNNING before a StackSet operation finishes. */
  operationPolls = 0;
  /** getAccountAssignmentStatus calls that answer IN_PROGRESS before an assignment finishes. */
  assignmentPolls = 0;
  /** describeAccount calls that answer PENDING_CLOSURE after CloseAccount before SUSPENDED. */
  closeAccountPolls = 0;
  /** assumeAccountRole calls that fail (retryable) before the role is usable. */
  assumeRoleFailures = 0;

  private readonly throttles = new Map<string, number>();
  private readonly counters = new Map<string, number>();

  /** Counts the call and throws the injected ThrottlingException if one is due. */
  enter(method: string): void {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    const left = this.throttles.get(method) ?? 0;
    if (left > 0) {
      this.throttles.set(method, left - 1);
      throw awsError(method, 'ThrottlingException', 'Rate exceeded', true);
    }
  }

  /** The next `times` calls of `method` throw a retryable ThrottlingException. */
  throttle(method: string, times = 1): void {
    this.throttles.set(method, (this.throttles.get(method) ?? 0) + times);
  }

  /** No more injected throttling of `method`. */
  unthrottle(method: string): void {
    this.throttles.delete(method);
  }

  /** 1, 2, 3… per kind of id. */
  next(kind: string): number {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return n;
  }
}
