import type { BackendStatus } from '../backends/types.ts';
import { builder } from './builder.ts';
import { EvaluationRef } from './evaluation.ts';

const BackendStatusRef = builder.objectRef<BackendStatus>('BackendStatus').implement({
  fields: (t) => ({
    name: t.exposeString('name', { description: 'postgres, pglite, redis, file, arango, s3, memory, ...' }),
    kind: t.exposeString('kind'),
    role: t.exposeString('role', { description: 'primary, fallback, cache, blobs, graph, ...' }),
    healthy: t.exposeBoolean('healthy'),
    latencyMs: t.exposeFloat('latencyMs', { nullable: true }),
    metrics: t.expose('metrics', { type: 'JSON', description: 'Counts and sizes the backend can report.' }),
  }),
});

const StorageOverviewRef = builder.objectRef<{ backends: BackendStatus[]; fallbackPending: number }>('StorageOverview').implement({
  fields: (t) => ({
    backends: t.field({ type: [BackendStatusRef], resolve: (s) => s.backends }),
    fallbackPending: t.exposeInt('fallbackPending', { description: 'Writes waiting in the fallback journal.' }),
  }),
});

const HealthRef = builder.objectRef<{ ok: boolean; status: string; backends: BackendStatus[] }>('Health').implement({
  fields: (t) => ({
    ok: t.exposeBoolean('ok', { description: 'Every backend the gateway needs is reachable.' }),
    status: t.exposeString('status', { description: '"ok"; "degraded" when a backend other than the primary store is down (evaluations are still served; what needs that backend fails); "down" when the primary store is.' }),
    backends: t.field({ type: [BackendStatusRef], resolve: (s) => s.backends }),
  }),
});

builder.queryFields((t) => ({
  storage: t.field({
    type: StorageOverviewRef,
    description: 'Every backend with its health, metrics and errors (admin scope: they name hosts and sizes).',
    authScopes: { admin: true },
    resolve: async (_, __, ctx) => ({ backends: await ctx.registry.statuses(), fallbackPending: ctx.registry.failover.pending() }),
  }),
  health: t.field({
    type: HealthRef,
    resolve: async (_, __, ctx) => {
      const backends = await ctx.registry.statuses();
      const ok = backends.every((b) => b.healthy || !b.required);
      return { ok, status: !ok ? 'down' : backends.every((b) => b.healthy) ? 'ok' : 'degraded', backends };
    },
  }),
}));

builder.objectField(EvaluationRef, 'storedIn', (t) =>
  t.string({
    description:
      'PRIMARY, or FALLBACK_JOURNAL: created while the primary database was unreachable, kept in the durable fallback journal and moved to the primary by the replayer when it is back.',
    resolve: (e) => e.storedIn ?? 'PRIMARY',
  }),
);
