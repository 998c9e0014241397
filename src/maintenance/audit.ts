import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../backends/audit.ts';
import { errorCodeOf } from '../errors.ts';

/** Records what one command run wrote: called with the ids of each committed batch. */
export type AuditWritten = (targetIds: readonly string[]) => Promise<void>;

/**
 * The audit records of one CLI run (`cli cleanup`, `cli import`), in the same log as mutations.
 * No API key is involved (whoever runs the CLI holds the database URL itself), so keyName is null;
 * every record of the run shares one request id (`cli-<uuid>`), so the run reads as one. A record
 * per committed batch, not per evaluation: the log grows with the runs, not with their size.
 */
export async function audited<T>(audit: AuditLog, command: string, run: (written: AuditWritten) => Promise<T>): Promise<T> {
  const requestId = `cli-${randomUUID()}`;
  const record = (targetIds: readonly string[], outcome: string) =>
    audit.record({ keyName: null, operation: `cli ${command}`, targetIds: [...targetIds], at: new Date(), outcome, requestId });
  try {
    return await run(async (ids) => (ids.length > 0 ? record(ids, 'ok') : undefined));
  } catch (err) {
    // What was committed before the failure has its records already; this one says the run failed.
    // If the database is what failed, this record fails too, and the command's own error is the one shown.
    await record([], errorCodeOf(err)).catch(() => {});
    throw err;
  }
}
