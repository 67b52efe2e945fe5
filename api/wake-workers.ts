import type { FastifyInstance } from 'fastify';

/**
 * After a mutating call that succeeded (a route marked `config: { audit }`, answered 2xx), wakes
 * the workers that sleep until told, before the answer is sent: a retry, an approval, an account
 * change or closure, a verification on demand start at once, not at the worker's next scheduled
 * invocation. A failing wake is logged and does not change the answer: the work is stored and the
 * schedule still finds it.
 */
export function registerWorkerWake(app: FastifyInstance, wakeWorkers: () => Promise<void>): void {
  // A callback hook: reads and refused calls wait for nothing.
  app.addHook('onSend', (request, reply, payload, done) => {
    const mutating = request.routeOptions.config.audit !== undefined;
    if (!mutating || reply.statusCode < 200 || reply.statusCode >= 300) return done(null, payload);
    wakeWorkers().then(
      () => done(null, payload),
      (err: unknown) => {
        request.log.error({ err }, 'the worker could not be woken; its schedule will find the work');
        done(null, payload);
      },
    );
  });
}
