import assert from 'node:assert/strict';

/** Asserts that `promise` rejects with a GraphQL error carrying `extensions.code === code`. */
export async function rejectsWithCode(promise: Promise<unknown>, code: string, extensions: Record<string, unknown> = {}): Promise<any> {
  let caught: any;
  await assert.rejects(promise, (err: any) => {
    caught = err;
    return true;
  });
  assert.equal(caught?.extensions?.code, code, `expected ${code}, got ${caught?.extensions?.code}: ${caught?.message}`);
  for (const [k, v] of Object.entries(extensions)) assert.deepEqual(caught.extensions[k], v, `extensions.${k}`);
  return caught;
}

/** The data of a GraphQL response, asserting it has no errors. */
export async function dataOf<T>(res: Promise<{ body: { data?: T; errors?: unknown[] } }>): Promise<T> {
  const { body } = await res;
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data!;
}

/** The first error of a GraphQL response, asserting there is one. */
export async function firstErrorOf(res: Promise<{ body: { errors?: any[] } }>): Promise<{ message: string; extensions: Record<string, unknown> }> {
  const { body } = await res;
  assert.ok(body.errors?.[0], 'expected an error');
  return body.errors![0];
}
