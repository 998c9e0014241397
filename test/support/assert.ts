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
