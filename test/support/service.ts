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
