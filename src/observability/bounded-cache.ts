import { LRUCache } from 'lru-cache';

export interface DocumentCacheOptions {
  /** Documents kept. @default 1024 (yoga's own default) */
  maxEntries?: number;
  /** Characters of document text kept, over all entries. @default 262144 */
  maxChars?: number;
  /** Longer documents are parsed and validated every time, never kept. @default 8192 */
  maxKeyLength?: number;
}

/**
 * Yoga's parse and validation caches count entries, not bytes, and what an entry holds grows
 * with its document: the parsed AST keeps every token (about 80 bytes per character of text), and
 * graphql-jit's compiled function, which lives as long as the AST is cached, about 200 more. A
 * thousand distinct 8 KB alias floods held 2.4 MB each. So the cache is bounded by the total
 * length of the documents it keeps, as well as by entries: at `maxChars` = 256 Ki characters,
 * at most about 75 MB whatever clients send, while hundreds of ordinary operations (100-1,000
 * characters each) still stay parsed and compiled. lru-cache (yoga's own cache) does the
 * accounting; evicting an AST also frees its validation result and compiled query (WeakMaps).
 */
export function boundedDocumentCache<T>(options: DocumentCacheOptions = {}): { get(key: string): T | undefined; set(key: string, value: T): void; readonly size: number; readonly chars: number } {
  const { maxEntries = 1024, maxChars = 256 * 1024, maxKeyLength = 8192 } = options;
  const lru = new LRUCache<string, T & object>({ max: maxEntries, maxSize: maxChars, maxEntrySize: maxKeyLength, sizeCalculation: (_value, key) => Math.max(1, key.length) });
  return {
    get: (key) => lru.get(key),
    set: (key, value) => void lru.set(key, value as T & object),
    get size() {
      return lru.size;
    },
    get chars() {
      return lru.calculatedSize;
    },
  };
}
