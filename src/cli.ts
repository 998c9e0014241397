import { parseArgs } from 'node:util';
import { createRegistry } from './backends/registry.ts';
import { loadConfig, type Config } from './config.ts';
import { StartupError } from './errors.ts';
import { createLogger, type Logger } from './logger.ts';
import { cleanupCommand, exportCommand, importCommand, MAINTENANCE_USAGE } from './maintenance/commands.ts';
import { SEED_DEFAULTS, seed } from './seed.ts';
import { seedGraphCommand } from './seed-graph.ts';
import { startServer } from './server.ts';

const USAGE = `Usage: strata <command> [options]

Commands:
  serve                 Serve the GraphQL API (default). Configured by environment variables (see README).
  migrate               Apply pending database migrations and exit.
  seed [options]        Fill the database with deterministic sample data:
    --evaluations N       evaluations to create (default ${SEED_DEFAULTS.evaluations})
    --events N            events per evaluation (default ${SEED_DEFAULTS.events})
    --metrics N           metric points per evaluation (default ${SEED_DEFAULTS.metrics})
    --graph               instead, the task/result graph: 100,000 vertices, 300,000 edges
    --vertices N          with --graph: vertices (default 100000; 3 edges each)
${MAINTENANCE_USAGE}
  help                  Show this text.`;

/**
 * After SHUTDOWN_GRACE_MS open connections are cut, but closing the backends can still hang: a
 * query stuck on a lock keeps its pool connection, and pg's pool.end() waits for it. This much
 * later the process exits anyway, with 1 and a line saying so, rather than outlive its grace.
 */
const EXIT_AFTER_GRACE_MS = 5000;

async function serve(config: Config, logger: Logger): Promise<void> {
  const running = await startServer(config, logger);
  let signals = 0;
  const stop = (signal: string) => {
    if (++signals > 1) process.exit(1); // a second Ctrl-C means "now"
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      logger.error({ graceMs: config.shutdownGraceMs }, `shutdown not finished ${EXIT_AFTER_GRACE_MS} ms after SHUTDOWN_GRACE_MS (a backend did not close); exiting with 1`);
      process.exit(1);
    }, config.shutdownGraceMs + EXIT_AFTER_GRACE_MS);
    deadline.unref();
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function migrateOnly(config: Config, logger: Logger): Promise<void> {
  const registry = await createRegistry(config, logger, { migrate: true });
  await registry.close();
  console.log('Database is up to date.');
}

async function seedCommand(config: Config, logger: Logger, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { evaluations: { type: 'string' }, events: { type: 'string' }, metrics: { type: 'string' }, graph: { type: 'boolean' }, vertices: { type: 'string' } } });
  if (values.graph) return seedGraphCommand(config, logger, values.vertices);
  const count = (name: keyof typeof values, fallback: number) => {
    const n = values[name] === undefined ? fallback : Number(values[name]);
    if (!Number.isInteger(n) || n < 0) throw new StartupError(`--${name} must be a whole number (got ${values[name]}).`);
    return n;
  };
  const options = { ...SEED_DEFAULTS, evaluations: count('evaluations', SEED_DEFAULTS.evaluations), events: count('events', SEED_DEFAULTS.events), metrics: count('metrics', SEED_DEFAULTS.metrics) };
  const registry = await createRegistry(config, logger, { migrate: true });
  try {
    if (!registry.sql) throw new StartupError('seed needs PostgreSQL or the embedded database; STORAGE_BACKEND=memory keeps nothing.');
    const started = Date.now();
    await seed(registry.sql, options, (done, total) => process.stderr.write(`\rseeding: ${done}/${total} evaluations (${Math.round((100 * done) / total)}%)`));
    process.stderr.write('\n');
    console.log(`Seeded ${options.evaluations} evaluations with ${options.events} events and ${options.metrics} metrics each in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await registry.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') return void console.log(USAGE);
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (command === 'serve') return serve(config, logger);
  if (command === 'migrate') return migrateOnly(config, logger);
  if (command === 'seed') return seedCommand(config, logger, rest);
  if (command === 'cleanup') return cleanupCommand(config, logger, rest);
  if (command === 'export') return exportCommand(config, logger, rest);
  if (command === 'import') return importCommand(config, logger, rest);
  throw new StartupError(`Unknown command "${command}".\n${USAGE}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof StartupError) {
    console.error(`strata: ${err.message}`);
  } else {
    console.error('strata: failed to start:', err);
  }
  process.exit(1);
});
