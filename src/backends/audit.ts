import DataLoader from 'dataloader';
import type { OpenContext } from './registry.ts';
import { createMemoryAuditStore } from './memory/audit-store.ts';
import { createPostgresAuditStore } from './postgres/audit-store.ts';
import type { AuditQuery, AuditRecord, AuditStore, NewAuditRecord } from './audit-types.ts';

export type { AuditFilter, AuditRecord, NewAuditRecord } from './audit-types.ts';

/**
 * What writers use: GraphQL mutations (and the REST routes, which run them) through useAuditLog;
 * the streamed uploads (use-text-uploads.ts) and `strata cleanup` / `strata import`
 * (maintenance/audit.ts) call `registry.audit.record({...})` themselves.
 */
export interface AuditLog {
  /**
   * Appends one record and resolves once it is stored. Records share INSERTs (a group commit):
   * those arriving in the same tick go together, and while one INSERT is running the records that
   * arrive wait for it and then go in the next one. So under load auditing costs a fraction of a
   * statement per write, and alone a record is written at once.
   */
  record(entry: NewAuditRecord): Promise<void>;
  /** Newest first. */
  list(query: AuditQuery): Promise<AuditRecord[]>;
}

export function createAuditLog(store: AuditStore): AuditLog {
  // At most one INSERT in flight: the next batch is dispatched when it ends (DataLoader collects
  // the records that arrive meanwhile into that batch).
  // (A batch that reached maxBatchSize waits its turn too: `waiting` is a queue.)
  let inFlight = false;
  const waiting: (() => void)[] = [];
  const dispatchWhenFree = (dispatch: () => void) => {
    if (inFlight) waiting.push(dispatch);
    // When free, as DataLoader's own default: after the promise jobs of this tick have run.
    else void Promise.resolve().then(() => process.nextTick(dispatch));
  };
  // DataLoader as the batcher: no cache (every record is new), keys are the records.
  const batcher = new DataLoader<NewAuditRecord, void>(
    async (records) => {
      inFlight = true;
      try {
        await store.append(records);
      } finally {
        inFlight = false;
        waiting.shift()?.();
      }
      return records.map(() => undefined);
    },
    { cache: false, maxBatchSize: 500, batchScheduleFn: dispatchWhenFree },
  );
  return {
    record: (entry) => batcher.load(entry),
    list: (query) => store.list(query),
  };
}

/** The audit log lives in the primary store: its database, or memory with STORAGE_BACKEND=memory. */
export function openAuditLog(ctx: OpenContext): AuditLog {
  return createAuditLog(ctx.sql ? createPostgresAuditStore(ctx.sql) : createMemoryAuditStore());
}
