import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load';
import { startBehaviourProxy, type BehaviourProxy } from '../../local/aws-behaviour';
import { PROFILES } from '../../local/aws-behaviour/profile';
import { freePort, startMoto, type LocalAws } from '../../local/moto';
import { SAMPLE_REQUEST } from '../../local/sample-request';
import { ApiClient, followRequest } from '../api-client';
import { INSTANT_AWS } from '../../app/runtime';
import { formatOutcome, formatStep } from '../progress';
import { bootstrapCommand } from './bootstrap';
import { showSpend } from './demo-costs';
import { createTokenCommand } from './token';
import { serve, stopOnSignal } from './serve';
import { startWebhookReceiver, type WebhookReceiver } from '../../local/webhook-receiver';

/**
 * `avf demo`: no AWS account needed. Starts moto_server (unless AWS_ENDPOINT_URL is set),
 * bootstraps the example organisation, serves the API with a worker, vends one account through
 * the API and prints what happened.
 */
export async function demo(options: { configFile?: string; port?: number; exit: boolean }): Promise<number> {
  const t0 = Date.now();
  const config = loadConfig(options.configFile ?? process.env.AVF_CONFIG);
  let moto: LocalAws | undefined;
  let proxy: BehaviourProxy | undefined;
  if (!process.env.AWS_ENDPOINT_URL) {
    moto = await startMoto({ seed: 42 });
    // The behaviour layer with no delays: AWS's semantics that moto lacks (StackSets deploy to the
    // listed accounts only, duplicate emails fail) without slowing the demo down.
    proxy = await startBehaviourProxy({ upstream: moto.endpoint, profile: PROFILES.instant });
    process.env.AWS_ENDPOINT_URL = proxy.endpoint;
    process.env.AVF_EMULATOR = '1';
    process.env.AWS_ACCESS_KEY_ID ??= 'test';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
    console.log(
      `local AWS: moto_server at ${moto.endpoint}, behind the AWS behaviour layer at ${proxy.endpoint}`,
    );
  } else {
    console.log(`AWS endpoint: ${process.env.AWS_ENDPOINT_URL}`);
  }
  process.env.AWS_REGION ??= config.config.homeRegion;
  // Its own store in a temporary folder, removed when the demo stops.
  const tempDir = process.env.AVF_STORE ? undefined : mkdtempSync(join(tmpdir(), 'avf-demo-'));
  if (tempDir) process.env.AVF_STORE = `sqlite:${join(tempDir, 'avf.db')}`;
  const removeTemp = () => tempDir && rmSync(tempDir, { recursive: true, force: true });
  // 9 + 32 characters: the API refuses an admin token shorter than 32.
  process.env.AVF_ADMIN_TOKEN ??= `avf_demo_${randomBytes(24).toString('base64url')}`;
  console.log(`store: ${process.env.AVF_STORE}`);

  console.log('\nbootstrapping the organisation from', config.file);
  // On a failure before the API serves, the local AWS and the temporary store go too.
  const stopLocal = async () => {
    await proxy?.stop();
    await moto?.stop();
    removeTemp();
  };
  const bootstrapped = await bootstrapCommand({
    configFile: config.file,
    dryRun: false,
    createGroups: true,
  }).catch(async (e: unknown) => {
    await stopLocal();
    throw e;
  });
  if (bootstrapped !== 0) {
    await stopLocal();
    return bootstrapped;
  }

  // 8080 (the contract's default) when it is free, else any free port.
  const port = options.port ?? (process.env.PORT ? Number(process.env.PORT) : await freePort(8080));
  const server = await serve({
    configFile: config.file,
    port,
    worker: true,
    log: false,
    // Its own local AWS answers at once (the `instant` profile): check again after milliseconds.
    ...(moto ? INSTANT_AWS : {}),
    // The demo's webhook receiver listens on http://127.0.0.1, which real runs refuse; loopback
    // only, so a demo user's webhook cannot reach other hosts on the local network.
    configure: (c) => ({
      ...c,
      events: {
        ...c.events,
        webhooks: { ...c.events.webhooks, allowHttp: true, allowLoopback: true },
      },
    }),
  }).catch(async (e: unknown) => {
    await stopLocal();
    throw e;
  });
  console.log(`\nAPI: ${server.url} (docs at ${server.url}/docs)`);
  const client = new ApiClient(server.url, process.env.AVF_ADMIN_TOKEN);
  const webhookSecret = randomBytes(24).toString('base64url');
  const receiver = await startWebhookReceiver({ secret: webhookSecret });
  console.log(`webhook receiver: ${receiver.url} (checks each delivery's signature)`);

  const accepted = await client.createRequest({
    ...SAMPLE_REQUEST,
    webhook: { url: receiver.url, secret: webhookSecret },
  });
  const tPost = Date.now();
  console.log(`\nPOST /v1/account-requests → ${accepted.status} ${accepted.id}`);
  const final = await followRequest(client, accepted.id, {
    onStep: (s) => console.log(formatStep(s)),
    intervalMs: 100,
  });
  console.log('');
  for (const line of formatOutcome(final)) console.log(line);
  console.log(
    `  POST → ${final.status} in ${((Date.now() - tPost) / 1000).toFixed(2)} s (demo total ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );

  for (const line of await webhookSummary(receiver, final.status)) console.log(line);
  if (proxy && final.accountId) {
    const token = process.env.AVF_ADMIN_TOKEN ?? '';
    for (const line of await showSpend(proxy.endpoint, { url: server.url, token }, final.accountId))
      console.log(line);
  }

  const stopAll = async () => {
    await receiver.stop();
    await server.stop();
    await proxy?.stop();
    await moto?.stop();
    removeTemp();
  };
  if (options.exit) {
    await stopAll();
    return final.status === 'READY' ? 0 : 1;
  }
  // A requester of the sample's team, in the demo's store, for the exports below.
  const requesterToken = await createTokenCommand({ role: 'requester', team: SAMPLE_REQUEST.owner.team });
  console.log(
    [
      '\nserving until interrupted (Ctrl-C), which also removes its temporary store. In another terminal:',
      `  export AVF_API_URL=${server.url}`,
      `  export AVF_TOKEN=${requesterToken}   # requester, team ${SAMPLE_REQUEST.owner.team}`,
      `  export AVF_STORE=${process.env.AVF_STORE}`,
      `  # platform (approve, reject, tokens): AVF_TOKEN=${process.env.AVF_ADMIN_TOKEN}`,
      `  ${process.env.AWS_ENDPOINT_URL ? `export AWS_ENDPOINT_URL=${process.env.AWS_ENDPOINT_URL} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=${process.env.AWS_REGION}` : ''}`,
      `  ./bin/avf.js status ${final.id}; ./bin/avf.js requests list; ./bin/avf.js accounts list`,
      '  ./bin/avf.js token create --role requester --team payments   # same AVF_STORE: the server accepts it',
      `or open the web console at ${server.url}/ and sign in with AVF_TOKEN.`,
    ].join('\n'),
  );
  stopOnSignal(stopAll);
  return final.status === 'READY' ? 0 : 1;
}

/** What the request's webhook received, once its final status has arrived (at most 5 s). */
async function webhookSummary(receiver: WebhookReceiver, status: string): Promise<string[]> {
  const arrived = () => receiver.received.some((e) => e.detail.status === status);
  for (let i = 0; i < 100 && !arrived(); i++) await new Promise((r) => setTimeout(r, 50));
  const statuses = receiver.received
    .filter((e) => e.type === 'Account Request Status Changed')
    .map((e) => String(e.detail.status));
  const valid = receiver.received.every((e) => e.signatureValid);
  return [
    `  webhook: ${receiver.received.length} event(s) delivered (${statuses.join(' → ')}), signatures ${valid ? 'valid' : 'INVALID'}`,
  ];
}
