import type { EvaluationRecord } from '../../domain/evaluation.ts';
import { UnavailableError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { BackendStatus, EvaluationStore, NewEvaluation, NewEvent } from '../types.ts';
import type { Journal } from './file-journal.ts';
import { isUnreachable } from './unreachable.ts';

/** One journaled write. Only creates are journaled (see withFailover). */
export interface CreateEntry {
  op: 'create';
  at: Date;
  evaluation: NewEvaluation;
  event: NewEvent;
}

export function reviveEntry(raw: unknown): CreateEntry {
  const e = raw as CreateEntry & { at: string; evaluation: { createdAt: string } };
  return { op: 'create', at: new Date(e.at), evaluation: { ...e.evaluation, createdAt: new Date(e.evaluation.createdAt) }, event: e.event };
}

const unavailable = (what: string) =>
  new UnavailableError(`${what} needs the primary database, which is unreachable right now; retry when GET /ready answers 200.`, { retryable: true });

function fromEntry(e: CreateEntry): EvaluationRecord {
  const ev = e.evaluation;
  return { ...ev, updatedAt: ev.createdAt, startedAt: null, completedAt: null, runtimeMs: null, retries: 0, celeryTaskId: null, deletedAt: null, output: null, error: null, storedIn: 'FALLBACK_JOURNAL' };
}

/**
 * The primary store with a durable fallback journal (seed 001's primary + fallback, seed 004's
 * failover). When the primary is unreachable:
 * - createEvaluation is appended to the journal (fsync before the answer) and answered with
 *   storedIn FALLBACK_JOURNAL; reads by id see it until the replayer has moved it to the primary;
 * - everything else is a clear UNAVAILABLE error: an update must compare-and-set against the
 *   current status, events and metrics need their evaluation's row, lists and statistics need
 *   every row; none of these can be answered or ordered correctly from the journal alone.
 * Replay inserts in journal order with ON CONFLICT DO NOTHING on the id the create already carries,
 * so replaying twice changes nothing, and a create whose first attempt did commit is not doubled.
 */
export function withFailover(inner: EvaluationStore, journal: Journal<CreateEntry>, logger: Logger) {
  const stats = { failovers: 0, recoveries: 0, lastFailoverAt: null as Date | null, lastRecoveryAt: null as Date | null, degraded: false };
  const pending = () => new Map(journal.entries().map((e) => [e.evaluation.id, e]));
  let replaying: Promise<number> | null = null;

  const guard = <A extends unknown[], R>(what: string, fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await fn(...args);
    } catch (err) {
      throw isUnreachable(err) ? unavailable(what) : err;
    }
  };

  async function journalCreate(ev: NewEvaluation, event: NewEvent): Promise<{ created: boolean; evaluation: EvaluationRecord }> {
    const existing = pending().get(ev.id);
    if (existing) return { created: false, evaluation: fromEntry(existing) };
    if (!stats.degraded) {
      stats.degraded = true;
      stats.failovers++;
      stats.lastFailoverAt = new Date();
      logger.warn({ failovers: stats.failovers }, 'primary database unreachable: writing creates to the fallback journal');
    }
    const entry: CreateEntry = { op: 'create', at: new Date(), evaluation: ev, event: { ...event, metadata: { ...event.metadata, storedIn: 'FALLBACK_JOURNAL', journaledAt: new Date().toISOString() } } };
    await journal.append(entry);
    return { created: true, evaluation: fromEntry(entry) };
  }

  /** Moves journaled creates into the primary, oldest first; one run at a time. Returns how many. */
  function replay(): Promise<number> {
    return (replaying ??= (async () => {
      const batch = journal.entries();
      for (const e of batch) {
        // The created event says where the write went and when it reached the primary.
        const event = { ...e.event, metadata: { ...e.event.metadata, replayedAt: new Date().toISOString() } };
        const { created, evaluation } = await inner.insert(e.evaluation, event);
        if (!created && evaluation.codeHash !== e.evaluation.codeHash) {
          logger.error({ id: e.evaluation.id }, 'a create journaled during an outage collides with an evaluation of other content; the primary keeps its own');
        }
      }
      if (batch.length > 0) await journal.dropFirst(batch.length);
      if (stats.degraded && journal.size === 0) {
        Object.assign(stats, { degraded: false, recoveries: stats.recoveries + 1, lastRecoveryAt: new Date() });
        logger.info({ replayed: batch.length, recoveries: stats.recoveries }, 'primary database is back: fallback journal replayed');
      }
      return batch.length;
    })().finally(() => (replaying = null)));
  }

  const store: EvaluationStore = {
    ...inner,
    async insert(ev, event) {
      try {
        // Journaled creates go first, so the primary sees creates in the order they were answered.
        if (journal.size > 0) await replay();
        return await inner.insert(ev, event);
      } catch (err) {
        if (!isUnreachable(err)) throw err;
        return journalCreate(ev, event);
      }
    },
    async getMany(ids) {
      const journaled = pending();
      try {
        const found = await inner.getMany(ids);
        for (const id of ids) if (!found.has(id) && journaled.has(id)) found.set(id, fromEntry(journaled.get(id)!));
        return found;
      } catch (err) {
        if (!isUnreachable(err) || ids.some((id) => !journaled.has(id))) throw isUnreachable(err) ? unavailable('Reading this evaluation') : err;
        return new Map(ids.map((id) => [id, fromEntry(journaled.get(id)!)]));
      }
    },
    update: guard('Changing an evaluation', async (id, expected, patch, events) => {
      if (pending().has(id)) await replay(); // its row must be in the primary before it can change
      return inner.update(id, expected, patch, events);
    }),
    list: guard('Listing evaluations', inner.list),
    count: guard('Counting evaluations', inner.count),
    addEvent: guard('Adding an event', inner.addEvent),
    listEvents: guard('Reading events', inner.listEvents),
    countEvents: guard('Counting events', inner.countEvents),
    insertMetrics: guard('Recording metrics', inner.insertMetrics),
    listMetrics: guard('Reading metrics', inner.listMetrics),
    statistics: guard('Statistics', inner.statistics),
    listByTask: guard("Reading a task's evaluations", inner.listByTask),
  };

  const fallbackStatus = async (): Promise<BackendStatus> => ({
    name: 'journal',
    kind: 'file',
    role: 'fallback',
    healthy: true,
    latencyMs: 0,
    metrics: { pending: journal.size, ...stats },
  });

  return { store, replay, fallbackStatus, pending: () => journal.size };
}
