import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundedDocumentCache } from '../../src/observability/bounded-cache.ts';

describe('boundedDocumentCache (yoga parse/validation cache)', () => {
  it('keeps at most maxChars characters of document text, evicting the least recently used', () => {
    const cache = boundedDocumentCache<object>({ maxEntries: 1000, maxChars: 10_000, maxKeyLength: 4000 });
    const keep = 'query Mine { health { ok } }';
    cache.set(keep, {});
    for (let i = 0; i < 100; i++) {
      cache.set(`{ a${i}: ${'x'.repeat(3000)} }`, {});
      assert.ok(cache.get(keep), 'a document in use stays');
      assert.ok(cache.chars <= 10_000, `${cache.chars} characters kept`);
    }
    assert.ok(cache.size <= 4, `${cache.size} entries`);
  });

  it('never keeps a document longer than maxKeyLength, and bounds entries too', () => {
    const cache = boundedDocumentCache<object>({ maxEntries: 50, maxChars: 1_000_000, maxKeyLength: 100 });
    cache.set('x'.repeat(101), {});
    assert.equal(cache.get('x'.repeat(101)), undefined);
    for (let i = 0; i < 500; i++) cache.set(`{ f${i} }`, {});
    assert.equal(cache.size, 50);
  });
});
