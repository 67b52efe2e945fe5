import { Command, InvalidArgumentError, Option } from 'commander';
import { AvfError } from '../domain/errors';
import type { Role } from '../domain/ports/request-store';
import { bootstrapCommand } from './commands/bootstrap';
import { requestCommand, statusCommand, verifyCommand } from './commands/client';
import { demo } from './commands/demo';
import { serve, stopOnSignal } from './commands/serve';
import { createTokenCommand } from './commands/token';
import { runWorker } from './commands/worker';

// The SDK warns on every client that its 2027 releases need Node 22; the README lists the upgrade.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is a whole number 0-65535');
  return n;
};

const program = new Command()
  .name('avf')
  .description('AWS account vending factory: vend, baseline, verify and hand over AWS accounts')
  .showHelpAfterError();

program
  .command('demo')
  .description(
    'local, no AWS account: start moto, bootstrap the example organisation, serve the API and vend one account',
  )
  .option('--config <file>', 'config file (default: $AVF_CONFIG or ./factory.config.yaml)')
  .option('--port <n>', 'API port (default: $PORT or 8080, or a free port if that is taken)', port)
  .option('--exit', 'return after the sample account (exit code 0 only if it reached READY)')
  .action(async (o: { config?: string; port?: number; exit?: boolean }) => {
    process.exitCode = await demo({ configFile: o.config, port: o.port, exit: o.exit ?? false });
  });

program
  .command('bootstrap')
  .description('reconcile the organisation foundation the config describes (idempotent)')
  .option('--config <file>', 'config file')
  .option('--dry-run', 'print the plan and change nothing')
  .action(async (o: { config?: string; dryRun?: boolean }) => {
    process.exitCode = await bootstrapCommand({ configFile: o.config, dryRun: o.dryRun ?? false });
  });

program
  .command('serve')
  .description('the HTTP API, with the worker in the same process unless --no-worker')
  .option('--config <file>', 'config file')
  .option('--port <n>', 'port (default: $PORT or 8080)', port)
  .option('--no-worker', 'serve the API only')
  .action(async (o: { config?: string; port?: number; worker: boolean }) => {
    const server = await serve({ configFile: o.config, port: o.port, worker: o.worker });
    stopOnSignal(() => server.stop());
  });

program
  .command('worker')
  .description('the worker alone (several may run against one store)')
  .option('--config <file>', 'config file')
  .action(async (o: { config?: string }) => runWorker({ configFile: o.config }));

program
  .command('token')
  .description('API tokens')
  .command('create')
  .description('print a new API token once; only its hash is stored')
  .addOption(
    new Option('--role <role>', 'role')
      .choices(['requester', 'platform', 'finance', 'auditor'])
      .makeOptionMandatory(),
  )
  .option('--team <team>', 'team (required for requester)')
  .option('--name <name>', 'a name to recognise the token by')
  .action(async (o: { role: Role; team?: string; name?: string }) => {
    console.log(await createTokenCommand(o));
  });

program
  .command('request')
  .description('submit an account request (JSON body as in the API) and follow it')
  .requiredOption('--file <file>', 'request body, JSON')
  .option('--no-wait', 'return once accepted')
  .action(async (o: { file: string; wait: boolean }) => {
    process.exitCode = await requestCommand(o);
  });

program
  .command('status')
  .description('show a request; --wait follows it to READY or FAILED')
  .argument('<id>')
  .option('--wait', 'follow until READY or FAILED')
  .action(async (id: string, o: { wait?: boolean }) => {
    process.exitCode = await statusCommand(id, o.wait ?? false);
  });

program
  .command('verify')
  .description('verify an account now: every control, read-only, with evidence')
  .argument('<accountId>')
  .option('--config <file>', 'config file')
  .action(async (accountId: string, o: { config?: string }) => {
    process.exitCode = await verifyCommand(accountId, { configFile: o.config });
  });

program.parseAsync().catch((e: unknown) => {
  console.error(e instanceof AvfError ? `avf: ${e.message}` : e);
  process.exitCode = e instanceof AvfError ? 2 : 1;
});
