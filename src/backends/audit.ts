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
   * Appends one record and resolves once it is stored. Records arriving in the same tick, from
   * any number of requests, share one INSERT, so under load auditing costs a fraction of a
   * statement per write.
   */
  record(entry: NewAuditRecord): Promise<void>;
  /** Newest first. */
  list(query: AuditQuery): Promise<AuditRecord[]>;
}

export function createAuditLog(store: AuditStore): AuditLog {
  // DataLoader as a micro-batcher: no cache (every record is new), keys are the records.
  const batcher = new DataLoader<NewAuditRecord, void>(
    async (records) => {
      await store.append(records);
      return records.map(() => undefined);
    },
    { cache: false, maxBatchSize: 500 },
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
