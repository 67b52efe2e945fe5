import { ApiClient } from '../api-client';
import { formatDrift, type DriftView } from '../drift-view';

/** `avf drift`: the current or last drift sweep and its findings. */
export async function driftCommand(): Promise<number> {
  const view = await ApiClient.fromEnv().call<DriftView>('GET', '/v1/drift');
  for (const line of formatDrift(view)) console.log(line);
  return (view.sweep?.findings ?? []).some((f) => f.remediated !== true) ? 1 : 0;
}
