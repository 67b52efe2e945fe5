import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import { serveLocalApi, type LocalApi } from '../support/local-api';
import { startLocalFactory, type LocalFactory } from '../support/local-factory';

/**
 * The READY gate does not depend on AWS_ENDPOINT_URL: an endpoint override without AVF_EMULATOR=1
 * (a proxy in front of AWS, say) keeps every control that cannot be evaluated blocking READY.
 */
describe('a vend against a plain AWS_ENDPOINT_URL, without AVF_EMULATOR=1', () => {
  let local: LocalFactory;
  let server: LocalApi;
  const declared = process.env.AVF_EMULATOR;

  beforeAll(async () => {
    local = await startLocalFactory({ seed: 13, workerId: 'gate-worker', declareEmulator: false });
    server = await serveLocalApi(local);
  });

  afterAll(async () => {
    await server?.close();
    await local?.stop();
    process.env.AVF_EMULATOR = declared;
  });

  it('does not reach READY while controls cannot be evaluated, and says which', async () => {
    expect(process.env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    expect(process.env.AVF_EMULATOR).toBeUndefined();

    const posted = await server.call('POST', '/v1/account-requests', SAMPLE_REQUEST);
    expect(posted.status).toBe(202);
    let view = posted.body;
    for (let i = 0; i < 600 && view.status !== 'READY' && view.status !== 'FAILED'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = (await server.call('GET', `/v1/account-requests/${String(posted.body.id)}`)).body;
    }

    expect(view.status).toBe('FAILED');
    // The first setting moto cannot apply or read back (snapshot block public access, D-3) stops
    // the vend: without AVF_EMULATOR=1 it is a failure, not a gap.
    expect(view.error).toEqual({
      code: 'HARDENING_FAILED',
      phase: 'harden',
      message: expect.stringMatching(
        /^snapshot-block-public-access \(us-east-1\) in account \d{12}: .*NotImplemented/,
      ),
    });
    const steps = view.steps as Array<{ name: string; status: string }>;
    expect(steps.filter((s) => s.name === 'verify' || s.name === 'release-quarantine')).toEqual([
      expect.objectContaining({ status: 'PENDING' }),
      expect.objectContaining({ status: 'PENDING' }),
    ]);
  });
});
