/** One audited write: who, what, on which ids, when, how it ended, and the request it came in. */
export interface AuditRecord {
  /** Grows with every append: newest first is id descending. */
  id: string;
  /** The API key's name; null when the gateway runs open (no keys configured). */
  keyName: string | null;
  /** The mutation field (`createEvaluation`), or a REST route or CLI command (`PUT /evaluations/{id}/output`, `cli cleanup`). */
  operation: string;
  targetIds: string[];
  at: Date;
  /** `ok`, or the error code that ended it (FORBIDDEN, BAD_USER_INPUT, INTERNAL_SERVER_ERROR, ...). */
  outcome: string;
  requestId: string;
}

export type NewAuditRecord = Omit<AuditRecord, 'id'>;

export interface AuditFilter {
  keyName?: string | null;
  operation?: string | null;
  targetId?: string | null;
  outcome?: string | null;
  /** Inclusive. */
  since?: Date | null;
  /** Exclusive. */
  until?: Date | null;
}

export interface AuditQuery {
  filter: AuditFilter;
  /** Only records older than this id (the previous page's last). */
  beforeId?: string;
  limit: number;
}

/** Append-only storage of audit records, in the primary store. No update, no delete. */
export interface AuditStore {
  append(records: readonly NewAuditRecord[]): Promise<void>;
  /** Newest first. */
  list(query: AuditQuery): Promise<AuditRecord[]>;
}
