import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * For the large-output test and bench: `strata serve` as a child process, as users run it, whose
 * memory is read from /proc without sharing a heap with the client that loads it.
 */
export interface MeasuredGateway {
  origin: string;
  /** Resident set size now, in MiB. */
  rssMb(): number;
  stop(): Promise<void>;
  /** SIGKILL: the process dies where it is, as in a crash. */
  kill(): Promise<void>;
}

export async function startMeasuredGateway(env: NodeJS.ProcessEnv): Promise<MeasuredGateway> {
  const child = spawn(process.execPath, ['bin/strata.js', 'serve'], {
    // LOG_LEVEL info: the start line carries the URL this helper waits for.
    env: { ...process.env, PORT: '0', DATABASE_URL: '', STORAGE_BACKEND: '', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
      const match = /"url":"([^"]+)"/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`strata serve exited with ${code} before listening: ${output}`)));
  });
  return {
    origin: new URL(url).origin,
    rssMb: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Samples a gateway's RSS every 20 ms while `run` runs; returns the highest sample. */
export async function peakRssDuring<T>(gateway: MeasuredGateway, run: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peakMb = gateway.rssMb();
  const sampler = setInterval(() => (peakMb = Math.max(peakMb, gateway.rssMb())), 20);
  try {
    return { result: await run(), peakMb };
  } finally {
    clearInterval(sampler);
  }
}

/** `total` bytes of deterministic text in about 64 KiB chunks, generated as they are read, with their sha256. */
export function generatedText(total: number): { body: ReadableStream<Uint8Array>; sha256: () => string } {
  const hash = createHash('sha256');
  const line = Buffer.from('stdout: step 0000042 loss=0.1234 accuracy=0.9876 ✓\n');
  const chunk = Buffer.alloc(64 * 1024 - ((64 * 1024) % line.length));
  for (let i = 0; i < chunk.length; i++) chunk[i] = line[i % line.length]!;
  let sent = 0;
  let digest: string | null = null;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      // Whole lines, and ASCII for a last short chunk: every chunk is valid UTF-8 on its own.
      const part = total - sent >= chunk.length ? Buffer.from(chunk) : Buffer.alloc(total - sent, 'x');
      hash.update(part);
      sent += part.length;
      controller.enqueue(part);
    },
  });
  return { body, sha256: () => (digest ??= hash.digest('hex')) };
}

/** Reads a response body to its end, hashing it; holds one chunk at a time. */
export async function hashBody(res: Response): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { bytes, sha256: hash.digest('hex') };
}
