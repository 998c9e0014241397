import type { StrataContext } from '../../context.ts';
import { isFinished, type EvaluationRecord } from '../../domain/evaluation.ts';
import { checkId } from '../../domain/ids.ts';
import type { BoundedQueue } from '../bounded-queue.ts';
import { isOverflow, leavable, opened, overflowed, type Interrupted } from '../delivery.ts';
import type { LiveNotice } from '../feed.ts';
import type { EvaluationNotice } from '../notices.ts';

/**
 * evaluationUpdated(id): the evaluation as it is now, then again after every change to it (its
 * fields and its running info; events, metrics and logs have their own subscriptions). A finished
 * evaluation is sent once more in its final state, and the subscription completes. The state comes
 * from the database, so a client that reconnects just subscribes again: the first value is current.
 * Each change is delivered as the evaluation stands when this process hears of it, which may
 * already include a later change; the final state is always delivered.
 */
export async function evaluationUpdates(ctx: StrataContext, id: string): Promise<AsyncIterable<EvaluationRecord | Interrupted>> {
  checkId('id', id);
  const live = ctx.registry.feed.evaluation(id);
  const first = await opened(live, () => ctx.evaluations.get(id));
  return leavable(updates(ctx, live.queue, first), live.queue);
}

async function* updates(ctx: StrataContext, queue: BoundedQueue<LiveNotice<EvaluationNotice>>, first: EvaluationRecord): AsyncGenerator<EvaluationRecord | Interrupted> {
  const feed = ctx.registry.feed;
  try {
    let last = first;
    yield first;
    if (isFinished(first.status)) return;
    for await (const notice of queue) {
      if (isOverflow(notice)) return yield overflowed(ctx, { id: first.id });
      if (notice.kind !== 'updated' && notice.kind !== 'heartbeat' && notice.kind !== 'resync') continue;
      const current = await feed.evaluationAt(notice.kind === 'resync' ? { evaluationId: first.id } : notice);
      if (!current) return;
      // After a reconnect only a state that moved on is news; an older one is never sent after a newer.
      const age = current.updatedAt.getTime() - last.updatedAt.getTime();
      if (age < 0 || (age === 0 && notice.kind === 'resync')) continue;
      last = current;
      yield current;
      if (isFinished(current.status)) return;
    }
  } finally {
    await queue.return();
  }
}
