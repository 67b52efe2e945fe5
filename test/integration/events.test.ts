import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/local/webhook-receiver';
import { serveLocalApi, type LocalApi } from '../support/local-api';
import { startLocalFactory, type LocalFactory } from '../support/local-factory';

const BUS = 'avf-events';
const SECRET = 'integration-webhook-secret-0001';

describe('events on moto: a vend reported to EventBridge and to its signed webhook', () => {
  let local: LocalFactory;
  let server: LocalApi;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    // the receiver refuses the first delivery, so the retry is exercised
    receiver = await startWebhookReceiver({ secret: SECRET, refuseFirst: 1 });

    local = await startLocalFactory({
      seed: 23,
      workerId: 'events-worker',
      background: true,
      configure: (config) => ({
        ...config,
        events: {
          busName: BUS,
          webhooks: {
            ...config.events.webhooks,
            allowHttp: true,
            allowLoopback: true,
            firstRetrySeconds: 10,
          },
        },
      }),
    });
    server = await serveLocalApi(local);
  });

  afterAll(async () => {
    await server?.close();
    await local?.stop();
    await receiver?.stop();
  });

  /** A queue on moto receiving every `avf` event on the bus, through a rule. */
  async function subscribeQueue(): Promise<string> {
    const events = new EventBridgeClient(local.sdk());
    const sqs = new SQSClient(local.sdk());
    await events.send(new CreateEventBusCommand({ Name: BUS }));
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'avf-events' }))).QueueUrl!;
    const queueArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
    await events.send(
      new PutRuleCommand({
        Name: 'avf-all',
        EventBusName: BUS,
        EventPattern: JSON.stringify({ source: ['avf'] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'avf-all',
        EventBusName: BUS,
        Targets: [{ Id: 'queue', Arn: queueArn }],
      }),
    );
    return queueUrl;
  }

  async function drain(
    queueUrl: string,
  ): Promise<Array<{ 'detail-type': string; detail: Record<string, unknown> }>> {
    const sqs = new SQSClient(local.sdk());
    const out: Array<{ 'detail-type': string; detail: Record<string, unknown> }> = [];
    for (let i = 0; i < 10; i++) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      if (!got.Messages?.length) break;
      out.push(...got.Messages.map((m) => JSON.parse(m.Body ?? '{}') as (typeof out)[number]));
    }
    return out;
  }

  const statuses = () => receiver.received.map((e) => e.detail.status);

  it('delivers QUEUED, IN_PROGRESS and READY in order, each signed, after retrying a refused delivery', async () => {
    const queueUrl = await subscribeQueue();
    const posted = await server.call('POST', '/v1/account-requests', {
      ...SAMPLE_REQUEST,
      accountName: 'events-demo',
      email: 'aws+events-demo@example.com',
      webhook: { url: receiver.url, secret: SECRET },
    });
    expect(posted.status).toBe(202);
    const id = posted.body.id as string;

    for (let i = 0; i < 400 && !statuses().includes('READY'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(statuses()).toEqual(['QUEUED', 'IN_PROGRESS', 'READY']);
    expect(receiver.posts()).toBe(4); // the refused first delivery, tried again
    expect(receiver.received.every((e) => e.signatureValid)).toBe(true);
    expect(receiver.received.map((e) => e.id)).toEqual([`${id}:1`, `${id}:2`, `${id}:3`]);

    // the delivery state is written once the pass that posted READY ends
    let view = (await server.call('GET', `/v1/account-requests/${id}`)).body;
    const caughtUp = (v: Record<string, unknown>) => {
      const d = v.deliveries as
        { webhook?: { through: number }; eventbridge?: { through: number } } | undefined;
      return d?.webhook?.through === 3 && d.eventbridge?.through === 3;
    };
    for (let i = 0; i < 100 && !caughtUp(view); i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = (await server.call('GET', `/v1/account-requests/${id}`)).body;
    }
    expect(view).toMatchObject({
      status: 'READY',
      webhook: { url: receiver.url },
      deliveries: {
        webhook: { through: 3, delivered: 3, attempts: 0 },
        eventbridge: { through: 3, delivered: 3 },
        failedTotal: 0,
      },
    });
    expect(JSON.stringify(view)).not.toContain(SECRET);

    const onBus = (await drain(queueUrl)).filter(
      (e) => e['detail-type'] === 'Account Request Status Changed',
    );
    expect(onBus.map((e) => e.detail.status)).toEqual(['QUEUED', 'IN_PROGRESS', 'READY']);
    expect(onBus[2]?.detail).toMatchObject({ eventId: `${id}:3`, requestId: id, accountId: view.accountId });
  });
});
