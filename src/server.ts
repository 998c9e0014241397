import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRegistry } from './backends/registry.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { createStrataYoga } from './yoga.ts';

export interface RunningServer {
  url: string;
  server: Server;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes backends. */
  close(): Promise<void>;
}

/** Opens the backends, then listens. The only place that binds a port. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const registry = await createRegistry(config, logger);
  const yoga = createStrataYoga({ config, registry, logger });
  const server = createServer(yoga);
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
      server.closeIdleConnections();
      const grace = setTimeout(() => {
        logger.warn('grace period over; closing open connections');
        server.closeAllConnections();
      }, config.shutdownGraceMs);
      await stopped;
      clearTimeout(grace);
      await yoga.dispose();
      await registry.close();
      logger.info('stopped');
    })());
  return { url, server, close };
}
