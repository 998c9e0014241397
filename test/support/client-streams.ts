import type { StrataClient } from 'strata/client';

/**
 * Follows a RUNNING evaluation that has logged 'a' with two of the client's streams at once,
 * driving it from what arrives: on 'a' it appends 'b', on 'b' it completes the evaluation, and
 * both streams must then end by themselves. Returns what each delivered, for the caller to check
 * that every line came once and the last update was COMPLETED.
 */
export async function followToTheEnd(client: StrataClient, id: string): Promise<{ lines: string[]; statuses: string[] }> {
  const lines: string[] = [];
  const statuses: string[] = [];
  const following = (async () => {
    for await (const line of client.logLines(id)) {
      lines.push(line.text);
      if (line.text === 'a') await client.appendLogs(id, ['b']);
      if (line.text === 'b') await client.updateStatus(id, 'COMPLETED');
    }
  })();
  const watching = (async () => {
    for await (const e of client.evaluationUpdates(id)) statuses.push(e.status);
  })();
  await Promise.all([following, watching]);
  return { lines, statuses };
}
