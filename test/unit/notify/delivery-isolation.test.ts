import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { HttpWebhookSender } from '../../../src/http/webhook-sender';
import { jobKinds } from '../../../src/workflow/job-kinds';
import { deliveryState } from '../../../src/workflow/notify/delivery-state';
import { createRequest } from '../../../src/workflow/request-writes';
import { Worker } from '../../../src/workflow/worker';
import { withWebhooks } from '../../support/deliveries';
import { makeRequestRecord } from '../../support/fixtures';
import { EXAMPLE_CONFIG, harness, submit, type Harness } from '../workflow/harness';

/** The delivery deadline: far longer than the vend takes, so the vend can be seen to finish first. */
const DEADLINE_S = 15;

/** An endpoint that answers 200 at once and then sends one byte every 2 s, never finishing. */
async function drippingEndpoint(): Promise<{ url: string; posts: () => number; stop(): Promise<void> }> {
  const open = new Set<{ res: ServerResponse; timer: NodeJS.Timeout }>();
  let posts = 0;
  const server: Server = createServer((req, res) => {
    posts++;
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain' });
    const drip = { res, timer: setInterval(() => res.write('.'), 2_000) };
    res.write('.');
    open.add(drip);
    res.on('close', () => {
      clearInterval(drip.timer);
      open.delete(drip);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    posts: () => posts,
    stop: () =>
      new Promise<void>((r) => {
        for (const d of open) {
          clearInterval(d.timer);
          d.res.destroy();
        }
        server.close(() => r());
      }),
  };
}

/** A factory worker running every kind (deliveries through the real HTTP sender), as `avf worker`. */
async function factory(): Promise<{ h: Harness; worker: Worker }> {
  const h = await harness();
  h.deps.webhooks = new HttpWebhookSender({ allowHttp: true, allowPrivateNetworks: true });
  h.deps.config = withWebhooks(EXAMPLE_CONFIG, { timeoutSeconds: DEADLINE_S, allowHttp: true });
  return {
    h,
    worker: new Worker(h.deps, { id: 'w1', leaseMs: 30_000, kinds: jobKinds({ leaseMs: 30_000 }) }),
  };
}

/** Ticks (a minute apart on the harness clock) until the request is READY; ticks and wall times. */
async function vendTiming(h: Harness, worker: Worker, id: string) {
  const started = performance.now();
  let slowestTickMs = 0;
  for (let ticks = 1; ticks <= 200; ticks++) {
    const t0 = performance.now();
    await worker.tick();
    slowestTickMs = Math.max(slowestTickMs, performance.now() - t0);
    h.clock.advance(60_000);
    // The in-memory store and AWS answer without I/O; a real worker's calls let the sockets run.
    await new Promise((resolve) => setImmediate(resolve));
    if ((await h.store.get(id))?.status === 'READY')
      return {
        ticks,
        wallMs: Math.round(performance.now() - started),
        slowestTickMs: Math.round(slowestTickMs),
      };
  }
  throw new Error(`request ${id} not READY after 200 ticks`);
}

describe('delivery isolation', () => {
  it('a team whose webhook drips one byte every 2 s delays another team’s vend by at most one tick', async () => {
    // the vend alone, no deliveries in flight
    const quiet = await factory();
    const alone = await submit(quiet.h, { team: 'search' });
    const baseline = await vendTiming(quiet.h, quiet.worker, alone.id);

    // the same vend while team payments' webhook drips
    const drip = await drippingEndpoint();
    try {
      const { h, worker } = await factory();
      const noisy = makeRequestRecord({
        nextCheckAt: h.clock.now().toISOString(),
        webhook: { url: drip.url, secret: 'whsec-0123456789abcdef' },
        spec: {
          accountName: 'noisy',
          email: 'aws+noisy@example.com',
          organizationalUnit: 'Workloads/NonProd',
          access: [{ group: 'payments-developers', permissionSet: 'Developer' }],
          tags: { environment: 'dev' },
        },
      });
      await createRequest(h.deps, noisy, () => h.store.create(noisy));
      const other = await submit(h, { team: 'search' });
      const measured = await vendTiming(h, worker, other.id);
      // the vend finished while the dripping delivery was still in flight (the tick never waited on it)
      expect(drip.posts()).toBeGreaterThan(0);
      expect((await deliveryState(h.deps, noisy.id))?.webhook).toEqual(
        expect.objectContaining({ through: 0, attempts: 0 }),
      );
      await worker.settled(); // then the delivery's total deadline cut the trickle off
      const state = await deliveryState(h.deps, noisy.id);
      expect(state?.webhook.lastError).toBe(`no answer within ${DEADLINE_S * 1000} ms`);

      process.stdout.write(
        `delivery isolation: vend alone ${baseline.ticks} ticks in ${baseline.wallMs} ms (slowest tick ${baseline.slowestTickMs} ms); ` +
          `beside a dripping webhook ${measured.ticks} ticks in ${measured.wallMs} ms (slowest tick ${measured.slowestTickMs} ms)\n`,
      );
      expect(measured.ticks).toBeLessThanOrEqual(baseline.ticks + 1);
    } finally {
      await drip.stop();
    }
  }, 60_000);
});
