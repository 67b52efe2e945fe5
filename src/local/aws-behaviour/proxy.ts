import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assignmentBehaviour } from './assignments';
import { billingBehaviour, seedSpend, SPEND_PATH, type BillingLedger } from './billing';
import { CallCounter, CallLog, type CallCounts } from './call-log';
import { createAccountBehaviour } from './create-account';
import { faultInjector } from './faults';
import { parseProfile, type BehaviourProfile, type BehaviourProfileInput } from './profile';
import { isMutating, parseCall, type AwsCall, type RawResponse } from './protocol';
import { stackSetBehaviour } from './stack-sets';
import { createUpstream, passThrough, type BehaviourContext, type Handled, type Handler } from './upstream';

export interface BehaviourProxyOptions {
  /** moto_server's endpoint. */
  upstream: string;
  profile?: BehaviourProfileInput;
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Also append every logged call to this JSON-lines file. */
  logFile?: string;
  /** The clock (tests may move time). */
  now?: () => number;
}

export interface BehaviourProxy {
  /** Point AWS_ENDPOINT_URL here. */
  endpoint: string;
  profile: BehaviourProfile;
  /** Every mutating call, with what became of it. */
  log: CallLog;
  /** Every call so far, reads and refused ones too, by `service:action` (not moto's own /moto-api). */
  callCounts(): CallCounts;
  /** The emulated bill (Cost Explorer, Budgets' calculated spend and actions read it). */
  billing: BillingLedger;
  /** Turns fault injection on or off (e.g. off while a test bootstraps the organisation). */
  setFaults(enabled: boolean): void;
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function reply(res: ServerResponse, response: RawResponse): void {
  res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
  res.end(response.body);
}

function detailOf(call: AwsCall): Record<string, string> {
  const pick = (name: string) => (call.protocol === 'json' ? call.json[name] : call.form.get(name));
  const detail: Record<string, string> = {};
  for (const name of ['AccountId', 'StackSetName', 'BudgetName', 'PolicyId', 'TargetId', 'Name']) {
    const value = pick(name);
    if (typeof value === 'string') detail[name.charAt(0).toLowerCase() + name.slice(1)] = value;
  }
  const budget = call.json.Budget as { BudgetName?: unknown } | undefined;
  if (typeof budget?.BudgetName === 'string') detail.budgetName = budget.BudgetName;
  return detail;
}

/**
 * The AWS behaviour layer: an HTTP proxy in front of moto_server that makes it act like AWS
 * (async states, quotas, duplicate-email rejection, seeded faults), logs every mutating call and
 * counts every call. Calls it does not model pass through unchanged.
 */
export async function startBehaviourProxy(options: BehaviourProxyOptions): Promise<BehaviourProxy> {
  const profile = parseProfile(options.profile ?? {});
  const ctx: BehaviourContext = {
    upstream: createUpstream(options.upstream),
    profile,
    now: options.now ?? Date.now,
  };
  const log = new CallLog(options.logFile);
  const counter = new CallCounter();
  const faults = faultInjector(profile);
  let faultsEnabled = true;
  const billing = billingBehaviour(ctx);
  const handlers: Record<string, Handler> = {
    ...billing.handlers,
    ...createAccountBehaviour(ctx).handlers,
    ...stackSetBehaviour(ctx).handlers,
    ...assignmentBehaviour(ctx).handlers,
  };

  async function handle(call: AwsCall): Promise<Handled> {
    const run = handlers[`${call.service}:${call.action}`] ?? ((c: AwsCall) => passThrough(ctx, c));
    const fault = faultsEnabled && !call.raw.path.startsWith('/moto-api') ? faults.decide(call) : undefined;
    if (!fault) return run(call);
    if (!fault.afterExecution) return { response: fault.response, outcome: 'fault', code: fault.code };
    const executed = await run(call);
    const outcome = executed.outcome === 'executed' ? 'executed-lost' : executed.outcome;
    return { ...executed, response: fault.response, outcome, code: fault.code };
  }

  const server = createServer((req, res) => {
    void (async () => {
      try {
        const raw = {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          body: await readBody(req),
        };
        if (raw.path === SPEND_PATH && raw.method === 'POST') {
          const added = seedSpend(billing.ledger, JSON.parse(raw.body.toString('utf8')));
          reply(res, {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ added }),
          });
          return;
        }
        const call = parseCall(raw);
        if (!raw.path.startsWith('/moto-api')) counter.add(call.service, call.action);
        const handled = await handle(call);
        if (isMutating(call)) {
          log.add({
            service: call.service,
            action: call.action,
            outcome: handled.outcome,
            status: handled.response.status,
            ...(handled.code ? { code: handled.code } : {}),
            detail: { ...detailOf(call), ...handled.detail },
          });
        }
        reply(res, handled.response);
      } catch (e) {
        reply(res, {
          status: 502,
          headers: { 'content-type': 'text/plain' },
          body: `avf behaviour proxy: ${String(e)}`,
        });
      }
    })();
  });
  await new Promise<void>((resolveListen) => server.listen(options.port ?? 0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    profile,
    log,
    callCounts: () => counter.snapshot(),
    billing: billing.ledger,
    setFaults: (enabled) => (faultsEnabled = enabled),
    stop: () =>
      new Promise<void>((resolveStop) => {
        server.closeAllConnections();
        server.close(() => resolveStop());
      }),
  };
}
