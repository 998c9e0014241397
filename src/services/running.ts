import type { RunningBackends, RunningUpdate } from '../backends/running-types.ts';
import type { EvaluationStore } from '../backends/types.ts';
import type { RunningConfig } from '../config.ts';
import { isFinished, type EvaluationRecord } from '../domain/evaluation.ts';
import { checkId } from '../domain/ids.ts';
import { impliedRunning, type RunningRecord } from '../domain/running.ts';
import { checkJsonObject, checkString } from '../domain/validate.ts';
import { BadUserInputError, InvalidTransitionError } from '../errors.ts';
import type { Loaders } from '../loaders.ts';
import type { AfterCommit } from './after-commit.ts';
import type { EvaluationService } from './evaluations.ts';

export interface RunningInput {
  containerId?: string | null;
  host?: string | null;
  info?: unknown;
}

/**
 * markRunning, runningEvaluations and Evaluation.running. Status changes go through the
 * EvaluationService (transition check, startedAt, status_changed event, after-commit hook); this
 * service adds the container record and reads the running set, from Redis when it is complete.
 */
export class RunningService {
  constructor(
    private readonly running: RunningBackends,
    private readonly evaluations: EvaluationService,
    private readonly store: EvaluationStore,
    private readonly loaders: Loaders,
    private readonly config: { running: RunningConfig; maxMetadataBytes: number },
    private readonly afterCommit: AfterCommit = async () => {},
  ) {}

  /**
   * QUEUED: starts the evaluation, then records the report. RUNNING: a heartbeat (heartbeatAt moves
   * to now; containerId and host are replaced when given; info, when given, replaces the stored
   * object whole). Finished: INVALID_TRANSITION, nothing is written.
   */
  async markRunning(id: string, input: RunningInput | null | undefined): Promise<EvaluationRecord> {
    checkId('id', id);
    const update = this.checkInput(input ?? {});
    let evaluation = await this.evaluations.get(id);
    if (evaluation.status === 'QUEUED') evaluation = await this.evaluations.update(id, { status: 'RUNNING' });
    if (evaluation.status !== 'RUNNING') throw new InvalidTransitionError(id, evaluation.status, 'RUNNING');
    const record = await this.running.store.upsert(id, { ...update, at: new Date() });
    if (!record) {
      // It finished between the read above and the write: report the status it has now.
      const now = await this.evaluations.get(id);
      throw new InvalidTransitionError(id, now.status, 'RUNNING');
    }
    await this.afterCommit({ kind: 'heartbeat', evaluation, record });
    this.loaders.running.clear(id).prime(id, record);
    this.loaders.evaluation.clear(id).prime(id, evaluation);
    return evaluation;
  }

  /**
   * Every RUNNING evaluation, oldest start first. From Redis: one script call for the set with
   * every record, then one batched load of the evaluations; members whose evaluation is not
   * RUNNING (a race left them) are skipped. Without a complete set in Redis: one query.
   */
  async list(): Promise<EvaluationRecord[]> {
    const max = this.config.running.listMax;
    const mirrored = await this.running.mirror.list();
    let running: EvaluationRecord[];
    if (mirrored) {
      const ids = mirrored.map((r) => r.evaluationId);
      const loaded = await this.loaders.evaluation.loadMany(ids);
      running = loaded.filter((e) => isEvaluation(e) && e.status === 'RUNNING') as EvaluationRecord[];
      // Only a finished (or vanished) evaluation is pruned: one that reads QUEUED was read by this
      // request's loader before it started, and belongs in the set.
      const stale = (e: EvaluationRecord | Error | null) => e === null || (isEvaluation(e) && isFinished(e.status));
      this.running.mirror.prune(ids.filter((_, i) => stale(loaded[i]!)));
      const live = new Set(running.map((e) => e.id));
      for (const r of mirrored) if (live.has(r.evaluationId)) this.loaders.running.prime(r.evaluationId, r);
    } else {
      running = await this.store.list({ filter: { status: ['RUNNING'], includeDeleted: true }, field: 'CREATED_AT', direction: 'ASC', nullsFirst: false, limit: max });
      for (const e of running) this.loaders.evaluation.prime(e.id, e);
    }
    const started = (e: EvaluationRecord) => (e.startedAt ?? e.updatedAt).getTime();
    return running.sort((a, b) => started(a) - started(b) || (a.id < b.id ? -1 : 1)).slice(0, max);
  }

  /** Container info while RUNNING (implied when no worker reported yet), else null. Batched. */
  async of(evaluation: EvaluationRecord): Promise<RunningRecord | null> {
    if (evaluation.status !== 'RUNNING') return null;
    return (await this.loaders.running.load(evaluation.id)) ?? impliedRunning(evaluation);
  }

  private checkInput(input: RunningInput): Omit<RunningUpdate, 'at'> {
    return {
      containerId: input.containerId == null ? null : this.nonEmpty('containerId', input.containerId),
      host: input.host == null ? null : this.nonEmpty('host', input.host),
      info: input.info == null ? null : checkJsonObject('info', input.info, this.config.maxMetadataBytes),
    };
  }

  private nonEmpty(field: string, value: string): string {
    if (value.trim() === '') throw new BadUserInputError(`${field} must not be empty; omit it to keep the value already recorded.`, { field });
    return checkString(field, value, 255);
  }
}

function isEvaluation(value: EvaluationRecord | Error | null | undefined): value is EvaluationRecord {
  return value != null && !(value instanceof Error);
}
