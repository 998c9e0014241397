import type { AuditFilter, AuditRecord, AuditStore } from '../audit-types.ts';

function matches(r: AuditRecord, f: AuditFilter): boolean {
  return (
    (f.keyName == null || r.keyName === f.keyName) &&
    (f.operation == null || r.operation === f.operation) &&
    (f.targetId == null || r.targetIds.includes(f.targetId)) &&
    (f.outcome == null || r.outcome === f.outcome) &&
    (f.since == null || r.at >= f.since) &&
    (f.until == null || r.at < f.until)
  );
}

/** The audit log in process memory, for STORAGE_BACKEND=memory; records are copied in and out. */
export function createMemoryAuditStore(): AuditStore {
  const records: AuditRecord[] = [];
  return {
    async append(batch) {
      for (const r of batch) records.push(structuredClone({ ...r, id: String(records.length + 1) }));
    },
    async list({ filter, beforeId, limit }) {
      const found: AuditRecord[] = [];
      const start = beforeId === undefined ? records.length - 1 : Math.min(Number(beforeId) - 2, records.length - 1);
      for (let i = start; i >= 0 && found.length < limit; i--) {
        if (matches(records[i]!, filter)) found.push(structuredClone(records[i]!));
      }
      return found;
    },
  };
}
