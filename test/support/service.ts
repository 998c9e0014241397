import { spawnSync } from 'node:child_process';

/**
 * Resolves to a skip reason when a service the tests need does not answer `probe`, or null when it
 * does. Under CI=true an unreachable service throws: a missing service fails the run, it is never
 * a silent skip.
 */
export async function serviceUnavailable(name: string, url: string, envVar: string, probe: () => Promise<void>): Promise<string | null> {
  try {
    await probe();
    return null;
  } catch (err) {
    const reason = `${name} at ${url} is not reachable (${(err as Error).message})`;
    if (process.env['CI'] === 'true') throw new Error(`${reason}; CI=true requires it.`);
    console.warn(`SKIPPED: ${reason}. Set ${envVar} or start ${name} to run these tests.`);
    return reason;
  }
}

/**
 * Resolves to a skip reason when a program the tests start themselves (redis-server, initdb, ...)
 * cannot be run, or null. The same rule as for services: under CI=true a missing program throws,
 * so it fails the run instead of skipping tests silently.
 */
/** A program on PATH that answers `args` with exit 0 (redis-server --version, openssl version). */
export const canRun = (name: string, args: readonly string[] = ['--version']) => ({ name, runs: () => spawnSync(name, [...args], { stdio: 'ignore' }).status === 0 });

export function programsUnavailable(programs: readonly { name: string; runs: () => boolean }[], purpose: string, hint: string): string | null {
  const missing = programs.filter((p) => !p.runs()).map((p) => p.name);
  if (missing.length === 0) return null;
  const reason = `${missing.join(', ')} cannot be run, so ${purpose}`;
  if (process.env['CI'] === 'true') throw new Error(`${reason}; CI=true requires ${missing.length > 1 ? 'them' : 'it'}.`);
  console.warn(`SKIPPED: ${reason}. ${hint}`);
  return reason;
}
