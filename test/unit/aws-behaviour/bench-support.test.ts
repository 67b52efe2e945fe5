import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseConfig } from '../../../src/config/load';
import { CallCounter, callsBetween } from '../../../src/local/aws-behaviour/call-log';
import { patchConfigText } from '../../support/harness/local-org';
import { loadProfile } from '../../../src/local/aws-behaviour/profile';

const EXAMPLE = resolve(__dirname, '../../../factory.config.yaml');

describe('what the benchmark vends with', () => {
  it('the bench profile is the realistic one at one tenth of its durations', () => {
    const realistic = loadProfile('realistic');
    const bench = loadProfile('bench');
    expect(bench.createAccount.durationMs).toBe(6_000);
    expect(bench.stackSets.operationMs).toBe(9_000);
    expect(bench.assignments.durationMs).toBe(500);
    expect(bench.createAccount.durationMs * 10).toBe(realistic.createAccount.durationMs);
    expect(bench.stackSets.operationMs * 10).toBe(realistic.stackSets.operationMs);
    expect(bench.assignments.durationMs * 10).toBe(realistic.assignments.durationMs);
    expect(bench.createAccount.maxInProgress).toBe(5);
    expect(bench.faults.throttleRate).toBe(0);
  });

  it('patches nested config keys, adding missing ones and keeping the rest of the file', () => {
    const text = patchConfigText(readFileSync(EXAMPLE, 'utf8'), {
      worker: { timeScale: 0.1, batchSize: 250, baselineBatching: { enabled: false } },
      api: { rateLimit: { perToken: 1_000_000 } },
    });
    expect(text).toContain('# avf example organisation');
    const { config } = parseConfig(text, EXAMPLE);
    expect(config.worker).toEqual(
      expect.objectContaining({
        timeScale: 0.1,
        batchSize: 250,
        leaseSeconds: 60,
        maxConcurrentAccountCreations: 5,
        baselineBatching: { enabled: false, maxAccounts: 100, windowSeconds: 30 },
      }),
    );
    expect(config.api.rateLimit).toEqual({ perToken: 1_000_000, perIp: 60, windowSeconds: 60 });
  });

  it('counts calls by service and action, and the calls between two snapshots', () => {
    const counter = new CallCounter();
    counter.add('organizations', 'ListAccounts');
    const before = counter.snapshot();
    counter.add('organizations', 'ListAccounts');
    counter.add('sts', 'AssumeRole');
    counter.add('sts', 'AssumeRole');
    expect(counter.snapshot()).toEqual({
      total: 4,
      byAction: { 'organizations:ListAccounts': 2, 'sts:AssumeRole': 2 },
    });
    expect(before).toEqual({ total: 1, byAction: { 'organizations:ListAccounts': 1 } });
    counter.add('sts', 'GetCallerIdentity');
    const after = counter.snapshot();
    expect(callsBetween(before, after)).toEqual({
      total: 4,
      byAction: { 'organizations:ListAccounts': 1, 'sts:AssumeRole': 2, 'sts:GetCallerIdentity': 1 },
    });
    expect(callsBetween(after, after)).toEqual({ total: 0, byAction: {} });
  });
});
