import assert from 'node:assert/strict';

/** What a gateway answered to one POST /graphql. */
export interface Answer {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** One GraphQL request over real HTTP, to a gateway process or a test server. */
export async function post(url: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** The data of an answer that must have no errors (the assertion names the gateway). */
export async function gqlAt(url: string, headers: Record<string, string>, query: string, variables?: Record<string, unknown>): Promise<any> {
  const { body } = await post(url, query, variables, headers);
  assert.equal(body.errors, undefined, `${url}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** One sample of a gateway's GET /metrics; `url` is its /graphql URL. See `sampleOf`. */
export async function metricSample(url: string, headers: Record<string, string>, name: string, labels: Record<string, string> = {}): Promise<number> {
  return sampleOf(await (await fetch(url.replace(/\/graphql$/, '/metrics'), { headers })).text(), name, labels);
}

/** In Prometheus text, the first sample of `name` whose labels include every one given; 0 when absent. */
export function sampleOf(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && want.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
