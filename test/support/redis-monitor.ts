import { Redis } from 'ioredis';

/**
 * Runs `fn` and returns the Redis commands the server received meanwhile that name a key under
 * `prefix`, as MONITOR saw them (calls made inside Lua scripts are left out: a script is one round
 * trip). A marker command sent after `fn` tells when MONITOR has shown everything before it.
 */
export async function commandsDuring<T>(url: string, prefix: string, fn: () => Promise<T>): Promise<{ result: T; commands: string[][] }> {
  const base = new Redis(url, { lazyConnect: true });
  const monitor = await base.monitor();
  const marker = `${prefix}monitor-end-${Math.random()}`;
  const commands: string[][] = [];
  const ended = new Promise<void>((resolve) => {
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (args[0]?.toLowerCase() === 'echo' && args[1] === marker) return resolve();
      if (source !== 'lua' && args.some((a) => a.startsWith(prefix))) commands.push(args);
    });
  });
  const sender = new Redis(url);
  try {
    const result = await fn();
    await sender.echo(marker);
    await ended;
    return { result, commands };
  } finally {
    sender.disconnect();
    // MONITOR output keeps coming until the server sees the close, and ioredis would take it for
    // replies to commands it never sent: stop feeding its parser first.
    monitor.stream.removeAllListeners('data');
    monitor.disconnect();
    base.disconnect();
  }
}
