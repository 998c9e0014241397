import type { Logger } from '../../logger.ts';
import { createPostgresEvaluationStore } from '../postgres/evaluation-store.ts';
import type { Queryable, SqlClient } from '../postgres/sql-client.ts';
import type { EvaluationStore } from '../types.ts';
import type { JournalEntry } from './entries.ts';

/**
 * Applies one journal entry to the primary exactly once: its key goes into idempotency_keys in the
 * same transaction as the write, so a replay interrupted after the commit (and run again) finds
 * the key and skips the entry. Returns false when the entry was applied before.
 */
export function createReplayApplier(sql: SqlClient, logger: Logger) {
  return (e: JournalEntry): Promise<boolean> =>
    sql.transaction(async (tx) => {
      const claimed = await tx.query(
        `INSERT INTO idempotency_keys (key, request_hash, state) VALUES ($1, 'journal', 'done') ON CONFLICT (key) DO NOTHING RETURNING key`,
        [`journal:${e.key}`],
      );
      if (claimed.rows.length === 0) return false;
      await apply(createPostgresEvaluationStore(inTransaction(sql, tx)), e, logger);
      return true;
    });
}

// The store's statements run on the transaction's connection; it never opens its own transaction.
function inTransaction(sql: SqlClient, tx: Queryable): SqlClient {
  return { ...sql, query: (text, params) => tx.query(text, params) };
}

async function apply(store: EvaluationStore, e: JournalEntry, logger: Logger): Promise<void> {
  const journaled = { journaledAt: e.at.toISOString(), replayedAt: new Date().toISOString() };
  if (e.op === 'create') {
    // The created event says where the write went and when it reached the primary.
    const { created, evaluation } = await store.insert(e.evaluation, { ...e.event, metadata: { ...e.event.metadata, storedIn: 'FALLBACK_JOURNAL', ...journaled } });
    if (!created && evaluation.codeHash !== e.evaluation.codeHash) {
      logger.error({ id: e.evaluation.id }, 'a create journaled during an outage collides with an evaluation of other content; the primary keeps its own');
    }
  } else if (e.op === 'update') {
    const events = e.events.map((ev) => ({ ...ev, metadata: { ...ev.metadata, ...journaled } }));
    if (!(await store.update(e.id, e.expectedStatus, e.patch, events))) {
      logger.error({ id: e.id, expected: e.expectedStatus }, 'a journaled update found the evaluation changed in the primary meanwhile; it was not applied');
    }
  } else if (e.op === 'event') {
    await store.addEvent(e.id, { ...e.event, metadata: { ...e.event.metadata, ...journaled } });
  } else {
    await store.insertMetrics(e.id, e.points);
  }
}
