import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNBOOK } from '../../src/infra/alarms';
import { FactoryStack } from '../../src/infra/factory-stack';
import { emfLine, METRICS, reportAdvanced } from '../../src/infra/handlers/metrics';
import type { RequestRecord } from '../../src/domain/account-request';

const stack = new FactoryStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Ops');
const template = Template.fromStack(stack);
type Resource = { Properties: Record<string, unknown> };
const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm')) as Array<[string, Resource]>;

/** The dashboard's body with its tokens (Refs, the region) left as they are: the metrics it names. */
function dashboardBody(): string {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as Resource[];
  return JSON.stringify(dashboard!.Properties.DashboardBody);
}

describe('operations: dashboard, alarms and their runbook', () => {
  it('has one dashboard with requests by status, time to READY p50/p95, throttles, worker errors, backlog', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = dashboardBody();
    for (const title of [
      'Requests by status',
      'Time to READY',
      'AWS throttles',
      'Worker errors',
      'Delivery backlog',
    ])
      expect(body).toContain(title);
    for (const metric of [
      METRICS.openRequests,
      METRICS.requestsSettled,
      METRICS.timeToReady,
      METRICS.awsThrottles,
      METRICS.workerErrors,
      METRICS.deliveryBacklog,
    ])
      expect(body).toContain(`\\"${METRICS.namespace}\\",\\"${metric}\\"`);
    for (const status of ['PENDING_APPROVAL', 'QUEUED', 'IN_PROGRESS', 'READY', 'FAILED'])
      expect(body).toContain(`\\"Status\\",\\"${status}\\"`);
    expect(body).toContain('\\"stat\\":\\"p50\\"');
    expect(body).toContain('\\"stat\\":\\"p95\\"');
    expect(body).toContain('ThrottledRequests');
  });

  it('sends every alarm to the operations topic and names its runbook section', () => {
    const topic = Object.keys(template.findResources('AWS::SNS::Topic')).find((id) =>
      id.startsWith('OperationsAlarms'),
    );
    expect(alarms.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(
      [
        'ApiFunctionErrorsAlarm',
        'AwsThrottlesAlarm',
        'DeliveryBacklogAlarm',
        'RequestFailedAlarm',
        'TimeToReadyAlarm',
        'WorkerErrorsAlarm',
        'WorkerFunctionErrorsAlarm',
        'WorkerNotRunningAlarm',
      ].sort(),
    );
    const runbook = readFileSync(join(__dirname, '../..', RUNBOOK), 'utf8');
    const sections = new Set([...runbook.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.toLowerCase()));
    for (const [, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
      const section = /see docs\/runbook\.md#([a-z-]+)$/.exec(
        alarm.Properties.AlarmDescription as string,
      )?.[1];
      expect(sections).toContain(section);
    }
  });

  it('alarms on p95 time to READY, sustained throttling, a standing backlog and a silent worker', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: METRICS.timeToReady,
      ExtendedStatistic: 'p95',
      Threshold: 3600,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: METRICS.awsThrottles,
      EvaluationPeriods: 3,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: METRICS.deliveryBacklog,
      Statistic: 'Minimum',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Invocations',
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      Dimensions: [{ Name: 'FunctionName', Value: Match.anyValue() }],
    });
  });

  it('writes EMF lines CloudWatch turns into those metrics, with their dimensions and units', () => {
    const line = JSON.parse(emfLine(METRICS.openRequests, 3, {}, { dimensions: { Status: 'QUEUED' } }));
    expect(line).toEqual(
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            {
              Namespace: 'avf',
              Dimensions: [['Status']],
              Metrics: [{ Name: 'OpenRequests', Unit: 'Count' }],
            },
          ],
        }),
        OpenRequests: 3,
        Status: 'QUEUED',
      }),
    );
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const record = (status: string, createdAt: string, updatedAt: string) =>
      ({ id: `r-${status}`, status, phase: 'done', createdAt, updatedAt }) as unknown as RequestRecord;
    reportAdvanced([
      record('IN_PROGRESS', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z'),
      record('READY', '2026-01-01T00:00:00Z', '2026-01-01T00:12:30Z'),
    ]);
    spy.mockRestore();
    const lines = written.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ RequestsSettled: 1, Status: 'READY', requestId: 'r-READY' }),
      expect.objectContaining({ TimeToReady: 750, requestId: 'r-READY' }),
    ]);
  });
});
