import { isFinished, type EvaluationRecord, type EvaluationStatus, type JsonObject } from '../domain/evaluation.ts';
import type { EvaluationPatch, NewEvent } from '../backends/types.ts';

/**
 * What a walk through `path` (one or more statuses) does to an evaluation: the gateway sets
 * startedAt when it starts RUNNING, completedAt when it finishes, and runtimeMs from the two when
 * the caller did not report one. Every step becomes a `status_changed` event, so the event list is
 * the evaluation's timeline.
 */
export function statusChange(
  current: EvaluationRecord,
  path: readonly EvaluationStatus[],
  now: Date,
  runtimeMs: number | undefined,
  eventMetadata: JsonObject = {},
): { patch: EvaluationPatch; events: NewEvent[] } {
  if (path.length === 0) return { patch: runtimeMs === undefined ? {} : { runtimeMs }, events: [] };
  const patch: EvaluationPatch = { status: path[path.length - 1]! };
  const events: NewEvent[] = [];
  let from = current.status;
  let startedAt = current.startedAt;
  for (const to of path) {
    if (to === 'RUNNING' && !startedAt) startedAt = patch.startedAt = now;
    if (isFinished(to)) patch.completedAt = now;
    events.push({ type: 'status_changed', message: `${from} -> ${to}`, metadata: { ...eventMetadata, from, to }, timestamp: now });
    from = to;
  }
  if (runtimeMs !== undefined) patch.runtimeMs = runtimeMs;
  else if (patch.completedAt && startedAt) patch.runtimeMs = Math.max(0, patch.completedAt.getTime() - startedAt.getTime());
  return { patch, events };
}
