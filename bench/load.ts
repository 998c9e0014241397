import autocannon from 'autocannon';
import { machineBusyMs, processCpuMs, selfCpuMs, snapshot, spentBetween } from './cpu.ts';
import type { BenchDatabase } from './database.ts';
import type { ServerProcess } from './processes.ts';
import type { TargetName, Workload } from './workloads.ts';

/** A server under test with the PostgreSQL application_name its connections carry (PGAPPNAME). */
export interface Target {
  name: TargetName;
  server: ServerProcess;
  applicationName: string;
}

export interface Measurement {
  workload: string;
  target: TargetName;
  requests: number;
  rps: number;
  /** Latency percentiles in ms, as autocannon measures them (whole milliseconds). */
  p50: number;
  p99: number;
  /** Responses that were not 2xx, plus connection errors and timeouts: a valid run has none. */
  failures: number;
  /** CPU of the server process per request, ms. */
  cpuMs: number | null;
  /** CPU of the server's PostgreSQL backends per request, ms. */
  dbCpuMs: number | null;
  /** Cores used by this process (autocannon) during the run: it shares the machine with the servers. */
  loadCores: number;
  /** Cores kept busy by everything else on the machine during the run: a noise indicator. */
  otherCores: number;
}

/** Drives `seconds` of load; every request comes from the workload, numbered from 0. */
export function drive(target: Target, workload: Workload, seconds: number, connections: number, tag: string): Promise<autocannon.Result> {
  let n = 0;
  const request = (): autocannon.Request => workload.request(target.name, n++, tag);
  return autocannon({
    url: target.server.origin,
    connections,
    duration: seconds,
    // setupRequest runs before every request, so ids can rotate (W1) or stay unique (W4).
    requests: [{ setupRequest: (base) => ({ ...base, ...request() }) }],
  });
}

/** One measured run with CPU read from /proc before and after: the servers carry no probe. */
export async function measure(db: BenchDatabase, target: Target, workload: Workload, seconds: number, connections: number, tag: string): Promise<Measurement> {
  const backends = await db.backendPids(target.applicationName);
  const before = { server: processCpuMs(target.server.pid), db: snapshot(backends), machine: machineBusyMs(), self: selfCpuMs(), at: Date.now() };
  const result = await drive(target, workload, seconds, connections, tag);
  const server = processCpuMs(target.server.pid);
  const dbAfter = snapshot([...new Set([...backends, ...(await db.backendPids(target.applicationName))])]);
  const machine = machineBusyMs();
  const self = selfCpuMs();
  const wallMs = Date.now() - before.at;

  const requests = result.requests.total;
  const serverMs = server !== null && before.server !== null ? server - before.server : null;
  const dbMs = spentBetween(before.db, dbAfter);
  const otherMs = machine - before.machine - (serverMs ?? 0) - dbMs - (self - before.self);
  return {
    workload: workload.name,
    target: target.name,
    requests,
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    cpuMs: serverMs !== null && requests > 0 ? serverMs / requests : null,
    dbCpuMs: requests > 0 ? dbMs / requests : null,
    loadCores: (self - before.self) / wallMs,
    otherCores: Math.max(0, otherMs / wallMs),
  };
}
