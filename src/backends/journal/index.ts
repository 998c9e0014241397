import { trackJournal } from '../../observability/metrics.ts';
import type { OpenContext } from '../registry.ts';
import type { EvaluationStore } from '../types.ts';
import { decodeEntry, encodeEntry, type JournalEntry } from './entries.ts';
import { withFailover } from './failover-store.ts';
import { openFileJournal } from './file-journal.ts';
import { createReplayApplier } from './replay.ts';

export interface Failover {
  store: EvaluationStore;
  /** Creates waiting in the journal (storage.fallbackPending). */
  pending(): number;
  /** Drains the journal now (the replayer also does, every REPLAY_INTERVAL_MS). */
  replay(): Promise<number>;
}

/**
 * Puts the fallback journal (FALLBACK_JOURNAL_PATH) in front of a PostgreSQL server and starts the
 * replayer. The embedded database and memory cannot become unreachable, so they get none.
 */
export async function openFailover(ctx: OpenContext, primary: EvaluationStore): Promise<Failover> {
  const settings = ctx.config.blobs.fallback;
  if (ctx.config.storage.kind !== 'postgres' || !settings || !ctx.sql) return { store: primary, pending: () => 0, replay: async () => 0 };
  const journal = await openFileJournal<JournalEntry>(settings.journalPath, decodeEntry, encodeEntry);
  const failover = withFailover(primary, journal, createReplayApplier(ctx.sql, ctx.logger), ctx.logger);
  const tick = () => {
    if (journal.size > 0) failover.replay().catch((err: unknown) => ctx.logger.debug({ err }, 'replay deferred: the primary is still unreachable'));
  };
  tick(); // entries left by a previous process are replayed as soon as the primary answers
  const timer = setInterval(tick, settings.replayIntervalMs);
  timer.unref();
  const untrack = trackJournal(journal);
  ctx.onClose(async () => {
    untrack();
    clearInterval(timer);
    await journal.close();
  });
  ctx.reportStatus(failover.fallbackStatus);
  return { store: failover.store, pending: failover.pending, replay: failover.replay };
}
