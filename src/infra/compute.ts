import { Duration } from 'aws-cdk-lib';
import { HttpApi, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, Runtime, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { join, resolve } from 'node:path';
import { apiStatements, workerStatements } from './factory-policy';
import { WAKE_KEY } from '../store/dynamodb/table-schema';
import { WORKER_SCHEDULE_MINUTES } from './handlers/worker-schedule';

const REPO = resolve(__dirname, '../..');

export interface ComputeProps {
  table: Table;
  /** The factory config shipped with the functions (a path relative to the repo root). */
  configFile: string;
  /** Role the worker assumes in member accounts. */
  memberRoleName: string;
  /** The organisation the member accounts belong to (`aws:ResourceOrgID` on AssumeRole). */
  organizationId: string;
  /** `SELF` or `DELEGATED_ADMIN`: how StackSet calls are made (AVF_STACKSETS_CALL_AS). */
  stackSetsCallAs: string;
  logRetention: RetentionDays;
}

/**
 * The API and the worker as Lambda functions bundled locally with esbuild (no Docker): the API
 * behind an HTTP API, the worker on a one-minute schedule and on every new request.
 */
export class Compute {
  readonly api: NodejsFunction;
  readonly worker: NodejsFunction;
  readonly httpApi: HttpApi;

  constructor(scope: Construct, props: ComputeProps) {
    const environment = {
      AVF_STORE: `dynamodb:${props.table.tableName}`,
      AVF_CONFIG: '/var/task/config/factory.config.yaml',
      AVF_STACKSETS_CALL_AS: props.stackSetsCallAs,
      // The web console's built files, written by afterBundling below (api/console/assets.ts).
      AVF_CONSOLE_DIR: '/var/task/console',
      NODE_OPTIONS: '--enable-source-maps',
    };
    const fn = (id: string, entry: string, timeout: Duration) =>
      new NodejsFunction(scope, id, {
        entry: join(__dirname, 'handlers', entry),
        projectRoot: REPO,
        depsLockFilePath: join(REPO, 'package-lock.json'),
        runtime: Runtime.NODEJS_24_X,
        memorySize: 512,
        timeout,
        environment,
        logGroup: new LogGroup(scope, `${id}Logs`, { retention: props.logRetention }),
        bundling: {
          format: OutputFormat.CJS,
          sourceMap: true,
          // Bundle our pinned AWS SDK; better-sqlite3 is native and only loaded for sqlite: stores;
          // esbuild builds the console only where AVF_CONSOLE_DIR is unset (never in Lambda).
          externalModules: ['better-sqlite3', 'esbuild'],
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            // The config and the templates it names are read at run time, relative to it.
            afterBundling: (input: string, output: string) => [
              `mkdir -p "${output}/config"`,
              `cp "${input}/${props.configFile}" "${output}/config/factory.config.yaml"`,
              `cp -R "${input}/stacksets" "${output}/config/stacksets"`,
              `cp -R "${input}/node_modules/@fastify/swagger-ui/static" "${output}/static"`,
              // The web console, built from api/console/ui into the bundle (read via AVF_CONSOLE_DIR).
              `cd "${input}" && node_modules/.bin/tsx scripts/build-console.ts "${output}/console"`,
            ],
          },
        },
      });

    // API Gateway answers 503 after 30 s whatever the function does: every route answers within
    // 29 s (changes sent with PATCH, verifications, moves, closures and imports are done by the
    // worker and answered 202).
    this.api = fn('Api', 'api.ts', Duration.seconds(29));
    props.table.grantReadWriteData(this.api);
    const member = { memberRoleName: props.memberRoleName, organizationId: props.organizationId };
    for (const statement of apiStatements()) this.api.addToRolePolicy(statement);
    this.httpApi = new HttpApi(scope, 'HttpApi', {
      description: 'avf: account requests (bearer tokens checked by the app)',
      defaultIntegration: new HttpLambdaIntegration('ApiIntegration', this.api),
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(scope, 'HttpApiAccessLogs', { retention: props.logRetention });
    this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
      throttle: { rateLimit: 50, burstLimit: 100 },
    });

    // Ticks for at most about a minute (handlers/worker.ts stops 15 s before the timeout, or as soon
    // as nothing falls due before the next scheduled minute): one invocation per scheduled minute,
    // plus one per burst of new requests.
    this.worker = fn('Worker', 'worker.ts', Duration.seconds(75));
    props.table.grantReadWriteData(this.worker);
    for (const statement of workerStatements(scope, member)) this.worker.addToRolePolicy(statement);
    new Rule(scope, 'WorkerSchedule', {
      description: 'avf: tick the worker',
      schedule: Schedule.rate(Duration.minutes(WORKER_SCHEDULE_MINUTES)),
      targets: [new LambdaFunction(this.worker)],
    });
    // A new request, or the API's wake item after any other successful mutating call, wakes a
    // worker at once instead of at the next scheduled minute.
    this.worker.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 10,
        retryAttempts: 0,
        filters: [
          // The patterns FilterRule.isEqual builds, written out: that helper is typed `any`.
          FilterCriteria.filter({
            eventName: ['INSERT'],
            dynamodb: { Keys: { sk: { S: ['REQUEST'] } } },
          }),
          FilterCriteria.filter({
            eventName: ['INSERT', 'MODIFY'],
            dynamodb: { Keys: { sk: { S: [WAKE_KEY.sk] } } },
          }),
        ],
      }),
    );
  }
}
