import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Target } from './load.ts';
import type { BenchOptions } from './options.ts';
import { freePort, startServer } from './processes.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Only what Node needs from the caller's environment. Anything else could change what is
 * measured: a REDIS_URL left in a shell turns the gateway's Redis cache on, a STORAGE_BACKEND or
 * NODE_OPTIONS changes the server. Everything the servers read is set below.
 */
export function baseEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
  return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
}

/** What both servers get: the same database, schema and production mode. */
function commonEnv(options: BenchOptions, applicationName: string): NodeJS.ProcessEnv {
  return {
    ...baseEnv(),
    DATABASE_URL: options.databaseUrl,
    DATABASE_SCHEMA: options.schema,
    NODE_ENV: 'production',
    // pg reads PGAPPNAME: it tags the server's connections so their CPU can be found in PostgreSQL.
    PGAPPNAME: applicationName,
  };
}

/**
 * How the gateway runs: `tsx` is `npm start` (bin/strata.js, the sources through tsx); `built` is
 * `npm run start:built` (dist/src/cli.js, compiled by `npm run build`: no tsx loader thread).
 */
export type GatewayRuntime = 'tsx' | 'built';
export const GATEWAY_SCRIPT: Record<GatewayRuntime, string> = { tsx: 'bin/strata.js', built: 'dist/src/cli.js' };

/** `npm run build`, so a `built` gateway runs the current sources, never a stale dist/. */
export function buildGateway(): void {
  const result = spawnSync(process.execPath, [`${ROOT}scripts/build.mjs`], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status ?? result.signal})`);
}

/**
 * The gateway exactly as users start it: `node bin/strata.js serve` (or, with `runtime` 'built',
 * `node dist/src/cli.js serve`, which buildGateway() writes). `nodeArgs` come before the script
 * (e.g. --cpu-prof); `extraEnv` adds settings (e.g. REDIS_URL for the cache bench).
 */
export async function startGateway(options: BenchOptions, nodeArgs: string[] = [], extraEnv: NodeJS.ProcessEnv = {}, runtime: GatewayRuntime = 'tsx'): Promise<Target> {
  const applicationName = 'strata-bench-gateway';
  const server = await startServer({
    name: 'gateway',
    args: [...nodeArgs, `${ROOT}${GATEWAY_SCRIPT[runtime]}`, 'serve'],
    env: { ...commonEnv(options, applicationName), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...options.gatewayEnv, ...extraEnv },
    cwd: ROOT,
    port: await freePort(),
    readyPath: '/health',
  });
  return { name: 'gateway', server, applicationName };
}

export async function startBaseline(options: BenchOptions): Promise<Target> {
  const applicationName = 'strata-bench-baseline';
  const server = await startServer({
    name: 'baseline',
    args: ['--import', 'tsx', `${ROOT}bench/baseline.ts`],
    env: commonEnv(options, applicationName),
    cwd: ROOT,
    port: await freePort(),
    readyPath: '/health',
  });
  return { name: 'baseline', server, applicationName };
}
