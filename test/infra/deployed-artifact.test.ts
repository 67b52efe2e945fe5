import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToken } from '../../api/auth';
import { PROFILES, timeScaleFor } from '../../src/local/aws-behaviour/profile';
import { patchConfigText, startLocalOrg, type LocalOrg } from '../support/harness/local-org';
import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import { openStore } from '../../src/store/open-store';
import { jobKinds } from '../../src/workflow/job-kinds';
import { TABLE, WAKE_KEY } from '../../src/store/dynamodb/table-schema';
import { startLambdaHost, type LambdaHost } from '../support/lambda-host';
import {
  httpApiEvent,
  matchesFilter,
  scheduleEvent,
  streamBatch,
  type HttpApiAnswer,
} from '../support/lambda-events';
import { deployToMoto, type MotoDeployment } from '../support/moto-cloudformation';
import {
  cfnLint,
  REPO,
  resolveIntrinsics,
  synthesiseApp,
  treeBytes,
  unzipInto,
  zipAsset,
  type BundledFunction,
  type SynthesisedApp,
} from '../support/synthesised-app';

const MB = 1024 * 1024;
/** Lambda's limits on a function's deployment package. */
const LAMBDA_ZIPPED_LIMIT = 50 * MB;
const LAMBDA_UNZIPPED_LIMIT = 250 * MB;
const PROFILE = PROFILES.fast;

/** One function's bundle: the asset, its zip and the task root Lambda would unpack it into. */
interface Bundle {
  fn: BundledFunction;
  zipFile: string;
  zippedBytes: number;
  unzippedBytes: number;
  taskRoot: string;
}

/**
 * The artifact a platform team deploys, as a whole: `cdk synth` of the app in cdk.json (offline,
 * esbuild, cdk-nag), the template linted by cfn-lint and deployed into moto's CloudFormation, and
 * the two bundles unzipped and invoked as Lambda invokes them, in their own Node processes, on
 * the DynamoDB table that deployment created, with moto behind the AWS behaviour layer as AWS.
 */
describe('the synthesised app: template, bundles, invocations', () => {
  const saved = { ...process.env };
  const work = mkdtempSync(join(tmpdir(), 'avf-artifact-'));
  let app: SynthesisedApp;
  const bundles: Record<'Api' | 'Worker', Bundle> = {} as Record<'Api' | 'Worker', Bundle>;
  let org: LocalOrg;
  let deployment: MotoDeployment;
  let tableName: string;
  let token: string;
  let api: LambdaHost;
  let worker: LambdaHost;

  beforeAll(async () => {
    app = await synthesiseApp(join(work, 'cdk.out'));
    for (const prefix of ['Api', 'Worker'] as const) {
      const fn = app.fn(prefix);
      const zipFile = join(work, fn.s3Key);
      const zippedBytes = await zipAsset(fn.assetDir, zipFile);
      const taskRoot = join(work, `task-${prefix}`);
      await unzipInto(zipFile, taskRoot);
      bundles[prefix] = { fn, zipFile, zippedBytes, unzippedBytes: treeBytes(taskRoot), taskRoot };
    }
    org = await startLocalOrg({ profile: PROFILE });
    deployment = await deployToMoto({
      endpoint: org.moto.endpoint,
      stackName: 'AvfFactory',
      template: app.template,
      assets: Object.values(bundles).map((b) => ({ zipFile: b.zipFile, s3Key: b.fn.s3Key })),
      parameters: { OrganizationId: await organisationId(org.moto.endpoint) },
    });
    tableName = deployment.outputs.StoreTableName ?? '';
    // `avf token create` against the deployed table.
    Object.assign(process.env, org.env);
    const store = await openStore(`dynamodb:${tableName}`, { endpoint: org.moto.endpoint });
    token = await createToken(store, { role: 'platform', name: 'artifact-test' });
    await store.close();
    api = await host(bundles.Api);
    worker = await host(bundles.Worker);
  }, 900_000);

  afterAll(async () => {
    process.env = saved;
    await api?.stop();
    await worker?.stop();
    await org?.stop();
  });

  /**
   * The function's environment from the template (the table's Ref resolved to the deployed table,
   * /var/task to the local task root), AWS pointed at the behaviour layer, and the shipped config
   * beside a copy with the emulator's time compression (the profile runs AWS's durations faster).
   */
  async function host(bundle: Bundle): Promise<LambdaHost> {
    const tableId = Object.keys(app.template.Resources).find((id) => id.startsWith('StoreTable'))!;
    const environment = Object.fromEntries(
      Object.entries(bundle.fn.environment).map(([name, value]) => [
        name,
        resolveIntrinsics(value, { [tableId]: tableName }).replace(/^\/var\/task/, bundle.taskRoot),
      ]),
    );
    const shipped = environment.AVF_CONFIG!;
    const emulated = join(bundle.taskRoot, 'config', 'emulated.config.yaml');
    writeFileSync(
      emulated,
      patchConfigText(readFileSync(shipped, 'utf8'), {
        worker: { timeScale: timeScaleFor(PROFILE), leaseSeconds: 5 },
        api: { rateLimit: { perToken: 1_000_000 } },
      }),
    );
    return startLambdaHost({
      taskRoot: bundle.taskRoot,
      handler: bundle.fn.handler,
      functionName: `AvfFactory-${bundle.fn.logicalId}`,
      memoryMb: bundle.fn.memoryMb,
      environment: {
        ...environment,
        AVF_CONFIG: emulated,
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: org.proxy.endpoint,
        // the deployed code on the emulator, declared as such (emulator gaps recorded, not failed)
        AVF_EMULATOR: '1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_SESSION_TOKEN: 'test',
        // Lambda runs Node 24; this machine's Node 20 would make the SDK print a warning per client.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        LOG_LEVEL: 'warn',
      },
    });
  }

  const callApi = async (method: string, path: string, body?: unknown) => {
    const answer = await api.invoke<HttpApiAnswer>(httpApiEvent(method, path, { token, body }), 29_000);
    return { ...answer, json: () => JSON.parse(answer.body) as Record<string, unknown> };
  };
  /** One worker invocation that ticks for about `tickMs` (the handler stops 15 s before its deadline). */
  const invokeWorker = (event: unknown, tickMs: number) =>
    worker.invoke<{ ticks: number; advanced: number }>(event, 15_000 + tickMs);

  it('synthesises both functions with their handler, bundle, config, templates and Swagger UI', () => {
    for (const { fn, taskRoot } of Object.values(bundles)) {
      expect(fn.handler).toBe('index.handler');
      for (const file of [
        'index.js',
        'config/factory.config.yaml',
        'static/swagger-ui.css',
        'static/logo.svg',
      ])
        expect(() => readFileSync(join(taskRoot, file))).not.toThrow();
      expect(readFileSync(join(taskRoot, 'config/factory.config.yaml'), 'utf8')).toBe(
        readFileSync(join(REPO, 'factory.config.yaml'), 'utf8'),
      );
    }
  });

  it('keeps each bundle within Lambda limits (50 MB zipped, 250 MB unzipped), sizes in bench-results/', () => {
    const sizes = Object.fromEntries(
      Object.entries(bundles).map(([name, b]) => [
        name,
        { zippedMB: +(b.zippedBytes / MB).toFixed(2), unzippedMB: +(b.unzippedBytes / MB).toFixed(2) },
      ]),
    );
    mkdirSync(join(REPO, 'bench-results'), { recursive: true });
    writeFileSync(join(REPO, 'bench-results/lambda-bundles.json'), `${JSON.stringify(sizes, null, 2)}\n`);
    for (const b of Object.values(bundles)) {
      expect(b.zippedBytes).toBeLessThan(LAMBDA_ZIPPED_LIMIT);
      expect(b.unzippedBytes).toBeLessThan(LAMBDA_UNZIPPED_LIMIT);
    }
  });

  it('passes cfn-lint (W3005 aside: CDK writes DependsOn on the role a GetAtt already implies)', async () => {
    const findings = await cfnLint(app.templateFile);
    expect(findings.filter((f) => f.Rule.Id !== 'W3005').map((f) => `${f.Rule.Id} ${f.Message}`)).toEqual([]);
  });

  it('deploys into moto CloudFormation; what moto does not model is named and skipped', async () => {
    expect(deployment.stackStatus).toBe('CREATE_COMPLETE');
    // moto records these types without creating anything (it has no CloudFormation model for them).
    expect(new Set(deployment.skipped.map((s) => s.split(': ')[1]))).toEqual(
      new Set([
        'AWS::SNS::TopicPolicy',
        'AWS::ApiGatewayV2::Api',
        'AWS::ApiGatewayV2::Integration',
        'AWS::ApiGatewayV2::Route',
        'AWS::ApiGatewayV2::Stage',
        'AWS::CloudWatch::Alarm',
        'AWS::CDK::Metadata',
      ]),
    );
    expect(deployment.outputsLeftOut).toEqual(['ApiUrl']);
    const created = deployment.resources.filter((r) => r.ResourceType && r.PhysicalResourceId);
    const modelled = Object.entries(app.template.Resources).filter(
      ([id, r]) => !deployment.skipped.includes(`${id}: ${r.Type}`) && r.Type !== 'AWS::Lambda::Permission',
    );
    expect(created.map((r) => r.LogicalResourceId).sort()).toEqual(
      expect.arrayContaining(modelled.map(([id]) => id)),
    );

    const table = await new DynamoDBClient({
      region: 'us-east-1',
      endpoint: org.moto.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }).send(new DescribeTableCommand({ TableName: tableName }));
    expect(table.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(
      TABLE.indexes.map((i) => i.name).sort(),
    );
    expect(table.Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
  });

  it('serves /openapi.json, /docs and Swagger UI assets from the bundle', async () => {
    const openapi = await callApi('GET', '/openapi.json');
    expect(openapi.statusCode).toBe(200);
    expect(Object.keys(openapi.json().paths as object)).toContain('/v1/account-requests');

    const docs = await callApi('GET', '/docs/');
    expect([docs.statusCode, docs.headers['content-type']]).toEqual([
      200,
      expect.stringContaining('text/html'),
    ]);
    expect(docs.body).toContain('swagger-ui');
    const css = await callApi('GET', '/docs/static/swagger-ui.css');
    expect([css.statusCode, css.isBase64Encoded]).toEqual([200, false]);
    // Binary answers reach API Gateway base64-encoded, byte for byte.
    const icon = await callApi('GET', '/docs/static/favicon-32x32.png');
    expect([icon.statusCode, icon.isBase64Encoded]).toEqual([200, true]);
    expect(Buffer.from(icon.body, 'base64')).toEqual(
      readFileSync(join(bundles.Api.taskRoot, 'static/favicon-32x32.png')),
    );
  });

  it('serves the web console at / from the files its bundling built (no esbuild in Lambda)', async () => {
    const page = await callApi('GET', '/');
    expect([page.statusCode, page.headers['content-type']]).toEqual([
      200,
      expect.stringContaining('text/html'),
    ]);
    const script = /src="\/console\/([^"]+\.js)"/.exec(page.body)?.[1] ?? '';
    const style = /href="\/console\/([^"]+\.css)"/.exec(page.body)?.[1] ?? '';
    expect(readdirSync(join(bundles.Api.taskRoot, 'console')).sort()).toEqual(
      expect.arrayContaining([script, style]),
    );
    const js = await callApi('GET', `/console/${script}`);
    expect([js.statusCode, js.headers['content-type']]).toEqual([200, expect.stringContaining('javascript')]);
    expect(js.body.length).toBeGreaterThan(1_000);
  });

  it('takes a request POSTed to the API function to READY through worker invocations', async () => {
    const posted = await callApi('POST', '/v1/account-requests', SAMPLE_REQUEST);
    expect(posted.statusCode).toBe(202);
    const id = posted.json().id as string;

    // The stream batch that INSERT produces, passed through the template's filters (any one
    // matching lets a record through), wakes the worker.
    const mapping = Object.values(app.template.Resources).find(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping',
    )!;
    const patterns = (
      mapping.Properties!.FilterCriteria as { Filters: Array<{ Pattern: string }> }
    ).Filters.map((f) => JSON.parse(f.Pattern) as unknown);
    const passes = (batch: { Records: unknown[] }) =>
      batch.Records.filter((r) => patterns.some((p) => matchesFilter(r, p))).length;
    const batch = streamBatch(tableName, [{ pk: `REQ#${id}`, sk: 'REQUEST' }]);
    expect(passes(batch)).toBe(1);
    // So does the wake item the API function rewrote after that successful POST; the worker's own
    // writes (a request saved, a job created) do not.
    const wake = await new DynamoDBClient({
      region: 'us-east-1',
      endpoint: org.moto.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }).send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: WAKE_KEY.pk }, sk: { S: WAKE_KEY.sk } } }),
    );
    expect(wake.Item?.wake?.S).toEqual(expect.any(String));
    expect(passes(streamBatch(tableName, [{ ...WAKE_KEY }], 'INSERT'))).toBe(1);
    expect(passes(streamBatch(tableName, [{ ...WAKE_KEY }], 'MODIFY'))).toBe(1);
    expect(passes(streamBatch(tableName, [{ pk: `REQ#${id}`, sk: 'REQUEST' }], 'MODIFY'))).toBe(0);
    expect(passes(streamBatch(tableName, [{ pk: 'JOB#delivery#x', sk: 'JOB' }], 'INSERT'))).toBe(0);
    const first = await invokeWorker(batch, 3_000);
    expect(first.advanced).toBeGreaterThan(0);

    // Then the schedule, minute after minute, until the request settles.
    let view = (await callApi('GET', `/v1/account-requests/${id}`)).json();
    for (let i = 0; i < 30 && view.status !== 'READY' && view.status !== 'FAILED'; i++) {
      await invokeWorker(scheduleEvent('AvfFactory-WorkerSchedule'), 3_000);
      view = (await callApi('GET', `/v1/account-requests/${id}`)).json();
    }
    expect([view.status, view.error]).toEqual(['READY', undefined]);
    expect(view.accountId).toMatch(/^\d{12}$/);

    // Idle: an invocation with nothing due before the next scheduled minute stops after its first
    // tick, not at its deadline (20 s here). The standing jobs, which this config's time scale
    // brings round every minute or two, are moved past the minute first.
    const store = await openStore(`dynamodb:${tableName}`, { endpoint: org.moto.endpoint });
    const later = new Date(Date.now() + 10 * 60_000).toISOString();
    for (const kind of jobKinds().filter((k) => k.inJobStore)) {
      for (const job of (await store.jobs.listJobs(kind.name, { limit: 100 })).items)
        await store.jobs.saveJob({ ...job, nextCheckAt: later });
    }
    await store.close();
    expect(await invokeWorker(scheduleEvent('AvfFactory-WorkerSchedule'), 20_000)).toEqual({
      ticks: 1,
      advanced: 0,
    });
    // Idle now: with nothing due before the next scheduled minute, an invocation stops after one
    // tick instead of ticking until its deadline (20 s here).
    expect(await invokeWorker(scheduleEvent('AvfFactory-WorkerSchedule'), 20_000)).toEqual({
      ticks: 1,
      advanced: 0,
    });
    // The worker's EMF lines, which CloudWatch turns into the dashboard's metrics.
    const emf = worker
      .log()
      .split('\n')
      .filter((l) => l.startsWith('{"_aws"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(emf).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ RequestsSettled: 1, Status: 'READY', requestId: id }),
        expect.objectContaining({ TimeToReady: expect.any(Number), requestId: id }),
        expect.objectContaining({ OpenRequests: 0, Status: 'QUEUED' }),
        expect.objectContaining({ DeliveryBacklog: expect.any(Number) }),
        expect.objectContaining({ AwsThrottles: expect.any(Number) }),
      ]),
    );
  }, 300_000);

  it('loads no TypeScript runtime and no native module (no tsx, no better-sqlite3)', async () => {
    for (const [hostOf, bundle] of [
      [api, bundles.Api],
      [worker, bundles.Worker],
    ] as const) {
      const loaded = await hostOf.modules();
      const own = loaded.files.filter((f) => !f.endsWith('runtime.cjs'));
      expect(own).toEqual([join(bundle.taskRoot, 'index.js')]);
      expect(loaded.native).toEqual([]);
      expect(loaded.execArgv).toEqual([]);
      expect(hostOf.log()).not.toMatch(/tsx|better-sqlite3|Cannot find module/);
    }
  });
});

/** The id (o-…) of the organisation the local harness created, for the stack's `OrganizationId`. */
async function organisationId(endpoint: string): Promise<string> {
  const client = new OrganizationsClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { Organization } = await client.send(new DescribeOrganizationCommand({}));
  if (!Organization?.Id) throw new Error('the local organisation has no id');
  return Organization.Id;
}
