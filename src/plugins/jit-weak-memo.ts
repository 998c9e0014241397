import { createRequire } from 'node:module';

/**
 * graphql-jit memoizes helpers with lodash.memoize, whose default cache is a Map that holds its
 * keys forever. The keys are objects of each compilation: the fragments map and field nodes of
 * the document (field expansion in resolve-info), the arrays of origin paths (joinOriginPaths,
 * graphql-jit issue #287, fixed in 0.8.9; the first is not). So part of every distinct document
 * ever compiled stayed in memory for good, used or not: about 45 KB for a 4 KB document (13.6 MB
 * per 300 after a full collection; test/api/compiled-memory.test.ts), without bound for a client
 * that sends new documents. lodash documents `memoize.Cache` as the constructor of those caches;
 * one that keeps object keys weakly (and the few strings, the schema's type and field names, in a
 * Map) lets an entry go with its document: 1.4 MB per 300 then.
 *
 * The caches are made when graphql-jit's module is evaluated, so this module must be evaluated
 * first: use-compiled-execution.ts imports it before @envelop/graphql-jit. lodash.memoize is
 * resolved from graphql-jit itself, so it is the very instance graphql-jit uses.
 */
class WeakKeyCache {
  readonly #objects = new WeakMap<object, unknown>();
  readonly #values = new Map<unknown, unknown>();
  #map(key: unknown): WeakMap<object, unknown> | Map<unknown, unknown> {
    return (typeof key === 'object' && key !== null) || typeof key === 'function' ? this.#objects : this.#values;
  }
  has(key: unknown): boolean {
    return this.#map(key).has(key as object);
  }
  get(key: unknown): unknown {
    return this.#map(key).get(key as object);
  }
  set(key: unknown, value: unknown): this {
    this.#map(key).set(key as object, value);
    return this;
  }
  delete(key: unknown): boolean {
    return this.#map(key).delete(key as object);
  }
  clear(): void {
    this.#values.clear();
  }
}

const fromEnvelopJit = createRequire(createRequire(import.meta.url).resolve('@envelop/graphql-jit'));
const fromJit = createRequire(fromEnvelopJit.resolve('graphql-jit'));
const memoize = fromJit('lodash.memoize') as { Cache?: unknown };
memoize.Cache = WeakKeyCache;
