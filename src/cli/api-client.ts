/** A small client for the factory's HTTP API, used by the CLI and the demo. */
import { AvfError } from '../domain/errors';

export interface StepView {
  name: string;
  status: string;
  startedAt?: string;
  finishedAt?: string;
  detail?: string;
}

export interface RequestView {
  id: string;
  status: string;
  phase: string;
  accountId?: string;
  request: {
    accountName: string;
    email: string;
    organizationalUnit: string;
    budget: { monthlyLimitUsd: number; thresholdsPercent: number[] };
    access: Array<{ group: string; permissionSet: string }>;
  };
  steps: StepView[];
  controls?: { passed: number; failed: number; error: number };
  error?: { code: string; message: string };
}

/** Why fetch failed, as the system said it: ECONNREFUSED, ENOTFOUND, … */
function networkCause(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } })
    .cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? String(e);
}

interface ErrorBody {
  error?: { code?: string; message?: string; problems?: Array<{ path: string; message: string }> };
}

/** What to do about an answer, by status: the second half of the one line the CLI prints. */
const HINTS: Record<number, string> = {
  401: 'check AVF_TOKEN: a token from `avf token create` is stored in AVF_STORE (default sqlite:./data/avf.db), so the server must use the same store; the demo prints its exports',
  403: "this token's role or team may not do this: use a platform token (or the team's own)",
  404: 'check the id (`avf requests list`, `avf accounts list`); a requester sees its own team only',
  429: 'rate limited: wait a minute and try again',
  500: "a fault of the server's; its log has the details",
};

/** An error answer of the API, told in one line: status, code, message, every problem, a hint. */
export class ApiError extends AvfError {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const error = (body as ErrorBody | undefined)?.error;
    const problems = (error?.problems ?? []).map((p) => `${p.path}: ${p.message}`).join('; ');
    const hint = HINTS[status] ?? (status >= 500 ? HINTS[500] : undefined);
    super(
      error?.code ?? `HTTP_${status}`,
      `the API answered ${status} ${error?.code ?? ''}: ${problems || error?.message || JSON.stringify(body)}${hint ? ` (${hint})` : ''}`,
    );
  }
}

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static fromEnv(): ApiClient {
    const token = process.env.AVF_TOKEN ?? process.env.AVF_ADMIN_TOKEN;
    if (!token) {
      throw new AvfError(
        'NO_TOKEN',
        'no API token: set AVF_TOKEN to a token from `avf token create` (the demo prints ready-to-paste exports)',
      );
    }
    return new ApiClient(process.env.AVF_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`, token);
  }

  async createRequest(body: unknown, idempotencyKey?: string): Promise<RequestView> {
    return this.call<RequestView>(
      'POST',
      '/v1/account-requests',
      body,
      idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
    );
  }

  async getRequest(id: string): Promise<RequestView> {
    return this.call<RequestView>('GET', `/v1/account-requests/${encodeURIComponent(id)}`);
  }

  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const url = new URL(path, this.baseUrl);
    const res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((e: unknown) => {
      throw new AvfError(
        'API_UNREACHABLE',
        `cannot reach the API at ${url.origin} (${networkCause(e)}): start it with \`avf serve\` or \`npm run demo\`, or set AVF_API_URL`,
        { cause: e },
      );
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new ApiError(res.status, parsed);
    return parsed as T;
  }
}

const TERMINAL = new Set(['READY', 'FAILED']);

/**
 * Follows a request until it is READY or FAILED (or `timeoutMs` passes), calling `onStep` once for
 * each step that starts or finishes, so the caller can show progress.
 */
export async function followRequest(
  client: ApiClient,
  id: string,
  options: {
    onStep?: (step: StepView, view: RequestView) => void;
    /** Keep following a PENDING_APPROVAL request (told once through this) until it is decided. */
    onAwaitingApproval?: (view: RequestView) => void;
    intervalMs?: number;
    timeoutMs?: number;
  } = {},
): Promise<RequestView> {
  let toldAwaiting = false;
  const seen = new Map<string, string>();
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  for (;;) {
    const view = await client.getRequest(id);
    for (const step of view.steps) {
      const key = `${step.status}`;
      if (step.status !== 'PENDING' && seen.get(step.name) !== key) {
        seen.set(step.name, key);
        options.onStep?.(step, view);
      }
    }
    const awaiting = view.status === 'PENDING_APPROVAL';
    if (awaiting && options.onAwaitingApproval && !toldAwaiting) {
      toldAwaiting = true;
      options.onAwaitingApproval(view);
    }
    if (TERMINAL.has(view.status) || (awaiting && !options.onAwaitingApproval) || Date.now() > deadline)
      return view;
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
}
