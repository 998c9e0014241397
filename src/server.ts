import { setMaxListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRegistry } from './backends/registry.ts';
import type { Config } from './config.ts';
import { StartupError } from './errors.ts';
import { requestListener } from './http/fast-path.ts';
import type { Logger } from './logger.ts';
import { attachWebSockets } from './transports/websocket.ts';
import { createStrataYoga } from './yoga.ts';

export interface RunningServer {
  url: string;
  server: Server;
  /**
   * Stops accepting, completes subscriptions, lets in-flight requests finish (up to the grace
   * period, then cuts what is left), closes backends.
   */
  close(): Promise<void>;
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost)$/i;

/**
 * Without API keys anyone who reaches the port may read and write everything, so an open gateway
 * listens only on a loopback address unless STRATA_ALLOW_OPEN=true says it is meant.
 */
export function checkExposure(config: Config, logger: Logger): void {
  const { keys, allowOpen } = config.security;
  if (keys.length > 0) return void logger.info({ keys: keys.map((k) => k.name) }, `API keys required (${keys.length} configured)`);
  if (!LOOPBACK.test(config.host) && !allowOpen) {
    throw new StartupError(
      `HOST=${config.host} is reachable from other machines, but no API keys are configured. Set STRATA_API_KEYS or ` +
        'STRATA_API_KEYS_FILE, bind to HOST=127.0.0.1, or set STRATA_ALLOW_OPEN=true to serve everyone without keys.',
    );
  }
  logger.warn(
    { host: config.host },
    `No API keys configured (STRATA_API_KEYS, STRATA_API_KEYS_FILE): the gateway is OPEN; anyone who can reach ${config.host} may read and write everything.`,
  );
}

/** Opens the backends, then listens. The only place that binds a port. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  checkExposure(config, logger);
  const registry = await createRegistry(config, logger);
  const shutdown = new AbortController();
  // Every open subscription listens for it (use-graceful-shutdown.ts): thousands are expected.
  setMaxListeners(0, shutdown.signal);
  const yoga = createStrataYoga({ config, registry, logger, shutdown: shutdown.signal });
  // Plain POST /graphql JSON requests skip yoga's fetch adapter, not its handler (issue 10).
  const server = createServer(requestListener(yoga, { enabled: config.perf.fastPath, graphqlEndpoint: '/graphql', maxRequestBytes: config.security.query.maxRequestBytes }));
  const websockets = attachWebSockets(server, yoga, config.subscriptions);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/graphql`;
  logger.info({ url, storage: config.storage.kind }, `Strata is serving GraphQL at ${url}`);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      shutdown.abort();
      // A keep-alive connection whose request was in flight becomes idle when it is answered; it
      // is closed then, rather than held until its keep-alive timeout.
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      const grace = setTimeout(() => {
        logger.warn('grace period over; closing open connections');
        server.closeAllConnections();
      }, config.shutdownGraceMs);
      // Every subscription completes (SSE streams end, graphql-ws sends `complete`); WebSocket
      // connections are not the HTTP server's to close, so the transport closes them.
      registry.feed.endAll();
      const sockets = websockets.close(config.shutdownGraceMs);
      await stopped;
      await sockets;
      clearInterval(idle);
      clearTimeout(grace);
      await yoga.dispose();
      await registry.close();
      logger.info('stopped');
    })());
  return { url, server, close };
}
