import { emulatorDeclared } from '../../../src/config/emulator';
import { Verifier, type Control } from '../../../src/verify/verifier';
import type { ControlContext } from '../../../src/verify/verifier';

/** A control the emulator cannot evaluate: it always ends in ERROR. */
const gapControl: Control = {
  id: 'D-3',
  title: 'EBS snapshots cannot be shared publicly',
  emulatorGap: 'moto lacks Get/EnableSnapshotBlockPublicAccess',
  evaluate: () => Promise.reject(new Error('ec2:GetSnapshotBlockPublicAccessState: NotImplemented')),
};
const passing: Control = {
  id: 'IAM-4',
  title: 'password policy',
  evaluate: () => Promise.resolve([{ status: 'PASS', evidence: 'ok' }]),
};
const deps = {} as Omit<ControlContext, 'target'>;
const target = { accountId: '111111111111', spec: {} as ControlContext['target']['spec'] };
const now = new Date('2026-12-03T12:00:00Z');

describe('the READY gate', () => {
  it('is relaxed by AVF_EMULATOR=1 only, never by AWS_ENDPOINT_URL', () => {
    expect(emulatorDeclared({ AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' })).toBe(false);
    expect(emulatorDeclared({ AVF_EMULATOR: 'true' })).toBe(false);
    expect(emulatorDeclared({ AVF_EMULATOR: '1' })).toBe(true);
  });

  it('without AVF_EMULATOR=1, a control in ERROR blocks READY, emulator gap or not', async () => {
    const v = await new Verifier([gapControl, passing], deps, false).verify(target, now);

    expect(v.blocking).toEqual(['D-3']);
    expect(v.notEvaluable).toBeUndefined();
  });

  it('with AVF_EMULATOR=1, a declared gap is recorded as not evaluable and does not block', async () => {
    const v = await new Verifier([gapControl, passing], deps, true).verify(target, now);

    expect(v.blocking).toEqual([]);
    expect(v.summary).toEqual({ passed: 1, failed: 0, error: 1 });
    expect(v.notEvaluable).toEqual([
      { control: 'D-3', reason: 'AVF_EMULATOR=1: moto lacks Get/EnableSnapshotBlockPublicAccess' },
    ]);
  });

  it('with AVF_EMULATOR=1, an ERROR of a control without a declared gap still blocks', async () => {
    const noGap: Control = { ...gapControl, id: 'L-2', emulatorGap: undefined };
    const v = await new Verifier([noGap], deps, true).verify(target, now);

    expect(v.blocking).toEqual(['L-2']);
  });
});
