import { SEED_DEFAULTS } from '../src/seed.ts';

/**
 * The four workloads of issue 2, each as the gateway's GraphQL request and the baseline's plain
 * HTTP request for the same data. The baseline answers in the gateway's JSON shape, so one check
 * (check.ts) can prove the two return the same data before any load is measured.
 */

export type TargetName = 'gateway' | 'baseline';

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Workload {
  name: string;
  title: string;
  /** It inserts rows: they are deleted after each run, so every run sees the same seeded data. */
  writes: boolean;
  /** The n-th request of a run; `tag` makes written ids unique across runs. */
  request(target: TargetName, n: number, tag: string): HttpRequest;
  /** The part of a response both servers must agree on (W4's ids and times differ by design). */
  comparable(response: unknown): unknown;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function graphql(query: string, variables?: Record<string, unknown>): HttpRequest {
  return { method: 'POST', path: '/graphql', headers: JSON_HEADERS, body: JSON.stringify({ query, variables }) };
}

// A stride prime to the seed size visits every seeded id once per 10,000 requests, in an order
// that jumps around the table instead of walking one index page after the other.
export function seedId(n: number): string {
  const i = 1 + ((n * 7919) % SEED_DEFAULTS.evaluations);
  return `eval_seed_${String(i).padStart(6, '0')}`;
}

const W1_QUERY = `query Evaluation($id: ID!) { evaluation(id: $id) {
  id code codeHash language status createdAt startedAt completedAt runtimeMs metadata retries celeryTaskId deletedAt } }`;

const W2_QUERY = `{ evaluations(first: 50, filter: { status: [COMPLETED] }) { edges { node {
  id status createdAt runtimeMs
  events(first: 10) { edges { node { type timestamp message } } }
  metrics(names: ["accuracy"]) { name value step timestamp } } } } }`;

const W3_QUERY = `{ statistics { total byStatus { status count } byLanguage { language count } runtimeMs { avg p50 p95 max } } }`;

const W4_QUERY = `mutation Create($input: CreateEvaluationInput!) { createEvaluation(input: $input) {
  id code codeHash language status createdAt } }`;

const same = (response: unknown) => response;

// Requests that do not change from one to the next are built once: autocannon asks for one per
// request, and building them must not cost the load generator more than necessary.
const W2 = { gateway: graphql(W2_QUERY), baseline: { method: 'GET', path: '/evaluations?status=COMPLETED&first=50&events=10&metrics=accuracy' } } as const;
const W3 = { gateway: graphql(W3_QUERY), baseline: { method: 'GET', path: '/statistics' } } as const;

function createInput(target: TargetName, n: number, tag: string) {
  return { id: `bench_${tag}_${target}_${n}`, code: `print("bench ${n}")`, language: 'python' };
}

/** W4's answer without what differs by design: the id (per target) and the creation time. */
function createComparable(response: unknown): unknown {
  const created = (response as { data?: { createEvaluation?: Record<string, unknown> } }).data?.createEvaluation;
  if (!created) return response;
  const { id, createdAt, ...rest } = created;
  return { ...rest, id: typeof id, createdAt: typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt)) };
}

export const WORKLOADS: readonly Workload[] = [
  {
    name: 'W1',
    title: 'one evaluation by id',
    writes: false,
    request: (target, n) => (target === 'gateway' ? graphql(W1_QUERY, { id: seedId(n) }) : { method: 'GET', path: `/evaluations/${seedId(n)}` }),
    comparable: same,
  },
  { name: 'W2', title: '50 newest COMPLETED + 10 events + accuracy metrics', writes: false, request: (target) => W2[target], comparable: same },
  { name: 'W3', title: 'statistics', writes: false, request: (target) => W3[target], comparable: same },
  {
    name: 'W4',
    title: 'createEvaluation',
    writes: true,
    request: (target, n, tag) =>
      target === 'gateway'
        ? graphql(W4_QUERY, { input: createInput(target, n, tag) })
        : { method: 'POST', path: '/evaluations', headers: JSON_HEADERS, body: JSON.stringify(createInput(target, n, tag)) },
    comparable: createComparable,
  },
];
