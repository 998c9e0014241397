import type { KvBackend, KvRecord, KvStats } from '../../backends/platform-types.ts';
import type { Config } from '../../config.ts';
import { checkWholeNumber, checkKey } from '../../domain/keys.ts';
import { serializerFor, type KvSerializer, type SerializerChoice } from '../../domain/serializers.ts';
import { BadUserInputError } from '../../errors.ts';

export interface KvEntry<V = unknown> {
  key: string;
  value: V;
  expiresAt: Date | null;
}

export interface KvRangeArgs {
  /** Inclusive. */
  start?: string | null;
  /** Exclusive. */
  end?: string | null;
  /** Only keys beginning with this text (taken literally: "*", "?" and "[" are plain characters). */
  prefix?: string | null;
  /** DEFAULT_PAGE_SIZE when omitted, at most MAX_PAGE_SIZE. */
  limit?: number | null;
}

/** Redis accepts TTLs far beyond this; 68 years is "forever" for a cache and fits an Int. */
const MAX_TTL_SECONDS = 2_147_483_647;

/**
 * The key-value store as callers see it (seed 003's put/get/delete/exists/range_get): checked keys
 * and TTLs, values serialized by the chosen serializer. GraphQL and library callers share it.
 *
 * TTL: omitted or null -> KV_DEFAULT_TTL (itself 0 = none); 0 -> never expires, even when a
 * default is configured; negative -> BAD_USER_INPUT. A put replaces the value and its TTL.
 */
export class KvStore {
  readonly serializer: KvSerializer;

  constructor(
    private readonly backend: KvBackend,
    private readonly config: Config,
    serializer: SerializerChoice = 'json',
  ) {
    this.serializer = serializerFor(serializer);
  }

  /** The same store and keys, reading and writing values with another serializer. */
  withSerializer(serializer: SerializerChoice): KvStore {
    return new KvStore(this.backend, this.config, serializer);
  }

  async put(key: string, value: unknown, ttlSeconds?: number | null): Promise<KvEntry> {
    const { kvDefaultTtlSeconds, kvMaxValueBytes } = this.config.platform;
    this.#key('key', key);
    if (value === null || value === undefined) {
      throw new BadUserInputError(`value must not be ${value}; use kvDelete to remove a key.`, { field: 'value' });
    }
    const ttl = ttlSeconds == null ? kvDefaultTtlSeconds : checkWholeNumber('ttlSeconds', ttlSeconds, MAX_TTL_SECONDS);
    const payload = this.serializer.stringify('value', value);
    const bytes = Buffer.byteLength(payload, 'utf8');
    if (bytes > kvMaxValueBytes) {
      throw new BadUserInputError(`value is ${bytes} bytes once serialized; the limit is ${kvMaxValueBytes} bytes (KV_MAX_VALUE_BYTES).`, { field: 'value', limit: kvMaxValueBytes });
    }
    const { expiresAt } = await this.backend.put(key, payload, ttl > 0 ? ttl * 1000 : null);
    return { key, value: this.serializer.parse(payload), expiresAt };
  }

  async get(key: string): Promise<KvEntry | null> {
    const record = await this.backend.get(this.#key('key', key));
    return record ? this.#entry(record) : null;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.get(key)) !== null;
  }

  /** True when a live key was removed, false when there was none. */
  async delete(key: string): Promise<boolean> {
    return this.backend.delete(this.#key('key', key));
  }

  /** Live keys in UTF-8 byte order within [start, end) and under prefix, at most `limit`. */
  async range(args: KvRangeArgs = {}): Promise<KvEntry[]> {
    const { defaultPageSize, maxPageSize } = this.config.limits;
    const limit = args.limit == null ? defaultPageSize : checkWholeNumber('limit', args.limit, maxPageSize, 'MAX_PAGE_SIZE');
    // An empty bound is no bound: "" sorts before every key and is a prefix of every key.
    const bound = (field: string, v: string | null | undefined) => (v == null || v === '' ? undefined : this.#key(field, v));
    const range = { start: bound('start', args.start), end: bound('end', args.end), prefix: bound('prefix', args.prefix) };
    if (limit === 0) return [];
    return (await this.backend.range(range, limit)).map((r) => this.#entry(r));
  }

  stats(): Promise<KvStats> {
    return this.backend.stats();
  }

  #key(field: string, key: string): string {
    return checkKey(field, key, this.config.platform.kvMaxKeyBytes);
  }

  #entry(record: KvRecord): KvEntry {
    return { key: record.key, value: this.serializer.parse(record.payload), expiresAt: record.expiresAt };
  }
}
