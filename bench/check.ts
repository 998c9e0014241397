import { deepStrictEqual } from 'node:assert/strict';
import type { Target } from './load.ts';
import type { HttpRequest, Workload } from './workloads.ts';

async function send(origin: string, request: HttpRequest): Promise<{ status: number; bytes: number; json: unknown }> {
  const res = await fetch(origin + request.path, { method: request.method, headers: request.headers, body: request.body });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // kept as text: the comparison below reports it
  }
  return { status: res.status, bytes: Buffer.byteLength(text), json };
}

/**
 * Sends the workload's first request to both servers and fails unless they answer 200 with the
 * same data. A baseline that returned less (or a gateway that returned errors) would make every
 * ratio meaningless, so this runs before any load. Returns the response sizes in bytes.
 */
export async function checkEquivalent(workload: Workload, targets: readonly Target[], tag: string): Promise<Record<string, number>> {
  const answers = await Promise.all(targets.map((t) => send(t.server.origin, workload.request(t.name, 0, tag))));
  const sizes: Record<string, number> = {};
  answers.forEach((answer, i) => {
    const name = targets[i]!.name;
    sizes[name] = answer.bytes;
    if (answer.status !== 200) throw new Error(`${workload.name}: ${name} answered HTTP ${answer.status}: ${JSON.stringify(answer.json).slice(0, 500)}`);
  });
  const [first, ...others] = answers.map((a) => workload.comparable(a.json));
  for (const [i, other] of others.entries()) {
    try {
      deepStrictEqual(other, first);
    } catch (err) {
      throw new Error(`${workload.name}: ${targets[i + 1]!.name} and ${targets[0]!.name} return different data`, { cause: err });
    }
  }
  return sizes;
}
