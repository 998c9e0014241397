import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { createRegistry } from '../../src/backends/registry.ts';
import { testConfig } from '../../src/config.ts';
import { createStrataYoga } from '../../src/yoga.ts';
import { heapAfterFullGcMb } from '../support/heap.ts';

/** A distinct valid document per k, just under MAX_ALIASES and 8 KB: parsed, validated, compiled by graphql-jit and run. */
const doc = (k: number) => `{ ${Array.from({ length: 99 }, (_, i) => `a${k}_${i}: evaluation(id: "e${i}") { id status }`).join(' ')} }`;

describe('memory per distinct document (parse cache, graphql-jit)', () => {
  it('stops growing once the parse cache is full: compiled queries of evicted documents are freed', async (t) => {
    const config = testConfig({}, { RATE_LIMIT_PER_SECOND: '0', SLOW_OPERATION_MS: '0' });
    const logger = pino({ level: 'silent' });
    const registry = await createRegistry(config, logger, { migrate: true });
    const yoga = createStrataYoga({ config, registry, logger });
    const send = async (k: number) => {
      const res = await yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: doc(k) }) });
      const body = (await res.json()) as { data?: Record<string, unknown> };
      assert.equal(Object.keys(body.data ?? {}).length, 99, 'the document ran');
    };
    try {
      let k = 0;
      while (k < 200) await send(++k); // fills the parse cache (256 Ki characters: ~60 of these)
      const full = await heapAfterFullGcMb();
      while (k < 600) await send(++k);
      const after = await heapAfterFullGcMb();
      t.diagnostic(`heap after a full collection: ${full.toFixed(1)} MB after 200 distinct documents, ${after.toFixed(1)} MB after 600`);
      // lodash.memoize's default Map in graphql-jit kept ~45 KB of each compiled document for good
      // (18 MB for these 400); jit-weak-memo.ts makes its keys weak.
      assert.ok(after - full < 8, `${(after - full).toFixed(1)} MB more after 400 more distinct documents`);
    } finally {
      await registry.close();
    }
  });
});
