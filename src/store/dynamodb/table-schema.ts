import type { TableDefinition } from '../../aws/dynamodb-table';

/**
 * The store's single table, declared once: `openStore('dynamodb:TABLE')` creates it from this
 * when it is missing, and the CDK stack (src/infra) builds the deployed table from it.
 *
 * Items (pk / sk):
 * - `REQ#<id>` / `REQUEST` — a request: the record as JSON plus the index keys below;
 * - `EMAIL#<normalised email>` / `EMAIL` — holds an email for one request (written in the same
 *   transaction as the request, so two requests never share an email);
 * - `TOKEN#<sha256>` / `TOKEN` — an API token's hash, role, team, expiry and last use (listed in
 *   `all` under `TOKEN`);
 * - `TOKENNAME#<name>` / `TOKENNAME` — holds a token's name for its hash (written in the same
 *   transaction as the token, so two tokens never share a name);
 * - `IDEM#<scope and key>` / `IDEMPOTENCY` — an Idempotency-Key, deleted by TTL once expired;
 * - `AUDIT#<id>` / `AUDIT` — an audit log entry (append-only; deleted by TTL after the retention);
 * - `DOC#<kind>#<id>` / `DOCUMENT` — a coordination document (versioned; listed by kind in `all`);
 * - `JOB#<kind>#<id>` / `JOB` — a job (versioned; listed by kind in `all`, due ones in `due`).
 *
 * Indexes (every attribute projected; sparse: an item without the key is not in the index):
 * - `byAccount` — the request that vended an account;
 * - `all`, `byStatus`, `byTeam`, `byTeamStatus` — listings, newest first (`listSk` is
 *   `<createdAt>#<id>`); `all` also lists the audit log, spread over `AUDIT#0`…`AUDIT#7`;
 * - `due` — QUEUED and IN_PROGRESS requests by `<nextCheckAt>#<id>`, for `claimDue`; scheduled
 *   jobs likewise, under their kind's partition (`JOB#<kind>`), for `claimJobs`.
 */
export const TABLE: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    { name: 'byAccount', partitionKey: 'accountPk' },
    { name: 'all', partitionKey: 'allPk', sortKey: 'listSk' },
    { name: 'byStatus', partitionKey: 'statusPk', sortKey: 'listSk' },
    { name: 'byTeam', partitionKey: 'teamPk', sortKey: 'listSk' },
    { name: 'byTeamStatus', partitionKey: 'teamStatusPk', sortKey: 'listSk' },
    { name: 'due', partitionKey: 'duePk', sortKey: 'dueSk' },
  ],
  ttlAttribute: 'expiresAt',
};

/** Values of `allPk` and `duePk`: every listed (or due) item of a kind shares one partition. */
export const ALL_REQUESTS = 'REQUEST';
export const ALL_AUDIT = 'AUDIT';
export const DUE = 'DUE';

export const requestKey = (id: string) => ({ pk: `REQ#${id}`, sk: 'REQUEST' });
export const emailKey = (normalisedEmail: string) => ({ pk: `EMAIL#${normalisedEmail}`, sk: 'EMAIL' });
export const tokenKey = (hash: string) => ({ pk: `TOKEN#${hash}`, sk: 'TOKEN' });
export const tokenNameKey = (name: string) => ({ pk: `TOKENNAME#${name}`, sk: 'TOKENNAME' });
/** The `all` index partition that lists the tokens. */
export const ALL_TOKENS = 'TOKEN';
export const idempotencyKey = (id: string) => ({ pk: `IDEM#${id}`, sk: 'IDEMPOTENCY' });
export const auditKey = (id: string) => ({ pk: `AUDIT#${id}`, sk: 'AUDIT' });
export const documentKey = (kind: string, id: string) => ({ pk: `DOC#${kind}#${id}`, sk: 'DOCUMENT' });
export const jobKey = (kind: string, id: string) => ({ pk: `JOB#${kind}#${id}`, sk: 'JOB' });
/**
 * The one item the API rewrites after queuing work, to wake the worker function: its stream filter
 * matches this sort key (src/infra/compute.ts).
 */
export const WAKE_KEY = { pk: 'WAKE', sk: 'WAKE' } as const;
/** The `all` (by id) and `due` (by time) index partition of the jobs of a kind. */
export const jobsPartition = (kind: string) => `JOB#${kind}`;
/** The `all` index partition that lists the documents of a kind, by id. */
export const documentsPartition = (kind: string) => `DOC#${kind}`;

/** Sort key of the listing indexes: ISO timestamps have one length, so this sorts as (createdAt, id). */
export const listSortKey = (createdAt: string, id: string) => `${createdAt}#${id}`;
export const dueSortKey = (nextCheckAt: string, id: string) => `${nextCheckAt}#${id}`;
/** Sorts after every `dueSortKey` whose time is `now` or earlier ('$' follows '#'). */
export const dueUpTo = (now: string) => `${now}$`;
/**
 * A query of one `due` index partition (the open requests', or a kind of job's): the items whose
 * next check is by `now`, leased or not (a lease is not in the index key).
 */
export const dueBy = (partition: string, now: string) => ({
  index: 'due',
  keyCondition: {
    expression: 'duePk = :due AND dueSk < :upTo',
    values: { ':due': partition, ':upTo': dueUpTo(now) },
  },
});

/** Only items with a condition on `pk` existing are stored; used by every create. */
export const NEW_ITEM = { expression: 'attribute_not_exists(pk)' } as const;
