/** Someone waiting in a queue: who, for which team, since when. */
export interface QueueEntry {
  requestId: string;
  team: string;
  since: string;
}

/**
 * Fair order across teams: each team's requests keep their arrival order, and the teams take turns
 * — every team's first request, in the order those arrived, then every team's second, and so on.
 * What a team already holds counts as turns taken. One team submitting 100 requests does not make
 * another team's single request wait behind them.
 */
export function fairOrder<T extends QueueEntry>(
  waiting: readonly T[],
  holding: readonly QueueEntry[] = [],
): T[] {
  const arrival = (a: T, b: T) =>
    a.since < b.since ? -1 : a.since > b.since ? 1 : a.requestId < b.requestId ? -1 : 1;
  const turn = new Map<T, number>();
  const seen = new Map<string, number>();
  for (const held of holding) seen.set(held.team, (seen.get(held.team) ?? 0) + 1);
  for (const entry of [...waiting].sort(arrival)) {
    const n = seen.get(entry.team) ?? 0;
    seen.set(entry.team, n + 1);
    turn.set(entry, n);
  }
  return [...waiting].sort((a, b) => (turn.get(a) ?? 0) - (turn.get(b) ?? 0) || arrival(a, b));
}
