import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { BENCH_TOKEN, benchRequestBody } from './bodies';
import { startBenchChild } from './child';
import type { TargetReady } from './http-target';
import { processCpuMs } from './process-cpu';
import { ratio } from './stats';

const TARGET = resolve(__dirname, 'http-target.ts');
const HEADERS = { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' };

/** One autocannon run: throughput and latency (ms), and how many answers were not 2xx. */
export interface HttpFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  /**
   * CPU time (user + system) the target's process spent per request answered during the run, in
   * µs: what a request costs the server, whatever else the machine was doing meanwhile.
   */
  serverCpuUsPerRequest?: number;
}

export interface HttpResult {
  seconds: number;
  connections: number;
  /** Requests the real API's store held before the runs. */
  storedRequests: number;
  getApi: HttpFigures;
  getBare: HttpFigures;
  postApi: HttpFigures;
  postBare: HttpFigures;
  /** The real API's GET throughput as a share of the bare route's (target ≥ 0.5). */
  getRatio: number | undefined;
  postRatio: number | undefined;
  /** The bare route's server CPU per GET as a share of the real API's (1 = the same cost). */
  getCpuRatio?: number | undefined;
}

interface Load {
  url: string;
  method: 'GET' | 'POST';
}

let posted = 0;
/** Every POST a new email, across runs and targets. */
const nextBody = () => JSON.stringify(benchRequestBody('post', posted++));

async function cannon(load: Load, seconds: number, connections: number): Promise<HttpFigures> {
  const result = await autocannon({
    url: load.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: load.method,
        headers: HEADERS,
        ...(load.method === 'POST' ? { setupRequest: (r) => ({ ...r, body: nextBody() }) } : {}),
      },
    ],
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/**
 * A second of load first, unmeasured, so the JIT has warmed up; then `seconds` measured, with the
 * CPU time the target (process `pid`) spent meanwhile.
 */
async function measure(load: Load, seconds: number, connections: number, pid?: number): Promise<HttpFigures> {
  await cannon(load, 1, connections);
  const cpuBefore = processCpuMs(pid);
  const figures = await cannon(load, seconds, connections);
  const cpuAfter = processCpuMs(pid);
  if (cpuBefore === undefined || cpuAfter === undefined || figures.requests === 0) return figures;
  return {
    ...figures,
    serverCpuUsPerRequest: Math.round(((cpuAfter - cpuBefore) * 1000) / figures.requests),
  };
}

/**
 * GET /v1/account-requests/{id} and POST /v1/account-requests against the real API (worker off,
 * SQLite store holding `stored` requests) and against a bare fastify app answering the same JSON;
 * each target in its own process, one at a time, with autocannon in this one.
 */
export async function runHttpBench(o: {
  seconds: number;
  connections?: number;
  stored?: number;
}): Promise<HttpResult> {
  const connections = o.connections ?? 10;
  const stored = o.stored ?? 1_000;
  const dir = mkdtempSync(join(tmpdir(), 'avf-bench-http-'));
  try {
    const api = startBenchChild(TARGET, ['api', String(stored)]);
    let getApi: HttpFigures;
    let postApi: HttpFigures;
    const viewFile = join(dir, 'view.json');
    try {
      const { url, id } = await api.next<TargetReady>();
      const res = await fetch(`${url}/v1/account-requests/${id}`, { headers: HEADERS });
      if (!res.ok) throw new Error(`GET ${id}: HTTP ${res.status} ${await res.text()}`);
      writeFileSync(viewFile, await res.text());
      getApi = await measure(
        { url: `${url}/v1/account-requests/${id}`, method: 'GET' },
        o.seconds,
        connections,
        api.pid,
      );
      postApi = await measure(
        { url: `${url}/v1/account-requests`, method: 'POST' },
        o.seconds,
        connections,
        api.pid,
      );
    } finally {
      await api.stop();
    }
    const bare = startBenchChild(TARGET, ['bare', viewFile]);
    try {
      const { url, id } = await bare.next<TargetReady>();
      const getBare = await measure(
        { url: `${url}/v1/account-requests/${id}`, method: 'GET' },
        o.seconds,
        connections,
        bare.pid,
      );
      const postBare = await measure(
        { url: `${url}/v1/account-requests`, method: 'POST' },
        o.seconds,
        connections,
        bare.pid,
      );
      return {
        seconds: o.seconds,
        connections,
        storedRequests: stored,
        ...{ getApi, getBare, postApi, postBare },
        getRatio: ratio(getApi.requestsPerSecond, getBare.requestsPerSecond),
        postRatio: ratio(postApi.requestsPerSecond, postBare.requestsPerSecond),
        getCpuRatio: ratio(getBare.serverCpuUsPerRequest, getApi.serverCpuUsPerRequest),
      };
    } finally {
      await bare.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
