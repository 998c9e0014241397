import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The servers under test run as child processes, so that their CPU time can be read from /proc
 * without instrumenting them, and so that neither shares an event loop with autocannon.
 */
export interface ServerProcess {
  name: string;
  pid: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** SIGINT (a graceful shutdown), then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

// Every child still running; killed synchronously when this process exits for any reason.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it; the race is harmless here). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

export interface SpawnOptions {
  name: string;
  /** Arguments to `node` (execArgv and script). */
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  port: number;
  /** Path answered with 200 once the server can take load. */
  readyPath: string;
}

/** Starts `node <args>` and resolves once `readyPath` answers 200 (bounded wait). */
export async function startServer(options: SpawnOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...options.env, PORT: String(options.port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  running.add(child);
  const exited = once(child, 'exit').then(() => running.delete(child));
  const origin = `http://127.0.0.1:${options.port}`;
  const server: ServerProcess = {
    name: options.name,
    pid: child.pid!,
    origin,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitReady(child, origin + options.readyPath, options.name);
  } catch (err) {
    await server.stop(1000);
    throw err;
  }
  return server;
}

async function waitReady(child: ChildProcess, url: string, name: string): Promise<void> {
  // tsx compiles the sources on first start: allow up to 60 s, polling every 200 ms.
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    }
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`${name} did not answer ${url} within 60 s`);
}

/** Stops every child still running (on an error or Ctrl-C), in parallel. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await once(child, 'exit');
      clearTimeout(timer);
    }),
  );
}
