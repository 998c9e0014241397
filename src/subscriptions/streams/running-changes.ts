import type { StrataContext } from '../../context.ts';
import type { EvaluationRecord } from '../../domain/evaluation.ts';
import type { RunningRecord } from '../../domain/running.ts';
import type { BoundedQueue } from '../bounded-queue.ts';
import { interrupted, isOverflow, leavable, opened, overflowed, type Interrupted } from '../delivery.ts';
import type { LiveNotice } from '../feed.ts';
import type { RunningChangeKind, RunningNotice } from '../notices.ts';

export interface RunningChange {
  kind: RunningChangeKind;
  evaluation: EvaluationRecord;
  /** The report markRunning recorded, for UPDATED changes it made. */
  record: RunningRecord | null;
}

/**
 * runningEvaluations: STARTED when an evaluation goes RUNNING, UPDATED on each change while it
 * runs (worker reports included), FINISHED when it leaves RUNNING, with the evaluation as of that
 * change. To keep a live list: subscribe, then query runningEvaluations, and apply the changes by
 * id. The set has no cursor to resume from, so if this process may have missed changes (its Redis
 * connection came back) the subscription ends with SUBSCRIPTION_INTERRUPTED: subscribe and query again.
 */
export async function runningChanges(ctx: StrataContext): Promise<AsyncIterable<RunningChange | Interrupted>> {
  const live = ctx.registry.feed.running();
  await opened(live, async () => {});
  return leavable(changes(ctx, live.queue), live.queue);
}

async function* changes(ctx: StrataContext, queue: BoundedQueue<LiveNotice<RunningNotice>>): AsyncGenerator<RunningChange | Interrupted> {
  try {
    for await (const notice of queue) {
      if (isOverflow(notice)) return yield overflowed(ctx, {});
      if (notice.kind === 'resync') return yield interrupted();
      const evaluation = await ctx.registry.feed.evaluationAt(notice);
      if (evaluation) yield { kind: notice.kind, evaluation, record: notice.record };
    }
  } finally {
    await queue.return();
  }
}
