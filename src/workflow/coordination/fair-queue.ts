/** Someone waiting in a queue: who, for which team, since when. */
export interface QueueEntry {
  requestId: string;
  team: string;
  since: string;
}

/**
 * The state of a fair queue's turns: the turn last served, and the last turn given to each team
 * that may still have requests waiting (teams whose last turn is behind `served` are dropped).
 */
export interface Turns {
  served: number;
  teams: Record<string, number>;
}

/**
 * The turn a team's new request takes (start-time fair queuing): the turn after its team's last
 * one, and never before the turn now being served. Requests are served by turn, then by arrival,
 * so the teams take turns — every team's first request, then every team's second, and so on — and
 * each team keeps its arrival order. A team submitting 100 requests does not make another team's
 * single request wait behind them, and the turns a team was granted lately count as turns taken.
 * The turn is fixed when the request queues, so the order needs no rereading of the whole queue:
 * it is the order of (turn, arrival, request id).
 */
export function takeTurn(turns: Turns, team: string): number {
  const last = turns.teams[team];
  const turn = Math.max(turns.served, last === undefined ? 0 : last + 1);
  turns.teams[team] = turn;
  return turn;
}

/** Records that a request of `turn` was served, and forgets teams with nothing left behind it. */
export function serveTurn(turns: Turns, turn: number): void {
  turns.served = Math.max(turns.served, turn);
  for (const [team, last] of Object.entries(turns.teams)) if (last < turns.served) delete turns.teams[team];
}

/** A key whose string order is the queue's order: turn, then arrival, then request id. */
export function queueKey(turn: number, entry: QueueEntry): string {
  return `${String(turn).padStart(12, '0')}|${entry.since}|${entry.requestId}`;
}
