import type { EvaluationRecord } from '../../domain/evaluation.ts';
import { UnavailableError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { BackendStatus, EvaluationStore } from '../types.ts';
import { entry, entryId, type JournalEntry } from './entries.ts';
import type { Journal } from './file-journal.ts';
import { isUnreachable } from './unreachable.ts';
import { applyPatch, journaledEvaluations } from './view.ts';

const unavailable = (what: string) =>
  new UnavailableError(`${what} needs the primary database, which is unreachable right now; retry when GET /ready answers 200.`, { retryable: true });

/**
 * The primary store with a durable fallback journal (seed 001's primary + fallback, seed 004's
 * failover). While the primary is unreachable:
 * - createEvaluation is journaled (fsync before the answer; storedIn FALLBACK_JOURNAL), and so is
 *   every later write to an evaluation created that way (updates with their compare-and-set checked
 *   against the journal, events, metrics): its whole state is in the journal;
 * - reading such an evaluation by id works (the create with its updates applied);
 * - anything that needs rows only the primary has is a clear UNAVAILABLE error: changing, reading
 *   events or metrics of an evaluation that lives in the primary, lists, counts and statistics.
 * The replayer applies entries in journal order, each exactly once (see replay.ts).
 */
export function withFailover(inner: EvaluationStore, journal: Journal<JournalEntry>, applyEntry: (e: JournalEntry) => Promise<boolean>, logger: Logger) {
  const stats = { failovers: 0, recoveries: 0, lastFailoverAt: null as Date | null, lastRecoveryAt: null as Date | null, degraded: false };
  const view = () => journaledEvaluations(journal.entries());
  let replaying: Promise<number> | null = null;

  async function append(e: JournalEntry): Promise<void> {
    if (!stats.degraded) {
      Object.assign(stats, { degraded: true, failovers: stats.failovers + 1, lastFailoverAt: new Date() });
      logger.warn({ failovers: stats.failovers }, 'primary database unreachable: writing to the fallback journal');
    }
    await journal.append(e);
  }

  /** Moves journaled writes into the primary, oldest first, one run at a time. Returns how many. */
  function replay(): Promise<number> {
    return (replaying ??= (async () => {
      const batch = journal.entries();
      for (const e of batch) {
        try {
          await applyEntry(e);
        } catch (err) {
          if (isUnreachable(err)) throw err; // still down: keep everything for the next run
          // One entry the primary refuses must not block every later write behind it.
          logger.error({ err, key: e.key, op: e.op, id: entryId(e) }, 'the primary refused a journaled write; it is dropped from the journal');
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

  /** Runs `primary` (after a replay, so journal order holds); when the primary is unreachable, `fallback` or UNAVAILABLE. */
  async function attempt<R>(what: string, primary: () => Promise<R>, fallback?: () => Promise<R> | null): Promise<R> {
    try {
      if (journal.size > 0) await replay();
      return await primary();
    } catch (err) {
      if (!isUnreachable(err)) throw err;
      const answer = fallback?.();
      if (!answer) throw unavailable(what);
      return answer;
    }
  }

  const journaledOnly = (id: string) => view().get(id) ?? null;

  const store: EvaluationStore = {
    ...inner,
    insert: (ev, event) =>
      attempt('Creating an evaluation', () => inner.insert(ev, event), async () => {
        const existing = journaledOnly(ev.id);
        if (existing) return { created: false, evaluation: existing };
        await append(entry({ op: 'create', evaluation: ev, event }));
        return { created: true, evaluation: journaledOnly(ev.id)! };
      }),
    async getMany(ids) {
      const journaled = view();
      try {
        const found = await inner.getMany(ids);
        for (const id of ids) if (!found.has(id) && journaled.has(id)) found.set(id, journaled.get(id)!);
        return found;
      } catch (err) {
        if (!isUnreachable(err)) throw err;
        if (ids.some((id) => !journaled.has(id))) throw unavailable('Reading this evaluation');
        return new Map(ids.map((id) => [id, journaled.get(id)!]));
      }
    },
    update: (id, expected, patch, events) =>
      attempt('Changing an evaluation', () => inner.update(id, expected, patch, events), () => {
        const current = journaledOnly(id);
        if (!current) return null;
        return (async (): Promise<EvaluationRecord | null> => {
          if (current.status !== expected) return null; // the compare-and-set lost, as in the primary
          await append(entry({ op: 'update', id, expectedStatus: expected, patch, events: [...events] }));
          return applyPatch(current, patch);
        })();
      }),
    addEvent: (id, event) =>
      attempt('Adding an event', () => inner.addEvent(id, event), () => {
        if (!journaledOnly(id)) return null;
        const record = { id: `journal-${journal.size + 1}`, evaluationId: id, type: event.type, timestamp: event.timestamp ?? new Date(), message: event.message, metadata: event.metadata };
        return append(entry({ op: 'event', id, event: { ...event, timestamp: record.timestamp } })).then(() => record);
      }),
    insertMetrics: (id, points) =>
      attempt('Recording metrics', () => inner.insertMetrics(id, points), () => (journaledOnly(id) ? append(entry({ op: 'metrics', id, points: [...points] })).then(() => points.length) : null)),
    list: (q) => attempt('Listing evaluations', () => inner.list(q)),
    count: (f) => attempt('Counting evaluations', () => inner.count(f)),
    listEvents: (ids, q) => attempt('Reading events', () => inner.listEvents(ids, q)),
    countEvents: (ids, t) => attempt('Counting events', () => inner.countEvents(ids, t)),
    listMetrics: (ids, q) => attempt('Reading metrics', () => inner.listMetrics(ids, q)),
    statistics: (r) => attempt('Statistics', () => inner.statistics(r)),
    listByTask: (ids, n) => attempt("Reading a task's evaluations", () => inner.listByTask(ids, n)),
  };

  const fallbackStatus = async (): Promise<BackendStatus> => ({
    name: 'journal',
    kind: 'file',
    role: 'fallback',
    healthy: true,
    latencyMs: 0,
    metrics: { pending: journal.size, journaledEvaluations: new Set(journal.entries().map(entryId)).size, ...stats },
  });

  return { store, replay, fallbackStatus, pending: () => journal.size };
}
