import { createClient } from 'graphql-sse';
import { createStrataClient, type StrataClient } from 'strata/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { processCpuMs, selfCpuMs } from './cpu.ts';
import type { ServerProcess } from './processes.ts';

/**
 * One fan-out measurement: `subscribers` graphql-sse clients (distinct connections, spread over the
 * servers) subscribe to runningEvaluations; a driver makes one status change every `intervalMs`
 * (QUEUED -> RUNNING, RUNNING -> COMPLETED, alternating over the servers), and every subscriber
 * records when each change reached it. Latency: from just before the mutation is sent to arrival.
 */
export interface FanoutResult {
  subscribers: number;
  changes: number;
  deliveries: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU of each server over the change window, in % of one core. */
  serverCpu: number[];
  clientCpu: number;
  windowMs: number;
  /** Changes made per second, as scheduled (the driver never waits for answers). */
  changesPerSecond: number;
}

/** Ticks between an evaluation's start and its finish. */
const LAG = 10;
// The subscribers stay raw graphql-sse clients with this small selection, on purpose: what is
// measured is the gateway fanning one change out to N streams, and strata/client's
// OnRunningEvaluations selects the whole EvaluationRow (times, runtime, running host and
// container), several times the bytes per delivery, serialized once per subscriber; it would
// measure a bigger payload rather than the fan-out, and break comparison with bench/RESULTS.md.
const SUBSCRIPTION = 'subscription { runningEvaluations { kind evaluation { id status } } }';

export async function measureFanout(servers: ServerProcess[], subscribers: number, changes: number, intervalMs: number): Promise<FanoutResult> {
  // The driver is strata/client, one per server: the evaluations are created (setup, outside the
  // measured window) and every status change is made with its helpers, as a worker makes them.
  // What that changes against a raw `updateEvaluation { id }`: the answer is the evaluation's
  // summary (seven columns of the row just written, ~150 bytes more), and the client's Accept
  // names application/graphql-response+json, so the answer is written through yoga's Response
  // rather than the fast path's plain write. Both cost one mutation answer per change, against
  // SUBSCRIBERS deliveries per change (1,000 by default), and the latency (send to a subscriber's
  // arrival) does not wait for the answer at all.
  const drivers = servers.map((s) => createStrataClient({ url: `${s.origin}/graphql` }));
  const evaluations: string[] = [];
  for (let i = 0; i < Math.ceil(changes / 2); i++) evaluations.push((await drivers[0]!.createEvaluation({ code: 'bench' })).id);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let lastArrival = 0;
  const clients = Array.from({ length: subscribers }, (_, i) => createClient({ url: `${servers[i % servers.length]!.origin}/graphql`, retryAttempts: 0 }));
  let ready = 0;
  const disposers = clients.map((client) =>
    client.subscribe<{ runningEvaluations: { kind: string; evaluation: { id: string } } }>(
      { query: SUBSCRIPTION },
      {
        next: ({ data }) => {
          const change = data?.runningEvaluations;
          if (!change) return;
          const sent = sentAt.get(`${change.evaluation.id}:${change.kind}`);
          if (sent === undefined) return;
          lastArrival = performance.now();
          latencies.push(lastArrival - sent);
        },
        error: (err) => console.error('subscriber error', err),
        complete: () => {},
      },
      { connected: () => void ready++ },
    ),
  );
  // Every subscriber has its stream open once the server's first byte arrived.
  for (let i = 0; i < 600 && ready < subscribers; i++) await sleep(100);
  await sleep(500);
  const cpuBefore = servers.map((s) => processCpuMs(s.pid) ?? 0);
  const selfBefore = selfCpuMs();
  const started = performance.now();
  // Changes go out on schedule, whatever the answers' latency (no coordinated omission): tick n
  // starts evaluation n/2 and tick n+1 finishes evaluation (n - LAG)/2 once its start has committed.
  const starts: Promise<unknown>[] = [];
  const sends: Promise<unknown>[] = [];
  const change = (id: string, kind: 'STARTED' | 'FINISHED', driver: StrataClient) => {
    sentAt.set(`${id}:${kind}`, performance.now());
    return driver.updateStatus(id, kind === 'STARTED' ? 'RUNNING' : 'COMPLETED');
  };
  for (let n = 0; n < changes; n++) {
    const driver = drivers[n % drivers.length]!;
    if (n % 2 === 0) starts.push(change(evaluations[n >> 1]!, 'STARTED', driver));
    const finish = (n - 1 - LAG) >> 1;
    if (n % 2 === 1 && finish >= 0) sends.push(starts[finish]!.then(() => change(evaluations[finish]!, 'FINISHED', driver)));
    await sleep(Math.max(0, started + (n + 1) * intervalMs - performance.now()));
  }
  const driveMs = performance.now() - started;
  await Promise.all([...starts, ...sends]);
  const made = starts.length + sends.length;
  const expected = made * subscribers;
  // Wait for the stragglers, but not for what will never come: stop after 2 s without any news.
  for (let quiet = 0, seen = -1; quiet < 20 && latencies.length < expected; quiet = latencies.length === seen ? quiet + 1 : 0) {
    seen = latencies.length;
    await sleep(100);
  }
  const windowMs = lastArrival - started;
  const serverCpu = servers.map((s, i) => (((processCpuMs(s.pid) ?? 0) - cpuBefore[i]!) / windowMs) * 100);
  const clientCpu = ((selfCpuMs() - selfBefore) / windowMs) * 100;
  disposers.forEach((dispose) => dispose());
  clients.forEach((client) => client.dispose());
  drivers.forEach((driver) => driver.close());
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { subscribers, changes: made, deliveries: latencies.length, expected, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? NaN, serverCpu, clientCpu, windowMs, changesPerSecond: (made * 1000) / driveMs };
}
