import { kvDelete, kvGet, kvPut, kvRange } from '../resolvers/platform.ts';
import type { KvEntry } from '../services/platform/index.ts';
import { builder } from './builder.ts';

const KvEntryRef = builder.objectRef<KvEntry>('KvEntry').implement({
  description: 'One entry of the key-value store.',
  fields: (t) => ({
    key: t.exposeString('key'),
    value: t.expose('value', { type: 'JSON' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'Null when the entry never expires.' }),
  }),
});

const KEY = 'Up to KV_MAX_KEY_BYTES bytes of text without control characters (no newlines or tabs).';

builder.queryFields((t) => ({
  kv: t.field({
    type: KvEntryRef,
    nullable: true,
    description: 'The entry under `key`, or null when there is none or it expired.',
    args: { key: t.arg.string({ required: true, description: KEY }) },
    resolve: (_, { key }, ctx) => kvGet(ctx, key),
  }),
  kvRange: t.field({
    type: [KvEntryRef],
    description:
      'Entries in byte order of their keys (UTF-8, as Redis orders them), from `start` (inclusive) up to `end` ' +
      '(exclusive), only keys beginning with `prefix` when given. The prefix is literal text: "*", "?" and "[" are ' +
      'ordinary characters. An empty string bound is no bound. Expired entries are never listed.',
    args: {
      start: t.arg.string({ description: 'Inclusive.' }),
      end: t.arg.string({ description: 'Exclusive.' }),
      prefix: t.arg.string(),
      limit: t.arg.int({ description: 'DEFAULT_PAGE_SIZE when omitted, at most MAX_PAGE_SIZE.' }),
    },
    resolve: (_, args, ctx) => kvRange(ctx, args),
  }),
}));

builder.mutationFields((t) => ({
  kvPut: t.field({
    type: KvEntryRef,
    description: 'Stores `value` (any JSON but null, up to KV_MAX_VALUE_BYTES) under `key`, replacing the value and its expiry.',
    args: {
      key: t.arg.string({ required: true, description: KEY }),
      value: t.arg({ type: 'JSON', required: true }),
      ttlSeconds: t.arg.int({ description: 'Seconds until the entry expires. Omitted: KV_DEFAULT_TTL. 0: never expires. Negative: refused.' }),
    },
    resolve: (_, { key, value, ttlSeconds }, ctx) => kvPut(ctx, key, value, ttlSeconds),
  }),
  kvDelete: t.boolean({
    description: 'True when a live entry was removed, false when there was none.',
    args: { key: t.arg.string({ required: true, description: KEY }) },
    resolve: (_, { key }, ctx) => kvDelete(ctx, key),
  }),
}));
