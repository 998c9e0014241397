import { useReadinessCheck, type Plugin } from 'graphql-yoga';
import type { AppDeps } from '../context.ts';

/**
 * `GET /ready`: 200 when every required backend (the primary store, the blob store) answers its
 * health check, else 503; the body lists each backend, so an operator sees which one is down.
 * Liveness is yoga's own `GET /health`: 200 while the process serves requests, whatever the
 * backends do, so an orchestrator restarts a hung process but not one waiting for its database.
 */
export function useReadiness(deps: AppDeps): Plugin {
  return useReadinessCheck({
    endpoint: '/ready',
    async check({ fetchAPI }) {
      const backends = await deps.registry.statuses();
      const ready = backends.every((b) => b.healthy || !b.required);
      const summary = backends.map(({ name, role, healthy, required, latencyMs, error }) => ({ name, role, healthy, required: required ?? false, latencyMs, ...(error ? { error } : {}) }));
      return new fetchAPI.Response(JSON.stringify({ ready, backends: summary }), {
        status: ready ? 200 : 503,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      });
    },
  });
}
