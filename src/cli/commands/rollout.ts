import { ApiClient } from '../api-client';
import { formatStep } from '../progress';
import {
  formatPlan,
  formatRollout,
  waveAsStep,
  type RolloutPlanView,
  type RolloutView,
} from '../rollout-view';

export interface RolloutOptions {
  canary?: number;
  waves?: number[];
  threshold?: number;
}

function body(options: RolloutOptions, dryRun: boolean) {
  const waves = {
    ...(options.canary !== undefined ? { canary: options.canary } : {}),
    ...(options.waves ? { percentages: options.waves } : {}),
  };
  return {
    waves,
    ...(options.threshold !== undefined ? { failureThresholdPercent: options.threshold } : {}),
    dryRun,
  };
}

const rolloutPath = (id: string) => `/v1/rollouts/${encodeURIComponent(id)}`;

/** Polls a rollout until it leaves RUNNING, printing each wave as it starts and ends. */
async function follow(client: ApiClient, id: string, intervalMs = 1000): Promise<RolloutView> {
  const seen = new Map<number, string>();
  for (;;) {
    const rollout = await client.call<RolloutView>('GET', rolloutPath(id));
    for (const wave of rollout.waves) {
      if (wave.status !== 'PENDING' && seen.get(wave.index) !== wave.status) {
        seen.set(wave.index, wave.status);
        console.log(formatStep(waveAsStep(wave)));
      }
    }
    if (rollout.status !== 'RUNNING') return rollout;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

const exitCode = (rollout: RolloutView) => (rollout.status === 'SUCCEEDED' ? 0 : 1);

/** `avf rollout plan`: what a rollout of the config's version would change where (a dry run). */
export async function rolloutPlanCommand(options: RolloutOptions): Promise<number> {
  const plan = await ApiClient.fromEnv().call<RolloutPlanView>('POST', '/v1/rollouts', body(options, true));
  for (const line of formatPlan(plan)) console.log(line);
  return 0;
}

/** `avf rollout start [--wait]`. */
export async function rolloutStartCommand(options: RolloutOptions & { wait: boolean }): Promise<number> {
  const client = ApiClient.fromEnv();
  const started = await client.call<RolloutView>('POST', '/v1/rollouts', body(options, false));
  console.log(
    `rollout ${started.id} ${started.status}: ${started.waves.length} wave(s) → ${started.toVersion}`,
  );
  if (!options.wait) return 0;
  const final = await follow(client, started.id);
  for (const line of formatRollout(final)) console.log(line);
  return exitCode(final);
}

/** `avf rollout status ID [--wait]`: the waves with their progress. */
export async function rolloutStatusCommand(id: string, wait: boolean): Promise<number> {
  const client = ApiClient.fromEnv();
  const rollout = wait ? await follow(client, id) : await client.call<RolloutView>('GET', rolloutPath(id));
  for (const line of formatRollout(rollout)) console.log(line);
  return rollout.status === 'RUNNING' ? 0 : exitCode(rollout);
}

/** POSTs halt or resume; with `wait`, follows the rollout until it leaves RUNNING. */
async function changeRollout(id: string, action: 'halt' | 'resume', wait: boolean): Promise<number> {
  const client = ApiClient.fromEnv();
  const changed = await client.call<RolloutView>('POST', `${rolloutPath(id)}/${action}`);
  const final = wait && changed.status === 'RUNNING' ? await follow(client, id) : changed;
  for (const line of formatRollout(final)) console.log(line);
  return wait ? exitCode(final) : 0;
}

/** `avf rollout halt ID`. */
export function rolloutHaltCommand(id: string): Promise<number> {
  return changeRollout(id, 'halt', false);
}

/**
 * `avf rollout resume ID [--wait]`: a HALTED rollout runs again where it stopped (a wave that
 * failed stays failed, the next one starts). The API refuses (409) one that is not HALTED, one
 * whose version the config no longer describes, and any while another rollout runs.
 */
export function rolloutResumeCommand(id: string, wait: boolean): Promise<number> {
  return changeRollout(id, 'resume', wait);
}
