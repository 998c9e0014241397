import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';

export interface MetricsEndpointOptions {
  registry: Registry;
  /** @default '/metrics' */
  path: string;
}

/**
 * `GET /metrics`: every metric in Prometheus text format. Who may scrape is useRestGuard's
 * decision (a key with the `read` scope when keys are configured), as for every non-GraphQL route.
 */
export function useMetricsEndpoint(options: MetricsEndpointOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== options.path || request.method !== 'GET') return;
      endResponse(new fetchAPI.Response(await options.registry.metrics(), { headers: { 'content-type': options.registry.contentType, 'cache-control': 'no-store' } }));
    },
  };
}
