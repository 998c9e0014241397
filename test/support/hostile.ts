import fc from 'fast-check';

/** A request the fuzz test sends: in-process through yoga.fetch, or over HTTP. */
export interface HostileRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** mulberry32: a small seeded PRNG, so every run sends the same requests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TRAVERSAL = ['../../etc/passwd', '..%2f..%2fetc%2fpasswd', '%2e%2e/%2e%2e/', '..\\..\\windows\\win.ini', '/etc/passwd', 'a/../../b', '\u0000', 'x\u0000.txt', '....//....//', '%00', 'C:\\boot.ini', '~/.ssh/id_rsa', '.', '..', ' '.repeat(3), 'eval_20240701_120000_abc123/../x'];
const FIELDS = ['evaluation', 'evaluations', 'runningEvaluations', 'statistics', 'storage', 'health', 'task', 'result', 'traverse', 'kv', 'kvRange', 'queue', 'taskStats', 'series', 'auditLog', '__schema', '__typename', 'nope'];
const MUTATIONS = ['createEvaluation', 'updateEvaluation', 'deleteEvaluation', 'restoreEvaluation', 'markRunning', 'appendLogs', 'addEvent', 'recordMetrics', 'applyTaskUpdate', 'createTask', 'createResult', 'link', 'unlink', 'kvPut', 'kvDelete', 'queuePush', 'queuePop', 'lockAcquire', 'lockRelease', 'recordExecution', 'addSeriesPoint'];

/**
 * Hostile requests of every kind the issue names: random and mutated queries, deep nesting, alias
 * floods, huge lists and strings, invalid JSON and UTF-8, traversal-looking ids, odd batches,
 * methods and headers. Pools of random strings and JSON come from fast-check with a fixed seed.
 */
export function hostileRequests(seed: number, documents: string[], keys: string[]) {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const strings = fc.sample(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 40 }), fc.constantFrom(...TRAVERSAL)), { seed, numRuns: 500 });
  const values = fc.sample(fc.jsonValue({ maxDepth: 4 }), { seed: seed + 1, numRuns: 300 });
  const json = (body: unknown) => JSON.stringify(body);
  const auth = (): Record<string, string> => {
    const r = random();
    return r < 0.8 ? { authorization: `Bearer ${keys[0]}` } : r < 0.85 ? {} : r < 0.9 ? { authorization: `Bearer ${pick(strings)}`.replace(/[^\x20-\x7e]/g, '') } : { authorization: `Bearer ${pick(keys)}` };
  };
  const post = (kind: string, body: string | Uint8Array, contentType = 'application/json'): HostileRequest => ({ kind, method: 'POST', path: '/graphql', headers: { 'content-type': contentType, ...auth() }, body });
  const mutate = (text: string): string => {
    let s = text;
    for (let i = 0, n = 1 + int(4); i < n; i++) {
      const at = int(s.length + 1);
      const op = int(4);
      if (op === 0) s = s.slice(0, at) + s.slice(at + 1 + int(5));
      else if (op === 1) s = s.slice(0, at) + pick(['{', '}', '(', ')', '$', '"', '...', '@skip', ':', '!', '[', '\\u0000', '#', ' on ', '1e999']) + s.slice(at);
      else if (op === 2) s = s.slice(0, at) + s.slice(int(s.length), int(s.length)) + s.slice(at);
      else s = s.slice(0, at) + pick(strings).slice(0, 10) + s.slice(at);
    }
    return s;
  };
  const variables = () => Object.fromEntries(['id', 'input', 'first', 'after', 'filter', 'key', 'value', 'lines', 'points', 'evaluationId'].map((k) => [k, random() < 0.5 ? pick(values) : pick(strings)]));
  const generators: (() => HostileRequest)[] = [
    () => post('mutated-query', json({ query: mutate(pick(documents)), variables: variables() })),
    () => post('valid-query-random-variables', json({ query: pick(documents), variables: variables() })),
    () => {
      const field = random() < 0.6 ? pick(FIELDS) : pick(MUTATIONS);
      const args = Array.from({ length: int(4) }, () => `${pick(['id', 'first', 'after', 'key', 'input', 'filter', 'limit', 'last', 'x'])}: ${pick(['"' + pick(TRAVERSAL).replace(/["\\]/g, '') + '"', String(int(1e9) - 5e8), 'null', 'true', '[1,2]', '{ code: "x" }', '1.5e308'])}`);
      const op = MUTATIONS.includes(field) ? 'mutation' : 'query';
      return post('random-query', json({ query: `${op} { ${field}${args.length ? `(${args.join(', ')})` : ''} { id __typename } }` }));
    },
    () => {
      const depth = 5 + int(random() < 0.2 ? 3000 : 60);
      return post('deep-nesting', json({ query: `{ evaluation(id: "x") ${'{ task { evaluations '.repeat(depth)}{ id }${' } }'.repeat(depth)} }` }));
    },
    () => {
      const n = 10 + int(random() < 0.2 ? 20_000 : 500);
      return post('alias-flood', json({ query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: evaluation(id: "e${i}") { id }`).join(' ')} }` }));
    },
    () => {
      const huge = random() < 0.5;
      const body = huge
        ? { query: 'query($f: EvaluationFilter) { evaluations(filter: $f) { totalCount } }', variables: { f: { status: Array.from({ length: 1000 + int(100_000) }, () => 'QUEUED') } } }
        : { query: 'mutation($c: String!) { createEvaluation(input: { code: $c }) { id } }', variables: { c: 'x'.repeat(1000 + int(3_000_000)) } };
      return post('huge-input', json(body));
    },
    () => post('invalid-json', pick(['{', '{"query":', '[', '{"query": 1}', '{"query": null}', 'null', '[]', '[[[]]]', '{"query":"{ health { ok } }","variables":"x"}', '{"query":"{ health { ok } }","extensions":[1]}', '\u0000', '{"query":"{ health { ok } }"}}', json(pick(values)), pick(strings)])),
    () => {
      const bytes = Uint8Array.from(Array.from({ length: 1 + int(300) }, () => (random() < 0.5 ? 0x80 + int(0x80) : int(0x100))));
      const prefix = Buffer.from('{"query":"{ evaluation(id: \\"');
      const suffix = Buffer.from('\\") { id } }"}');
      return post('invalid-utf8', random() < 0.5 ? bytes : Buffer.concat([prefix, bytes, suffix]));
    },
    () => post('traversal-id', json({ query: 'query($id: ID!) { evaluation(id: $id) { id } }', variables: { id: pick(TRAVERSAL) + (random() < 0.5 ? pick(strings) : '') } })),
    () => ({ kind: 'traversal-rest', method: pick(['GET', 'PUT', 'POST', 'DELETE']), path: `/evaluations/${encodeURIComponent(pick(TRAVERSAL)).replace(/%2F/gi, pick(['/', '%2F', '%252F']))}/${pick(['output', 'error', '..', 'x'])}`, headers: { ...auth(), 'content-type': pick(['text/plain', 'application/octet-stream', 'application/json']) }, body: undefined }),
    () => post('batch', json(Array.from({ length: int(30) }, () => (random() < 0.7 ? { query: pick(documents), variables: variables() } : pick(values))))),
    () => ({ kind: 'get-query', method: 'GET', path: `/graphql?query=${encodeURIComponent((random() < 0.5 ? pick(documents) : mutate(pick(documents))).toWellFormed())}&variables=${encodeURIComponent(pick(strings).toWellFormed())}`, headers: { accept: pick(['application/json', 'text/event-stream', '*/*', 'text/html']), 'x-graphql-yoga-csrf': '1', ...auth() } }),
    () => post('odd-content-type', json({ query: pick(documents) }), pick(['text/plain', 'application/graphql', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'image/png'])),
    () => ({ kind: 'odd-method-path', method: pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']), path: pick(['/graphql', '/metrics', '/health', '/ready', '/../../etc/passwd', '/graphql/..', `/${pick(strings).replace(/[^\x21-\x7e]/g, '')}`]), headers: auth() }),
  ];
  return () => {
    const make = pick(generators);
    return make();
  };
}
