import { gqlAt, post } from './gateway-http.ts';
import type { GatewayProcess } from './gateway-process.ts';
import { subscriptionClient, TRANSPORTS, type Received, type SubscriptionClient, type Transport } from './subscriptions.ts';

/**
 * The roles of the three-replica test's mixed phase (test/api/three-replicas.test.ts): each runs a
 * fixed number of operations spread over every replica and returns what it saw, so the test can
 * start them all at once and check every property afterwards. They share nothing but `Acked`.
 */
export interface ReplicaSet {
  replicas: GatewayProcess[];
  /** The API key of the workload (read+write). */
  headers: Record<string, string>;
}

/** Replica names in the order of `replicas`, for messages and the texts the writers store. */
export const NAMES = ['a', 'b', 'c'];

const gql = (c: ReplicaSet, r: number, query: string, variables?: Record<string, unknown>) => gqlAt(c.replicas[r % c.replicas.length]!.url, c.headers, query, variables);

/** Per evaluation, the last write a writer got acknowledged: a read that starts later must show it. */
export type Acked = Map<string, number>;

/** One writer's texts for round n through replica r: what every subscriber must receive. */
export const lineOf = (id: string, n: number, r: number) => `${id} line ${n} via ${NAMES[r]}`;
export const stepOf = (id: string, n: number, r: number) => `${id} step ${n} via ${NAMES[r]}`;
/** The replica a writer of evaluation number k uses in round n: every writer goes round all three. */
export const writerReplica = (k: number, n: number) => (n + k) % 3;

/**
 * One writer per evaluation, `rounds` rounds each: a log line, an event and `retries: n`, each
 * round through the next replica. After each acknowledgement the writer reads through yet another
 * replica, which must show exactly n. Returns the stale reads it saw.
 */
export async function writers(c: ReplicaSet, ids: string[], rounds: number, acked: Acked): Promise<string[]> {
  const stale: string[] = [];
  await Promise.all(
    ids.map(async (id, k) => {
      for (let n = 1; n <= rounds; n++) {
        const r = writerReplica(k, n);
        await gql(c, r, 'mutation($id: ID!, $t: String!) { appendLogs(id: $id, lines: [{ text: $t }]) { nextSeq } }', { id, t: lineOf(id, n, r) });
        await gql(c, r, 'mutation($id: ID!, $m: String) { addEvent(evaluationId: $id, type: "progress", message: $m) { id } }', { id, m: stepOf(id, n, r) });
        await gql(c, r, 'mutation($id: ID!, $n: Int!) { updateEvaluation(id: $id, input: { retries: $n }) { retries } }', { id, n });
        acked.set(id, n);
        const seen = (await gql(c, r + 1, 'query($id: ID!) { evaluation(id: $id) { retries } }', { id })).evaluation.retries as number;
        if (seen !== n) stale.push(`${NAMES[(r + 1) % 3]} read retries=${seen} of ${id} right after write ${n} through ${NAMES[r]}`);
      }
    }),
  );
  return stale;
}

/**
 * One reader per replica, reading every evaluation in one query until `busy()` turns false; a
 * value below the floor acknowledged before the read started is a stale read.
 */
export async function readers(c: ReplicaSet, ids: string[], acked: Acked, busy: () => boolean): Promise<{ reads: number; stale: string[] }> {
  const query = `query(${ids.map((_, i) => `$e${i}: ID!`).join(', ')}) { ${ids.map((_, i) => `e${i}: evaluation(id: $e${i}) { retries }`).join(' ')} }`;
  const variables = Object.fromEntries(ids.map((id, i) => [`e${i}`, id]));
  const stale: string[] = [];
  let reads = 0;
  await Promise.all(
    c.replicas.map(async (_, r) => {
      while (busy()) {
        const floors = ids.map((id) => acked.get(id) ?? 0);
        const data = await gql(c, r, query, variables);
        reads++;
        ids.forEach((id, i) => {
          const seen = (data[`e${i}`].retries as number | null) ?? 0;
          if (seen < floors[i]!) stale.push(`${NAMES[r]} read retries=${seen} of ${id} after write ${floors[i]} was acknowledged`);
        });
      }
    }),
  );
  return { reads, stale };
}

/** `perReplica` consumers on every replica pop while pushers on every replica push `items` numbers. */
export async function queueTraffic(c: ReplicaSet, queue: string, items: number, perReplica: number): Promise<{ n: number; replica: number }[]> {
  let pushed = 0;
  const pushers = c.replicas.map(async (_, r) => {
    for (let i = r; i < items; i += c.replicas.length) {
      await gql(c, r, 'mutation($q: String!, $item: JSON!) { queuePush(name: $q, item: $item) }', { q: queue, item: { n: i } });
      pushed++;
    }
  });
  const consumed: { n: number; replica: number }[] = [];
  const consumers = c.replicas.flatMap((_, r) =>
    Array.from({ length: perReplica }, async () => {
      for (;;) {
        // An empty answer ends this consumer only if every push was acknowledged before it asked.
        const allPushed = pushed === items;
        const { queuePop } = await gql(c, r, 'mutation($q: String!) { queuePop(name: $q, timeoutMs: 200) }', { q: queue });
        if (queuePop) consumed.push({ n: queuePop.n as number, replica: r });
        else if (allPushed) return;
      }
    }),
  );
  await Promise.all([...pushers, ...consumers]);
  return consumed;
}

/**
 * `perReplica` contenders on every replica, `rounds` critical sections each: inside the lock, a
 * read-modify-write of the KV counter `counter`, read through one other replica and written
 * through the third, which loses updates unless the lock is exclusive; after each, the task
 * counter `counter` counts one execution (recordExecution), which must add up without a lock.
 */
export async function lockTraffic(c: ReplicaSet, lock: string, counter: string, perReplica: number, rounds: number): Promise<{ maxHolders: number; sections: number }> {
  let holders = 0;
  let maxHolders = 0;
  let sections = 0;
  const contenders = c.replicas.flatMap((_, r) =>
    Array.from({ length: perReplica }, async () => {
      for (let round = 0; round < rounds; round++) {
        let token: string | null = null;
        while (!token) token = (await gql(c, r, 'mutation($k: String!) { lockAcquire(key: $k, ttlMs: 60000, waitMs: 20000) }', { k: lock })).lockAcquire;
        holders++;
        maxHolders = Math.max(maxHolders, holders);
        const { kv } = await gql(c, r + 1, 'query($k: String!) { kv(key: $k) { value } }', { k: counter });
        await gql(c, r + 2, 'mutation($k: String!, $v: JSON!) { kvPut(key: $k, value: $v) { key } }', { k: counter, v: ((kv?.value as number) ?? 0) + 1 });
        sections++;
        holders--;
        const { lockRelease } = await gql(c, r, 'mutation($k: String!, $t: String!) { lockRelease(key: $k, token: $t) }', { k: lock, t: token });
        if (lockRelease !== true) throw new Error(`${NAMES[r]}: the holder could not release its own lock`);
        // Outside the lock: a task counter of the same name, bumped through yet another replica.
        await gql(c, round, 'mutation($k: ID!) { recordExecution(taskId: $k, success: true, durationMs: 1) { totalExecutions } }', { k: counter });
      }
    }),
  );
  await Promise.all(contenders);
  return { maxHolders, sections };
}

/** `perReplica` requests on every replica with one rate-limited key, one at a time per replica. */
export async function rateTraffic(c: ReplicaSet, headers: Record<string, string>, perReplica: number): Promise<{ accepted: number; refused: number; other: string[] }> {
  const counts = { accepted: 0, refused: 0, other: [] as string[] };
  await Promise.all(
    c.replicas.map(async (g) => {
      for (let i = 0; i < perReplica; i++) {
        const a = await post(g.url, '{ __typename }', undefined, headers);
        if (a.status === 200 && !a.body.errors) counts.accepted++;
        else if (a.status === 429 && a.body.errors?.[0]?.extensions?.['code'] === 'RATE_LIMITED') counts.refused++;
        else counts.other.push(`${a.status} ${JSON.stringify(a.body)}`);
      }
    }),
  );
  return counts;
}

/** One subscription of the mixed phase: where it listens, and what it received. */
export interface Watch {
  replica: number;
  transport: Transport;
  id: string;
  logs: Received;
  events: Received;
  updates: Received;
}

/** On every replica, over SSE and WebSocket, logs, events and updates of every evaluation. */
export function watchAll(c: ReplicaSet, ids: string[]): { watches: Watch[]; clients: SubscriptionClient[] } {
  const clients: SubscriptionClient[] = [];
  const watches = c.replicas.flatMap((g, replica) =>
    TRANSPORTS.flatMap((transport) => {
      const client = subscriptionClient(transport, g.url, c.headers);
      clients.push(client);
      return ids.map((id) => ({
        replica,
        transport,
        id,
        logs: client.subscribe('subscription($id: ID!) { evaluationLogs(id: $id) { seq text } }', { id }),
        events: client.subscribe('subscription($id: ID!) { evaluationEvents(id: $id) { type message } }', { id }),
        updates: client.subscribe('subscription($id: ID!) { evaluationUpdated(id: $id) { status retries } }', { id }),
      }));
    }),
  );
  return { watches, clients };
}
