import type { HttpRequest, Workload } from './workloads.ts';

/**
 * W5, for the replica bench: `updateEvaluation` of an existing evaluation (one field). It is the
 * write every cached replica pays for: the row update in PostgreSQL, the cache invalidation in
 * Redis and the change published for subscribers. Its targets are evaluations of its own
 * (`bench_upd_*`), created by `prepare` and removed with the other written rows by resetWrites,
 * so the seeded data other benches read is never changed.
 */
const TARGETS = 1000;
const QUERY = 'mutation U($id: ID!, $n: Int!) { updateEvaluation(id: $id, input: { retries: $n }) { id retries } }';
const json = (body: unknown): HttpRequest => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const UPDATE_WORKLOAD: Workload & { prepare(send: (request: HttpRequest) => Promise<void>): Promise<void> } = {
  name: 'W5',
  title: 'updateEvaluation of an existing evaluation',
  writes: true,
  request: (_target, n) => json({ query: QUERY, variables: { id: `bench_upd_${n % TARGETS}`, n } }),
  comparable: (response) => response,
  async prepare(send) {
    for (let start = 0; start < TARGETS; start += 50) {
      const fields = Array.from({ length: 50 }, (_, i) => `c${i}: createEvaluation(input: { id: "bench_upd_${start + i}", code: "print(${start + i})" }) { id }`);
      await send(json({ query: `mutation { ${fields.join(' ')} }` }));
    }
  },
};
