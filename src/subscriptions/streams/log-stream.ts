import type { StrataContext } from '../../context.ts';
import { isFinished } from '../../domain/evaluation.ts';
import { checkId } from '../../domain/ids.ts';
import type { LogLineRecord } from '../../domain/running.ts';
import { BadUserInputError } from '../../errors.ts';
import type { BoundedQueue } from '../bounded-queue.ts';
import { isOverflow, leavable, opened, overflowed, type Interrupted } from '../delivery.ts';
import type { LiveNotice } from '../feed.ts';
import type { EvaluationNotice } from '../notices.ts';

const MAX_SEQ = 2_147_483_647;

/**
 * evaluationLogs(id, fromSeq): every line with seq >= fromSeq (default 1: the whole log), in order,
 * each exactly once: first the stored lines, then new ones as they are appended. Completes when
 * the evaluation finishes, after the lines stored by then (a finished evaluation's log is replayed,
 * then the subscription completes). A client that reconnects passes the last seq it saw + 1.
 *
 * The switch-over: the live subscription is opened (and confirmed by Redis) before the first read,
 * so a line committed during the replay is both read and queued; `next`, the seq the client needs,
 * drops the queued copy. A notice whose first line is past `next` means notices were lost (Redis
 * pub/sub is at-most-once): the gap is read from the store before going on.
 */
export async function evaluationLogs(ctx: StrataContext, id: string, fromSeq: number | null | undefined): Promise<AsyncIterable<LogLineRecord | Interrupted>> {
  checkId('id', id);
  if (fromSeq != null && (fromSeq < 1 || fromSeq > MAX_SEQ)) {
    throw new BadUserInputError(`fromSeq must be between 1 and ${MAX_SEQ} (got ${fromSeq}); lines are numbered from 1.`, { field: 'fromSeq' });
  }
  const live = ctx.registry.feed.evaluation(id);
  const evaluation = await opened(live, () => ctx.evaluations.get(id));
  return leavable(lines(ctx, live.queue, id, fromSeq ?? 1, isFinished(evaluation.status)), live.queue);
}

async function* lines(
  ctx: StrataContext,
  queue: BoundedQueue<LiveNotice<EvaluationNotice>>,
  id: string,
  fromSeq: number,
  finished: boolean,
): AsyncGenerator<LogLineRecord | Interrupted> {
  const limit = ctx.config.running.maxLogRead;
  let next = fromSeq;
  async function* catchUp(): AsyncGenerator<LogLineRecord> {
    for (;;) {
      // Not from the Redis tail: a line reaches the tail after its commit, and this read must see
      // every committed line below the one that sent us here.
      const slice = (await ctx.registry.running.logs.read([id], { afterSeq: next - 1, limit, fromEnd: false })).get(id);
      const found = slice?.lines ?? [];
      for (const line of found) {
        next = line.seq + 1;
        yield line;
      }
      if (found.length < limit) return;
    }
  }
  try {
    yield* catchUp();
    if (finished) return;
    for await (const notice of queue) {
      if (isOverflow(notice)) return yield overflowed(ctx, { id, fromSeq: next });
      if (notice.kind === 'logs') {
        if (notice.lines[0] && notice.lines[0].seq > next) yield* catchUp();
        for (const line of notice.lines) {
          if (line.seq !== next) continue; // below: sent already; above: cannot happen after the catch-up
          next = line.seq + 1;
          yield line;
        }
      } else if (notice.kind === 'resync') {
        yield* catchUp();
        if (isFinished((await ctx.evaluations.get(id)).status)) return yield* catchUp();
      } else if (notice.kind === 'updated' && isFinished(notice.status)) {
        return yield* catchUp();
      }
    }
  } finally {
    await queue.return();
  }
}
