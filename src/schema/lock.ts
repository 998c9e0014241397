import { lockAcquire, lockRelease } from '../resolvers/platform.ts';
import { builder } from './builder.ts';

builder.mutationFields((t) => ({
  lockAcquire: t.string({
    nullable: true,
    description:
      'Takes the lock `key` for `ttlMs` (at most LOCK_MAX_TTL_MS) and returns its owner token, or null when it ' +
      'stayed taken for `waitMs`. The lock frees itself after `ttlMs`, so a crashed owner cannot hold it forever.',
    args: {
      key: t.arg.string({ required: true }),
      ttlMs: t.arg.int({ required: true }),
      waitMs: t.arg.int({ description: 'Milliseconds to keep trying (at most LOCK_MAX_WAIT_MS); omitted or 0: one attempt.' }),
    },
    resolve: (_, { key, ttlMs, waitMs }, ctx) => lockAcquire(ctx, key, ttlMs, waitMs),
  }),
  lockRelease: t.boolean({
    description: 'Frees the lock if `token` still owns it; false for another owner\'s or an expired token.',
    args: { key: t.arg.string({ required: true }), token: t.arg.string({ required: true }) },
    resolve: (_, { key, token }, ctx) => lockRelease(ctx, key, token),
  }),
}));
