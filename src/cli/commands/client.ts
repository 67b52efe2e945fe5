import { readFileSync } from 'node:fs';
import { ApiClient, followRequest, type RequestView } from '../api-client';
import { controlsCounts, formatOutcome, formatStep, summarise } from '../progress';
import { createRuntime, type RuntimeOptions } from '../../app/runtime';
import { AvfError } from '../../domain/errors';

/** What every API command may print instead of its lines: the API's JSON, for scripts. */
export interface OutputOptions {
  json?: boolean;
}

export const printJson = (value: unknown): void => console.log(JSON.stringify(value, null, 2));

async function follow(client: ApiClient, view: RequestView, json: boolean): Promise<number> {
  if (!json) console.log(`request ${view.id} ${view.status}`);
  const final = await followRequest(client, view.id, {
    onStep: (s) => (json ? undefined : console.log(formatStep(s))),
    onAwaitingApproval: (v) => {
      if (!json)
        console.log(
          `  waiting for approval by a platform token (avf approve ${v.id}, or avf reject ${v.id} --reason …)`,
        );
    },
  });
  if (json) printJson(final);
  else for (const line of formatOutcome(final)) console.log(line);
  return final.status === 'READY' ? 0 : 1;
}

function readBody(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new AvfError('BAD_REQUEST_FILE', `cannot read ${file} as JSON: ${(e as Error).message}`);
  }
}

/** `avf request --file body.json`: submit and follow to READY or FAILED. */
export async function requestCommand(
  options: { file: string; wait: boolean } & OutputOptions,
): Promise<number> {
  const client = ApiClient.fromEnv();
  const view = await client.createRequest(readBody(options.file));
  if (!options.wait) {
    if (options.json) printJson(view);
    else for (const line of formatOutcome(view)) console.log(line);
    return 0;
  }
  return follow(client, view, options.json ?? false);
}

/** `avf status ID [--wait]`: --wait follows it through approval to READY or FAILED. */
export async function statusCommand(id: string, options: { wait: boolean } & OutputOptions): Promise<number> {
  const client = ApiClient.fromEnv();
  const view = await client.getRequest(id);
  if (options.wait) return follow(client, view, options.json ?? false);
  if (options.json) printJson(view);
  else {
    for (const step of view.steps.filter((s) => s.status !== 'PENDING')) console.log(formatStep(step));
    for (const line of formatOutcome(view)) console.log(line);
  }
  return 0;
}

/**
 * `avf verify ACCOUNT_ID`: runs every control read-only against the account and prints the
 * evidence. Exits 1 when a control FAILs or is ERROR (could not be evaluated), like the READY
 * gate: with AVF_EMULATOR=1, ERRORs of controls with a declared emulator gap are shown but not counted.
 */
export async function verifyCommand(
  accountId: string,
  options: RuntimeOptions & OutputOptions,
): Promise<number> {
  const runtime = await createRuntime(options);
  try {
    const record = await runtime.store.findByAccountId(accountId);
    if (!record) {
      throw new AvfError(
        'NOT_VENDED',
        `account ${accountId} was not vended by this factory: no request in the store ${process.env.AVF_STORE ?? '(default sqlite:./data/avf.db)'}; check AVF_STORE or import it (POST /v1/accounts/import)`,
      );
    }
    const verification = await runtime.deps.verifier.verify(
      { accountId, spec: record.spec, activity: 'cli' },
      new Date(),
    );
    const blockers = runtime.deps.verifier.blocking(verification.results);
    if (options.json) printJson({ ...verification, blocking: blockers.map((r) => r.id) });
    else {
      for (const r of verification.results) {
        console.log(
          `${r.status.padEnd(5)} ${r.id.padEnd(6)} ${(r.region ?? '').padEnd(10)} ${r.title}: ${summarise(r.evidence)}`,
        );
      }
      const s = verification.summary;
      const excused = s.failed + s.error - blockers.length;
      console.log(controlsCounts(s, excused));
    }
    return blockers.length === 0 ? 0 : 1;
  } finally {
    await runtime.close();
  }
}
