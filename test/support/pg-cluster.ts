import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { programsUnavailable } from './service.ts';

/**
 * A PostgreSQL cluster of the test's own (initdb into a temporary directory, pg_ctl on a free
 * loopback port), so a test can stop and start the primary while the gateway runs. As root, the
 * binaries run as the `postgres` user, since PostgreSQL refuses to run as root.
 */
export interface PgCluster {
  url: string;
  /** The server's log (pg_ctl -l): with log_statement=all, one line per statement. */
  logFile: string;
  /** `pg_ctl stop -m fast`: open connections are cut, as in a crash of the server. */
  stop(): void;
  start(): void;
  destroy(): void;
}

/** What the tests run: a cluster (initdb, pg_ctl, which starts `postgres`) and a standby (pg_basebackup). */
const TOOLS = ['initdb', 'pg_ctl', 'postgres', 'pg_basebackup'];

/** The newest /usr/lib/postgresql/<version>/bin that has every tool (Debian's layout). */
function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  const complete = (v: string) => TOOLS.every((tool) => existsSync(join(root, v, 'bin', tool)));
  const versions = existsSync(root) ? readdirSync(root).filter(complete).sort((a, b) => Number(b) - Number(a)) : [];
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

/**
 * Resolves to a skip reason, or null; under CI=true missing binaries fail the run. As root the
 * tools run as the `postgres` user through runuser, so that user and runuser must exist too.
 */
export function pgClusterUnavailable(): string | null {
  const asRoot = process.getuid?.() === 0;
  return programsUnavailable(
    [
      { name: `PostgreSQL server binaries (${TOOLS.join(', ')}) under /usr/lib/postgresql/*/bin`, runs: () => binDir() !== null },
      ...(asRoot ? [{ name: 'runuser -u postgres (PostgreSQL refuses to run as root)', runs: () => spawnSync('runuser', ['-u', 'postgres', '--', 'true']).status === 0 }] : []),
    ],
    'no PostgreSQL cluster or standby of the test\'s own can be started',
    'Install the PostgreSQL server package (Debian: postgresql) to run these tests.',
  );
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPgCluster(): Promise<PgCluster> {
  const { dir, run } = clusterDir();
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  return launch(dir, data, run, {});
}

/**
 * A hot standby of `primary` (issue 9): `pg_basebackup -R` (its default pg_hba from initdb allows
 * replication from loopback) into a temporary directory, started on a free port. `settings` are
 * extra `-c` options, e.g. `{ log_statement: 'all' }` to count the statements it runs.
 */
export async function startStandby(primary: PgCluster, settings: Record<string, string> = {}): Promise<PgCluster> {
  const { dir, run } = clusterDir();
  const data = join(dir, 'data');
  const { port } = new URL(primary.url);
  run('pg_basebackup', ['-D', data, '-h', '127.0.0.1', '-p', port, '-U', 'postgres', '-X', 'stream', '-R', '--no-sync']);
  return launch(dir, data, run, { hot_standby: 'on', ...settings });
}

function clusterDir(): { dir: string; run: (tool: string, args: string[]) => void } {
  const bin = binDir()!;
  const dir = mkdtempSync(join(tmpdir(), 'strata-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    execFileSync(file, argv, { stdio: 'pipe', timeout: 60_000 });
  };
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  return { dir, run };
}

async function launch(dir: string, data: string, run: (tool: string, args: string[]) => void, settings: Record<string, string>): Promise<PgCluster> {
  const port = await freePort();
  const extra = Object.entries(settings).map(([k, v]) => ` -c ${k}=${v}`).join('');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off${extra}`;
  const cluster: PgCluster = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    logFile: join(dir, 'server.log'),
    start: () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']),
    stop: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    destroy() {
      try {
        cluster.stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}
