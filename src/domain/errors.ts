/** One problem with an input, located by its field path (e.g. `budget.monthlyLimitUsd`). */
export interface Problem {
  path: string;
  message: string;
}

/**
 * The factory's error hierarchy. Every error carries a stable `code` and says whether trying
 * again may succeed. The API maps these to HTTP in exactly one handler (api/errors.ts).
 */
export class AvfError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** Input that breaks the schema or a rule; lists every problem at once. */
export class ValidationError extends AvfError {
  readonly problems: Problem[];
  constructor(problems: Problem[], message = 'the input is invalid') {
    super(
      'VALIDATION_FAILED',
      `${message}: ${problems.map((p) => `${p.path || '(root)'}: ${p.message}`).join('; ')}`,
    );
    this.problems = problems;
  }
}

export class ConfigError extends AvfError {
  readonly problems: Problem[];
  constructor(file: string, problems: Problem[]) {
    super(
      'CONFIG_INVALID',
      `${file} has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}`).join('\n')}`,
    );
    this.problems = problems;
  }
}

export class NotFoundError extends AvfError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found`);
  }
}

export class ConflictError extends AvfError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export class UnauthorizedError extends AvfError {
  constructor(message = 'a valid bearer token is required') {
    super('UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends AvfError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

/** The store's file cannot be opened or written (read-only, missing, full…): nothing was stored. */
export class StoreUnavailableError extends AvfError {
  constructor(
    readonly path: string,
    /** In words: `the disk is full`, `permission denied`… */
    readonly reason: string,
    readonly storeCode: string,
  ) {
    super(
      'STORE_UNAVAILABLE',
      `the store ${path} cannot be used: ${reason} (${storeCode}); nothing was stored`,
      {
        retryable: true,
      },
    );
  }
}

/** The store refused a write because the record changed since it was read, or the lease was lost. */
export class StaleRecordError extends AvfError {
  constructor(id: string, what = 'request') {
    super('STALE_RECORD', `${what} ${id} was changed by another worker`, { retryable: true });
  }
}

/**
 * A failure reported by AWS, already classified by the one error mapping in src/aws/errors.ts.
 * `awsCode` is the exception name AWS returned.
 */
export class AwsError extends AvfError {
  readonly awsCode: string;
  readonly operation: string;
  constructor(operation: string, awsCode: string, message: string, retryable: boolean, cause?: unknown) {
    super(`AWS_${awsCode}`, `${operation}: ${awsCode}: ${message}`, { retryable, cause });
    this.awsCode = awsCode;
    this.operation = operation;
  }
}
