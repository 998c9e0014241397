import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisUnderTest } from './platform.ts';
import { freePort } from './redis-server.ts';
import { canRun, programsUnavailable } from './service.ts';

/** How the nodes are reached beyond host:port: a password they require, TLS with a test CA. */
export interface NodeAccess {
  /** Every node requires it (requirepass) and uses it on the cluster bus (masterauth). */
  password?: string;
  /**
   * TLS only (no plain port), the cluster bus included; clients need not present a certificate.
   * With `hostname`, nodes announce it instead of their address (CLUSTER SLOTS names them by it),
   * as managed clusters do so that certificates for that name verify.
   */
  tls?: { certFile: string; keyFile: string; caFile: string; hostname?: string };
}

/**
 * A real Redis Cluster of the test's own: three masters on free local ports, no replicas, nothing
 * persisted, joined with `redis-cli --cluster create`; with a password or TLS if `access` says so.
 * The processes are children of the test and are killed by `stop()` (and by the OS if the test
 * dies: they run in the foreground).
 *
 * Needs the redis-server and redis-cli binaries: without them `redisClusterUnavailable()` gives a
 * skip reason, and under CI=true it throws, so a missing binary fails the run.
 */
export class OwnRedisCluster {
  private constructor(
    readonly ports: number[],
    private readonly dir: string,
    private readonly children: ChildProcess[],
    readonly access: NodeAccess,
  ) {}

  get password(): string | null {
    return this.access.password ?? null;
  }

  /** What a client of a node needs: the password, and the CA that signed the nodes' certificate. */
  get clientOptions(): RedisOptions {
    const { password, tls } = this.access;
    // The helpers dial 127.0.0.1: with a hostname the certificate is for, check it against that name.
    const verify = tls && { ca: readFileSync(tls.caFile), ...(tls.hostname && { servername: tls.hostname }) };
    return { ...(password && { password }), ...(verify && { tls: verify }) };
  }

  /** The seed nodes, as REDIS_CLUSTER_NODES takes them. */
  get nodesEnv(): string {
    return this.ports.map((p) => `127.0.0.1:${p}`).join(',');
  }

  get nodes(): { host: string; port: number }[] {
    return this.ports.map((port) => ({ host: '127.0.0.1', port }));
  }

  static async start(masters = 3, access: NodeAccess = {}): Promise<OwnRedisCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'strata-redis-cluster-'));
    const ports: number[] = [];
    while (ports.length < masters) {
      const port = await freePort();
      // The cluster bus listens on port + 10000: it must be free too (and below 65536).
      if (port + 10_000 < 65_536 && !ports.includes(port) && (await canListen(port + 10_000))) ports.push(port);
    }
    const cluster = new OwnRedisCluster(ports, dir, [], access);
    try {
      await cluster.spawnAll();
      // REDISCLI_AUTH rather than -a: the password stays off the command line (and its warning away).
      const env = access.password ? { ...process.env, REDISCLI_AUTH: access.password } : process.env;
      const tls = access.tls ? ['--tls', '--cacert', access.tls.caFile] : [];
      const create = spawnSync('redis-cli', [...tls, '--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8', env });
      if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`);
      await cluster.waitUntilOk();
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  /** Kills every node (as a crash would); `restart()` brings them back, empty, in the same cluster. */
  async kill(): Promise<void> {
    await Promise.all(
      this.children.splice(0).map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
  }

  /** Starts the killed nodes again on their ports; their nodes-P.conf files rejoin them. */
  async restart(): Promise<void> {
    await this.spawnAll();
    await this.waitUntilOk();
  }

  private async spawnAll(): Promise<void> {
    for (const port of this.ports) {
      const args = ['--cluster-enabled', 'yes', '--port', String(port), '--bind', '127.0.0.1', '--cluster-config-file', join(this.dir, `nodes-${port}.conf`),
        '--dir', this.dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...this.accessArgs(port)];
      this.children.push(spawn('redis-server', args, { stdio: 'ignore' }));
    }
    for (const port of this.ports) await waitFor(() => ping(port, this.clientOptions), `redis-server on port ${port}`);
  }

  /** redis-server arguments for `access`; with TLS the port given is the TLS port (and the bus's base). */
  private accessArgs(port: number): string[] {
    const { password, tls } = this.access;
    const auth = password ? ['--requirepass', password, '--masterauth', password] : [];
    if (!tls) return auth;
    const files = ['--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile];
    const named = tls.hostname ? ['--cluster-announce-hostname', tls.hostname, '--cluster-preferred-endpoint-type', 'hostname'] : [];
    return [...auth, '--port', '0', '--tls-port', String(port), '--tls-cluster', 'yes', '--tls-auth-clients', 'no', ...files, ...named];
  }

  private async waitUntilOk(): Promise<void> {
    for (const port of this.ports) await waitFor(async () => (await clusterInfo(port, this.clientOptions)).includes('cluster_state:ok'), `cluster_state:ok on port ${port}`);
  }

  /** An ACL user with every permission on every master (ACLs are per node, not cluster-wide). */
  async addUser(name: string, password: string): Promise<void> {
    for (const port of this.ports) {
      const node = this.node(port);
      try {
        await node.acl('SETUSER', name, 'on', `>${password}`, '~*', '&*', '+@all');
      } finally {
        node.disconnect();
      }
    }
  }

  /** CLIENT LIST of every master, one record per connection (`name`, `user`, `cmd`, ...). */
  async clients(): Promise<Record<string, string>[]> {
    const found: Record<string, string>[] = [];
    for (const port of this.ports) {
      const node = this.node(port);
      try {
        const list = (await node.client('LIST')) as string;
        for (const line of list.split('\n').filter(Boolean)) found.push(Object.fromEntries(line.split(' ').map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)])));
      } finally {
        node.disconnect();
      }
    }
    return found;
  }

  /** For platformFactory: the worker primitives on this cluster. */
  underTest(): RedisUnderTest {
    const env: Record<string, string> = { REDIS_CLUSTER_NODES: this.nodesEnv, ...(this.password && { REDIS_CLUSTER_PASSWORD: this.password }) };
    return { env, deleteKeysUnder: (prefix) => this.deleteKeysUnder(prefix) };
  }

  /** Every key under `prefix`, by SCAN on each master (test bookkeeping only). */
  async keysUnder(prefix: string): Promise<string[]> {
    const found: string[] = [];
    for (const port of this.ports) {
      const node = this.node(port);
      try {
        for await (const batch of node.scanStream({ match: `${prefix}*`, count: 1000 })) found.push(...(batch as string[]));
      } finally {
        node.disconnect();
      }
    }
    return found.sort();
  }

  /** Deletes every key under `prefix` on every master (each key on the node that holds it). */
  async deleteKeysUnder(prefix: string): Promise<number> {
    let deleted = 0;
    for (const port of this.ports) {
      const node = this.node(port);
      try {
        for await (const batch of node.scanStream({ match: `${prefix}*`, count: 1000 })) {
          for (const key of batch as string[]) deleted += await node.unlink(key);
        }
      } finally {
        node.disconnect();
      }
    }
    return deleted;
  }

  /** A client of the whole cluster (for test bookkeeping). */
  client(): Cluster {
    return new Cluster(this.nodes, { lazyConnect: false, redisOptions: this.clientOptions });
  }

  /** A plain connection to one master (INFO, MONITOR, CONFIG RESETSTAT of that node). */
  node(port: number): Redis {
    return new Redis({ host: '127.0.0.1', port, lazyConnect: false, ...this.clientOptions });
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Null when redis-server and redis-cli can be run, else the skip reason (a failure under CI=true). */
export function redisClusterUnavailable(): string | null {
  return programsUnavailable(['redis-server', 'redis-cli'].map((name) => canRun(name)), 'no Redis Cluster can be started', 'Install redis-server and redis-cli to run the Redis Cluster tests.');
}

/**
 * The per-command call counts of one node since its last CONFIG RESETSTAT, from INFO
 * commandstats (`cmdstat_mget:calls=3,...`); commands run inside scripts count there too.
 */
export async function commandCalls(node: Redis): Promise<Map<string, number>> {
  const info = await node.info('commandstats');
  return new Map([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
}

async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function ping(port: number, access: RedisOptions): Promise<boolean> {
  const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, ...access });
  probe.on('error', () => {}); // refused while the server starts: expected, retried by waitFor
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

async function clusterInfo(port: number, access: RedisOptions): Promise<string> {
  const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, ...access });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.cluster('INFO')) as string;
  } catch {
    return '';
  } finally {
    probe.disconnect();
  }
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
