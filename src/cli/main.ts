import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import type { Role } from '../domain/ports/request-store';
import { bootstrapCommand } from './commands/bootstrap';
import { requestCommand, statusCommand, verifyCommand, type OutputOptions } from './commands/client';
import {
  accountComplianceCommand,
  listAccountsCommand,
  listRequestsCommand,
  requestActionCommand,
  showAccountCommand,
  type ListOptions,
} from './commands/requests';
import { count, port } from './options';
import { registerDriftCommands, registerRolloutCommands } from './operations-commands';
import { reportError } from './report-error';
import { demo } from './commands/demo';
import { serve, stopOnSignal } from './commands/serve';
import { createTokenCommand, listTokensCommand, revokeTokenCommand } from './commands/token';
import { runWorker } from './commands/worker';

/** The version in package.json (one directory above src/ and dist/ alike). */
function version(): string {
  return (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string })
    .version;
}

// The SDK warns on every client that its 2027 releases need Node 22; the README lists the upgrade.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const program = new Command()
  .name('avf')
  .description('AWS account vending factory: vend, baseline, verify and hand over AWS accounts')
  .version(version(), '-V, --version')
  .option('--debug', 'on an error, print its stack trace too')
  .showHelpAfterError();

const JSON_HELP = "print the API's JSON (for scripts) instead of lines for people";

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
  .option(
    '--create-groups',
    "create the config's groups in the Identity Center identity store (local runs: on AWS they come from your identity provider)",
  )
  .action(async (o: { config?: string; dryRun?: boolean; createGroups?: boolean }) => {
    process.exitCode = await bootstrapCommand({
      configFile: o.config,
      dryRun: o.dryRun ?? false,
      createGroups: o.createGroups ?? false,
    });
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

const token = program.command('token').description('API tokens (these talk to the store: AVF_STORE)');
token
  .command('create')
  .description('print a new API token once; only its hash is stored')
  .addOption(
    new Option('--role <role>', 'role')
      .choices(['requester', 'platform', 'finance', 'auditor'])
      .makeOptionMandatory(),
  )
  .option('--team <team>', 'team (required for requester)')
  .option('--name <name>', 'a unique name to recognise the token by (default: the role and team)')
  .option('--expires-in-days <days>', 'days until it expires, 1-366 (default 90)', count)
  .action(async (o: { role: Role; team?: string; name?: string; expiresInDays?: number }) => {
    console.log(await createTokenCommand(o));
  });
token
  .command('list')
  .description('every token: id, name, role and team, created, expires, last used (never the token)')
  .option('--json', 'as JSON')
  .action(async (o: { json?: boolean }) => {
    console.log(await listTokensCommand(o));
  });
token
  .command('revoke')
  .description('revoke a token by its id (tok_…) or name: calls with it are refused from then on')
  .argument('<idOrName>')
  .action(async (idOrName: string) => {
    console.log(await revokeTokenCommand(idOrName));
  });

program
  .command('request')
  .description('submit an account request (JSON body as in the API) and follow it')
  .requiredOption('--file <file>', 'request body, JSON')
  .option('--no-wait', 'return once accepted')
  .option('--json', JSON_HELP)
  .action(async (o: { file: string; wait: boolean; json?: boolean }) => {
    process.exitCode = await requestCommand(o);
  });

program
  .command('status')
  .description('show a request; --wait follows it, through approval, to READY or FAILED')
  .argument('<id>')
  .option('--wait', 'follow until READY or FAILED (waiting for approval if need be)')
  .option('--json', JSON_HELP)
  .action(async (id: string, o: { wait?: boolean; json?: boolean }) => {
    process.exitCode = await statusCommand(id, { wait: o.wait ?? false, json: o.json });
  });

const requests = program.command('requests').description('account requests');
requests
  .command('list')
  .description('requests, newest first (a requester sees its own team only)')
  .option('--status <status>', 'PENDING_APPROVAL, QUEUED, IN_PROGRESS, READY or FAILED')
  .option('--team <team>', 'only this team')
  .option('--limit <n>', 'per page (default 20)', (v) => count(v))
  .option('--cursor <cursor>', 'the next page, as the previous one printed it')
  .option('--json', JSON_HELP)
  .action(async (o: ListOptions) => {
    process.exitCode = await listRequestsCommand(o);
  });

program
  .command('approve')
  .description('approve a PENDING_APPROVAL request (platform token)')
  .argument('<id>')
  .option('--json', JSON_HELP)
  .action(async (id: string, o: OutputOptions) => {
    process.exitCode = await requestActionCommand('approve', id, o);
  });
program
  .command('reject')
  .description('reject a PENDING_APPROVAL request with a reason (platform token)')
  .argument('<id>')
  .requiredOption('--reason <text>', 'why, told to the requester')
  .option('--json', JSON_HELP)
  .action(async (id: string, o: OutputOptions & { reason: string }) => {
    process.exitCode = await requestActionCommand('reject', id, o);
  });
program
  .command('cancel')
  .description('cancel a request before its account creation starts')
  .argument('<id>')
  .option('--reason <text>', 'why')
  .option('--json', JSON_HELP)
  .action(async (id: string, o: OutputOptions & { reason?: string }) => {
    process.exitCode = await requestActionCommand('cancel', id, o);
  });

const accounts = program.command('accounts').description('the inventory of vended accounts');
accounts
  .command('list')
  .description('accounts, filterable (a requester sees its own team only)')
  .option('--ou <path>', 'only this OU')
  .option('--team <team>', 'only this team')
  .option('--compliance <state>', 'compliant, noncompliant or unverified')
  .option('--limit <n>', 'per page (default 20)', (v) => count(v))
  .option('--cursor <cursor>', 'the next page, as the previous one printed it')
  .option('--json', JSON_HELP)
  .action(async (o: ListOptions & { ou?: string; compliance?: string }) => {
    process.exitCode = await listAccountsCommand(o);
  });
accounts
  .command('show')
  .description('one account: owner, OU, budget, access, controls, baseline')
  .argument('<accountId>')
  .option('--json', JSON_HELP)
  .action(async (id: string, o: OutputOptions) => {
    process.exitCode = await showAccountCommand(id, o);
  });
accounts
  .command('compliance')
  .description("an account's last verification, control by control; exits 1 if a control blocks")
  .argument('<accountId>')
  .option('--json', JSON_HELP)
  .action(async (id: string, o: OutputOptions) => {
    process.exitCode = await accountComplianceCommand(id, o);
  });

program
  .command('verify')
  .description('verify an account now: every control, read-only, with evidence')
  .argument('<accountId>')
  .option('--config <file>', 'config file')
  .option('--json', JSON_HELP)
  .action(async (accountId: string, o: { config?: string; json?: boolean }) => {
    process.exitCode = await verifyCommand(accountId, { configFile: o.config, json: o.json });
  });

registerRolloutCommands(program);
registerDriftCommands(program);

program.parseAsync().catch((e: unknown) => {
  process.exitCode = reportError(e, program.opts<{ debug?: boolean }>().debug ?? false);
});
