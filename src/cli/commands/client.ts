import { readFileSync } from 'node:fs';
import { ApiClient, followRequest, type RequestView } from '../api-client';
import { formatOutcome, formatStep } from '../progress';
import { createRuntime, type RuntimeOptions } from '../../app/runtime';

async function follow(client: ApiClient, view: RequestView): Promise<number> {
  console.log(`request ${view.id} ${view.status}`);
  const final = await followRequest(client, view.id, { onStep: (s) => console.log(formatStep(s)) });
  for (const line of formatOutcome(final)) console.log(line);
  return final.status === 'READY' ? 0 : 1;
}

/** `avf request --file body.json`: submit and follow to READY or FAILED. */
export async function requestCommand(options: { file: string; wait: boolean }): Promise<number> {
  const client = ApiClient.fromEnv();
  const body: unknown = JSON.parse(readFileSync(options.file, 'utf8'));
  const view = await client.createRequest(body);
  if (!options.wait) {
    console.log(JSON.stringify(view, null, 2));
    return 0;
  }
  return follow(client, view);
}

/** `avf status ID [--wait]`. */
export async function statusCommand(id: string, wait: boolean): Promise<number> {
  const client = ApiClient.fromEnv();
  const view = await client.getRequest(id);
  if (wait) return follow(client, view);
  for (const step of view.steps.filter((s) => s.status !== 'PENDING')) console.log(formatStep(step));
  for (const line of formatOutcome(view)) console.log(line);
  return 0;
}

/** `avf verify ACCOUNT_ID`: runs every control read-only against the account and prints the evidence. */
export async function verifyCommand(accountId: string, options: RuntimeOptions): Promise<number> {
  const runtime = await createRuntime(options);
  try {
    const record = await runtime.store.findByAccountId(accountId);
    if (!record) {
      console.error(`avf: account ${accountId} was not vended by this factory (no request in the store)`);
      return 2;
    }
    const verification = await runtime.deps.verifier.verify({ accountId, spec: record.spec }, new Date());
    for (const r of verification.results) {
      console.log(
        `${r.status.padEnd(5)} ${r.id.padEnd(6)} ${(r.region ?? '').padEnd(10)} ${r.title}: ${r.evidence}`,
      );
    }
    const s = verification.summary;
    console.log(`${s.passed} passed, ${s.failed} failed, ${s.error} not evaluable`);
    return s.failed === 0 ? 0 : 1;
  } finally {
    await runtime.close();
  }
}
