import type { StrataContext } from '../../context.ts';
import { isFinished, type MetricRecord } from '../../domain/evaluation.ts';
import { checkId } from '../../domain/ids.ts';
import { checkList, checkString } from '../../domain/validate.ts';
import type { BoundedQueue } from '../bounded-queue.ts';
import { isOverflow, leavable, opened, overflowed, type Interrupted } from '../delivery.ts';
import type { LiveNotice } from '../feed.ts';
import type { EvaluationNotice } from '../notices.ts';

/**
 * metricPoints(evaluationId, names): each point recorded from now on (of the given names, or all),
 * in the order recorded; completes when the evaluation finishes (at once if it has). Live only:
 * points have no sequence, so after a reconnect a client reads what it missed with
 * `evaluation { metrics(from: <last timestamp seen>) }`.
 */
export async function metricPoints(ctx: StrataContext, id: string, names: readonly string[] | null | undefined): Promise<AsyncIterable<MetricRecord | Interrupted>> {
  checkId('evaluationId', id);
  const wanted = names ? new Set(checkList('names', names, ctx.config.limits.maxListLength).map((n) => checkString('names', n, 200))) : null;
  const live = ctx.registry.feed.evaluation(id);
  const evaluation = await opened(live, () => ctx.evaluations.get(id));
  return leavable(points(ctx, live.queue, id, wanted, isFinished(evaluation.status)), live.queue);
}

async function* points(
  ctx: StrataContext,
  queue: BoundedQueue<LiveNotice<EvaluationNotice>>,
  id: string,
  wanted: ReadonlySet<string> | null,
  finished: boolean,
): AsyncGenerator<MetricRecord | Interrupted> {
  try {
    if (finished) return;
    for await (const notice of queue) {
      if (isOverflow(notice)) return yield overflowed(ctx, { evaluationId: id });
      if (notice.kind === 'metrics') {
        for (const point of notice.points) if (!wanted || wanted.has(point.name)) yield point;
      } else if (notice.kind === 'updated' && isFinished(notice.status)) {
        return;
      }
    }
  } finally {
    await queue.return();
  }
}
