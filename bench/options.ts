import { parseArgs } from 'node:util';

/** Everything one `npm run bench` run is configured by; flags win over environment variables. */
export interface BenchOptions {
  /** Seconds of measured load per workload and server. @default 10 */
  duration: number;
  /** Seconds of unmeasured load before each measurement (JIT, pools, caches). @default 3 */
  warmup: number;
  /** Concurrent HTTP connections, the same for both servers. @default 10 */
  connections: number;
  /** Times the whole W1..W4 cycle runs; per workload, the round with the median ratio is reported. @default 1 */
  rounds: number;
  /** Workloads to run, e.g. ['W1', 'W3']. @default all */
  only: string[] | null;
  /** Profile the gateway with --cpu-prof after the measurements. @default true */
  profile: boolean;
  /** The workload put on the profiled gateway (skipped unless it is among those run). @default W2 */
  profileWorkload: string;
  /** Update bench/RESULTS.md. @default true (false with --quick) */
  write: boolean;
  databaseUrl: string;
  /** Schema the bench owns: it seeds it and deletes the rows its write workload adds. @default strata_bench */
  schema: string;
  /** Extra environment for the gateway, e.g. GRAPHQL_FAST_PATH=false to measure a lever off. @default {} */
  gatewayEnv: Record<string, string>;
}

const USAGE = `Usage: npm run bench -- [options]
  --duration S      measured seconds per workload and server (BENCH_DURATION, default 10)
  --warmup S        warm-up seconds before each measurement (BENCH_WARMUP, default 3)
  --connections N   concurrent connections (BENCH_CONNECTIONS, default 10)
  --rounds N        repeat the cycle, report the round with the median ratio (BENCH_ROUNDS, default 1)
  --only W1,W3      run only these workloads (BENCH_ONLY)
  --no-profile      skip the CPU profile of the gateway (BENCH_PROFILE=0)
  --profile-workload W1   profile under this workload instead of W2
  --no-write        do not update bench/RESULTS.md
  --gateway-env K=V set a variable for the gateway (repeatable), e.g. GRAPHQL_FAST_PATH=false
  --quick           2 s runs, 1 s warm-up, no profile, no RESULTS.md update
Database: BENCH_DATABASE_URL or DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test),
schema BENCH_SCHEMA (default strata_bench).`;

const DEFAULT_URL = 'postgresql://postgres@127.0.0.1:5432/test';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function number(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number from ${min} to ${max} (got ${raw}).\n${USAGE}`);
  return n;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      only: { type: 'string' },
      'no-profile': { type: 'boolean' },
      'profile-workload': { type: 'string' },
      'no-write': { type: 'boolean' },
      quick: { type: 'boolean' },
      'gateway-env': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const only = values.only ?? env.BENCH_ONLY;
  const options: BenchOptions = {
    duration: number('duration', values.duration ?? env.BENCH_DURATION, quick ? 2 : 10, 1, 600),
    warmup: number('warmup', values.warmup ?? env.BENCH_WARMUP, quick ? 1 : 3, 0, 600),
    connections: Math.round(number('connections', values.connections ?? env.BENCH_CONNECTIONS, 10, 1, 1000)),
    rounds: Math.round(number('rounds', values.rounds ?? env.BENCH_ROUNDS, 1, 1, 20)),
    only: only ? only.split(',').map((w) => w.trim().toUpperCase()) : null,
    profile: !quick && !values['no-profile'] && env.BENCH_PROFILE !== '0',
    profileWorkload: (values['profile-workload'] ?? 'W2').toUpperCase(),
    write: !quick && !values['no-write'],
    databaseUrl: env.BENCH_DATABASE_URL || env.DATABASE_URL || DEFAULT_URL,
    schema: env.BENCH_SCHEMA || 'strata_bench',
    gatewayEnv: Object.fromEntries((values['gateway-env'] ?? []).map(keyValue)),
  };
  checkLocal(options.databaseUrl);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error(`BENCH_SCHEMA must be a lower-case SQL identifier (got ${options.schema}).`);
  return options;
}

function keyValue(pair: string): [string, string] {
  const at = pair.indexOf('=');
  if (at < 1) throw new Error(`--gateway-env takes NAME=value (got ${pair}).\n${USAGE}`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}

/** The bench seeds and deletes rows, and its numbers only mean something on this machine. */
function checkLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!LOCAL_HOSTS.has(host)) throw new Error(`The bench only runs against a PostgreSQL on this machine (got host ${host}).`);
}
