import { createConnection } from 'node:net';

/**
 * Runs `fn` and returns the Redis commands the server received meanwhile that name a key under
 * `prefix`, as MONITOR saw them (calls made inside Lua scripts are left out: a script is one round
 * trip). A marker command sent after `fn` tells when MONITOR has shown everything before it.
 *
 * MONITOR is read from a plain socket: its output is one text line per command, and ioredis's
 * monitor mode can throw "Command queue state error" from its socket handler when other clients
 * flood the server (test files run two at a time), which no listener can catch.
 */
export async function commandsDuring<T>(url: string, prefix: string, fn: () => Promise<T>): Promise<{ result: T; commands: string[][] }> {
  const { hostname, port } = new URL(url);
  const socket = createConnection({ host: hostname, port: Number(port || 6379) });
  const marker = `${prefix}monitor-end-${Math.random()}`;
  const commands: string[][] = [];
  let buffered = '';
  let started!: () => void;
  let ended!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  const done = new Promise<void>((r) => (ended = r));
  socket.on('data', (chunk) => {
    buffered += chunk.toString('latin1');
    const lines = buffered.split('\r\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (line === '+OK') started();
      const m = /^\+\S+ \[\d+ ([^\]]+)\] (.*)$/.exec(line);
      if (!m) continue;
      const args = [...m[2]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((a) => a[1]!.replace(/\\(.)/g, '$1'));
      if (args[0]?.toLowerCase() === 'echo' && args[1] === marker) ended();
      else if (m[1] !== 'lua' && args.some((a) => a.startsWith(prefix))) commands.push(args);
    }
  });
  socket.write('MONITOR\r\n');
  await ready;
  try {
    const result = await fn();
    const sender = createConnection({ host: hostname, port: Number(port || 6379) });
    sender.write(`ECHO ${marker}\r\n`);
    await done;
    sender.destroy();
    return { result, commands };
  } finally {
    socket.destroy();
  }
}
