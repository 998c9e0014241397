import type { StrataContext } from '../../context.ts';
import { isFinished, type EventRecord } from '../../domain/evaluation.ts';
import { checkId } from '../../domain/ids.ts';
import { BadUserInputError } from '../../errors.ts';
import type { BoundedQueue } from '../bounded-queue.ts';
import { isOverflow, leavable, opened, overflowed, type Interrupted } from '../delivery.ts';
import type { LiveNotice } from '../feed.ts';
import type { EvaluationNotice } from '../notices.ts';

/**
 * evaluationEvents(id, afterId): the stored timeline after `afterId` (all of it when omitted), then
 * each new event, oldest first, each once; completes after the events of the finishing change.
 *
 * Notices carry no events: on each one the stream reads the events after the last one it sent.
 * One evaluation's event ids commit in increasing order (the store takes the evaluation's row lock
 * to insert one), so "after the last id sent" is exact: replay and live need no switch-over, a
 * lost notice is made good by the next, and a client resumes with the id of the last event it saw.
 */
export async function evaluationEvents(ctx: StrataContext, id: string, afterId: string | null | undefined): Promise<AsyncIterable<EventRecord | Interrupted>> {
  checkId('id', id);
  if (afterId != null && !/^\d{1,18}$/.test(afterId)) {
    throw new BadUserInputError('afterId must be the id of an event of this evaluation (digits).', { field: 'afterId' });
  }
  const live = ctx.registry.feed.evaluation(id);
  const evaluation = await opened(live, () => ctx.evaluations.get(id));
  return leavable(events(ctx, live.queue, id, afterId ?? undefined, isFinished(evaluation.status)), live.queue);
}

async function* events(
  ctx: StrataContext,
  queue: BoundedQueue<LiveNotice<EvaluationNotice>>,
  id: string,
  afterId: string | undefined,
  finished: boolean,
): AsyncGenerator<EventRecord | Interrupted> {
  const page = ctx.config.limits.maxPageSize;
  let last = afterId;
  async function* catchUp(): AsyncGenerator<EventRecord> {
    for (;;) {
      const found = (await ctx.registry.evaluations.listEvents([id], { afterId: last, limit: page })).get(id) ?? [];
      for (const event of found) {
        last = event.id;
        yield event;
      }
      if (found.length < page) return;
    }
  }
  try {
    yield* catchUp();
    if (finished) return;
    for await (const notice of queue) {
      if (isOverflow(notice)) return yield overflowed(ctx, { id, afterId: last ?? null });
      if (notice.kind !== 'updated' && notice.kind !== 'event' && notice.kind !== 'resync') continue;
      yield* catchUp();
      const status = notice.kind === 'updated' ? notice.status : notice.kind === 'resync' ? (await ctx.evaluations.get(id)).status : null;
      if (status && isFinished(status)) return;
    }
  } finally {
    await queue.return();
  }
}
