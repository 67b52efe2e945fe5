import type { Command } from 'commander';
import { driftCommand, driftHistoryCommand, driftShowCommand, driftStartCommand } from './commands/drift';
import {
  rolloutHaltCommand,
  rolloutPlanCommand,
  rolloutResumeCommand,
  rolloutStartCommand,
  rolloutStatusCommand,
  type RolloutOptions,
} from './commands/rollout';
import { count, percentages } from './options';

const withWaveOptions = (command: Command): Command =>
  command
    .option('--canary <n>', 'accounts in the first (canary) wave (default 1)', count)
    .option('--waves <list>', 'cumulative percentages of the later waves (default 25,50,100)', percentages)
    .option('--threshold <percent>', 'a wave failing above this share halts the rollout (default 0)', count);

/** `avf rollout plan|start|status|halt|resume`: the baseline rolled out in waves. */
export function registerRolloutCommands(program: Command): void {
  const rollout = program.command('rollout').description("roll the config's baseline version out in waves");
  withWaveOptions(
    rollout.command('plan').description('dry run: what would change where, and the waves'),
  ).action(async (o: RolloutOptions) => {
    process.exitCode = await rolloutPlanCommand(o);
  });
  withWaveOptions(rollout.command('start').description('start a rollout; --wait follows it'))
    .option('--wait', 'follow the waves until the rollout succeeds or halts')
    .action(async (o: RolloutOptions & { wait?: boolean }) => {
      process.exitCode = await rolloutStartCommand({ ...o, wait: o.wait ?? false });
    });
  rollout
    .command('status')
    .description('a rollout with its waves; --wait follows it')
    .argument('<id>')
    .option('--wait', 'follow until it succeeds or halts')
    .action(async (id: string, o: { wait?: boolean }) => {
      process.exitCode = await rolloutStatusCommand(id, o.wait ?? false);
    });
  rollout
    .command('halt')
    .description('stop a running rollout after the step in flight')
    .argument('<id>')
    .action(async (id: string) => {
      process.exitCode = await rolloutHaltCommand(id);
    });
  rollout
    .command('resume')
    .description('run a halted rollout again from where it stopped; --wait follows it')
    .argument('<id>')
    .option('--wait', 'follow until it succeeds or halts again')
    .action(async (id: string, o: { wait?: boolean }) => {
      process.exitCode = await rolloutResumeCommand(id, o.wait ?? false);
    });
}

/** `avf drift [start|history|show]`: the drift sweeps. */
export function registerDriftCommands(program: Command): void {
  const drift = program
    .command('drift')
    .description('the current or last drift sweep: accounts checked, findings, remediation')
    .action(async () => {
      process.exitCode = await driftCommand();
    });
  drift
    .command('start')
    .description('start a drift sweep now, whatever the interval (platform token)')
    .option('--wait', 'follow it until it finishes, then show it')
    .action(async (o: { wait?: boolean }) => {
      process.exitCode = await driftStartCommand({ wait: o.wait ?? false });
    });
  drift
    .command('history')
    .description('finished drift sweeps, newest first')
    .option('--account <accountId>', "with each sweep's findings of this account")
    .option('--limit <n>', 'sweeps per page (default 10)', count)
    .option('--cursor <cursor>', 'the next page, as the previous one printed it')
    .action(async (o: { account?: string; limit?: number; cursor?: string }) => {
      process.exitCode = await driftHistoryCommand(o);
    });
  drift
    .command('show')
    .description('one drift sweep (finished or running) with its findings and errors')
    .argument('<sweepId>')
    .option('--account <accountId>', "only this account's findings and errors")
    .action(async (id: string, o: { account?: string }) => {
      process.exitCode = await driftShowCommand(id, o);
    });
}
