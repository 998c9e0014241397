import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createRegistry } from '../src/backends/registry.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { createStrataYoga } from '../src/yoga.ts';
import { freePort } from './processes.ts';
import type { UPDATE_WORKLOAD } from './update-workload.ts';
import type { Workload } from './workloads.ts';

/**
 * What one request costs the shared tiers, read from the servers' own counters so nothing is added
 * to the gateway: Redis commands (INFO commandstats of a redis-server the bench starts for itself,
 * so no other client's commands are counted), and PostgreSQL statements counted by the gateway's
 * own SQL client (`registry.sql.stats`) in a gateway built in this process on the same configuration.
 * (pg_stat_user_tables was tried: a backend flushes its counters up to 10 s late, so a reading
 * right after a run misses part of it.)
 */

export interface BenchRedis {
  url: string;
  pid: number;
  /** Calls and microseconds per command since the server started. */
  commandStats(): Promise<Map<string, { calls: number; usec: number }>>;
  stop(): Promise<void>;
}

/** A private redis-server on a free port: no persistence, nothing else talking to it. */
export async function startBenchRedis(): Promise<BenchRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  admin.on('error', () => {});
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.connect();
      break;
    } catch (err) {
      if (attempt > 100) throw new Error(`redis-server did not start on port ${port}`, { cause: err });
      admin.disconnect();
      await sleep(50);
    }
  }
  return {
    url,
    pid: child.pid!,
    async commandStats() {
      const stats = new Map<string, { calls: number; usec: number }>();
      for (const line of (await admin.info('commandstats')).split('\n')) {
        const match = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line.trim());
        if (match) stats.set(match[1]!, { calls: Number(match[2]), usec: Number(match[3]) });
      }
      return stats;
    },
    async stop() {
      admin.disconnect();
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

/** Redis commands per request between two commandstats readings; the bench's own INFO calls are left out. */
export function redisDelta(before: Map<string, { calls: number; usec: number }>, after: Map<string, { calls: number; usec: number }>, requests: number) {
  const perCommand: [string, number][] = [];
  let calls = 0;
  let usec = 0;
  for (const [name, a] of after) {
    if (name === 'info') continue;
    const b = before.get(name) ?? { calls: 0, usec: 0 };
    if (a.calls === b.calls) continue;
    perCommand.push([name, (a.calls - b.calls) / requests]);
    calls += a.calls - b.calls;
    usec += a.usec - b.usec;
  }
  perCommand.sort((x, y) => y[1] - x[1]);
  return { opsPerRequest: calls / requests, usecPerRequest: usec / requests, top: perCommand.slice(0, 4) };
}

/**
 * Statements per request of each workload, counted by the SQL client of a gateway built in this
 * process with the same database and Redis: `requests` sequential requests after a warm-up (so the
 * evaluation cache is as warm as in the load runs).
 */
export async function statementsPerRequest(env: NodeJS.ProcessEnv, workloads: readonly Workload[], requests = 300): Promise<Map<string, number>> {
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent', MIGRATE_ON_START: 'false' });
  const logger = createLogger('silent');
  const registry = await createRegistry(config, logger, { migrate: false });
  const yoga = createStrataYoga({ config, registry, logger });
  const send = async (w: Workload, n: number) => {
    const r = w.request('gateway', n, `stmt${Date.now().toString(36)}`);
    const res = await yoga.fetch(`http://bench${r.path}`, { method: r.method, headers: r.headers, body: r.body });
    if (!res.ok) throw new Error(`${w.name} answered ${res.status} in the statement count`);
    await res.arrayBuffer();
  };
  const counts = new Map<string, number>();
  try {
    for (const w of workloads) {
      await (w as Partial<typeof UPDATE_WORKLOAD>).prepare?.(async (r) => void (await yoga.fetch(`http://bench${r.path}`, { method: r.method, headers: r.headers, body: r.body })).arrayBuffer());
      for (let n = 0; n < requests; n++) await send(w, n); // warm-up: the same requests fill the cache
      const before = registry.sql!.stats.statements;
      for (let n = 0; n < requests; n++) await send(w, n);
      counts.set(w.name, (registry.sql!.stats.statements - before) / requests);
    }
  } finally {
    await registry.close();
  }
  return counts;
}
