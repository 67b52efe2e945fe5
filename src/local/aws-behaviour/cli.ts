import { Command } from 'commander';
import { startMoto } from '../moto';
import { loadProfile } from './profile';
import { startBehaviourProxy } from './proxy';

/**
 * `npm run local-aws -- --profile fast`: moto_server (or --upstream) behind the AWS behaviour
 * layer, until interrupted. Point AWS_ENDPOINT_URL at the printed endpoint.
 */
const program = new Command()
  .name('local-aws')
  .description('moto_server behind the AWS behaviour layer (async states, quotas, faults)')
  .option(
    '--profile <name|file>',
    'profile name (instant, realistic, bench, fast, fast-faulty) or JSON file',
    'realistic',
  )
  .option('--upstream <url>', 'an already running moto_server (default: start one)')
  .option('--port <n>', 'port to listen on (default: a free one)', (v) => Number(v))
  .option('--log <file>', 'append every mutating call to this JSON-lines file')
  .action(async (o: { profile: string; upstream?: string; port?: number; log?: string }) => {
    const moto = o.upstream ? undefined : await startMoto();
    const proxy = await startBehaviourProxy({
      upstream: o.upstream ?? moto!.endpoint,
      profile: loadProfile(o.profile),
      port: o.port,
      logFile: o.log,
    });
    process.stdout.write(
      `AWS behaviour layer (${o.profile}) at ${proxy.endpoint}, upstream ${o.upstream ?? moto!.endpoint}\n`,
    );
    process.stdout.write(`export AWS_ENDPOINT_URL=${proxy.endpoint}\n`);
    // moto takes any keys; without some, avf's start-up check finds no credentials and stops.
    process.stdout.write('export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1\n');
    // Declares the emulator: controls it cannot evaluate are recorded as such instead of blocking READY.
    process.stdout.write('export AVF_EMULATOR=1\n');
    const stop = () => {
      void proxy
        .stop()
        .then(() => moto?.stop())
        .then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program.parseAsync().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exitCode = 1;
});
