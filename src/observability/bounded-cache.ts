import { createLRUCache } from 'graphql-yoga';

/**
 * Yoga's parse and validation caches count entries, not bytes: 1,000 cached documents of 500
 * aliases each held about 500 MB in the fuzz test. Documents longer than `maxKeyLength`
 * characters (far above what the project's own operations use) are parsed and validated every
 * time instead of being cached, which bounds the caches at about 1,000 x maxKeyLength.
 */
export function boundedDocumentCache<T>(maxKeyLength: number): { get(key: string): T | undefined; set(key: string, value: T): void } {
  const lru = createLRUCache<T & object>();
  return {
    get: (key) => (key.length > maxKeyLength ? undefined : lru.get(key)),
    set: (key, value) => void (key.length <= maxKeyLength && lru.set(key, value as T & object)),
  };
}
