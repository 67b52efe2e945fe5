/** A small client for the factory's HTTP API, used by the CLI and the demo. */

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

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}: ${JSON.stringify(body)}`);
  }
}

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static fromEnv(): ApiClient {
    const token = process.env.AVF_TOKEN ?? process.env.AVF_ADMIN_TOKEN;
    if (!token) throw new Error('set AVF_TOKEN (or AVF_ADMIN_TOKEN) to a token from `avf token create`');
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
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
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
    intervalMs?: number;
    timeoutMs?: number;
  } = {},
): Promise<RequestView> {
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
    if (TERMINAL.has(view.status) || view.status === 'PENDING_APPROVAL' || Date.now() > deadline) return view;
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
}
