import type { EvaluationPatch, EvaluationStore, NewEvent } from '../backends/types.ts';
import type { Limits } from '../config.ts';
import {
  canTransition,
  TASK_STATE_TO_STATUS,
  pathTo,
  type EvaluationRecord,
  type EvaluationStatus,
  type EventRecord,
  type JsonObject,
  type StoredTextRecord,
} from '../domain/evaluation.ts';
import { checkId, generateEvaluationId, sha256Hex } from '../domain/ids.ts';
import { checkJsonObject, checkList, checkNonNegative, checkOutputText, checkString } from '../domain/validate.ts';
import { BadUserInputError, ConflictError, InvalidTransitionError, NotFoundError } from '../errors.ts';
import type { AfterCommit } from './after-commit.ts';
import { statusChange } from './status-change.ts';

export interface CreateEvaluationInput {
  id?: string | null;
  code: string;
  language?: string | null;
  status?: EvaluationStatus | null;
  metadata?: unknown;
  taskId?: string | null;
}

export interface UpdateEvaluationInput {
  status?: EvaluationStatus | null;
  output?: string | null;
  error?: string | null;
  runtimeMs?: number | null;
  metadata?: unknown;
  retries?: number | null;
}

export interface TaskUpdateInput {
  celeryTaskId: string;
  taskState: string;
  retries?: number | null;
  output?: string | null;
  error?: string | null;
}

export interface MetricInput {
  name: string;
  value: number;
  unit?: string | null;
  step?: number | null;
  timestamp?: Date | null;
}

const LANGUAGE = /^[A-Za-z0-9_+.#-]{1,64}$/;
const MAX_CAS_ATTEMPTS = 5;

/**
 * The rules of evaluations, above any backend: validation, ids and hashes, status transitions and
 * the timeline events they write. Resolvers (and later REST routes and workers) call this.
 */
export class EvaluationService {
  constructor(
    private readonly store: EvaluationStore,
    private readonly limits: Limits,
    /** Told of every committed change, whichever method made it (see after-commit.ts). */
    private readonly afterCommit: AfterCommit = async () => {},
  ) {}

  async create(input: CreateEvaluationInput): Promise<EvaluationRecord> {
    const id = input.id != null ? checkId('id', input.id) : generateEvaluationId();
    const code = checkString('code', input.code, this.limits.maxCodeBytes);
    const language = input.language ?? 'python';
    if (!LANGUAGE.test(language)) {
      throw new BadUserInputError('language must be 1-64 letters, digits or "_+.#-" (for example "python").', { field: 'language' });
    }
    const status = input.status ?? 'QUEUED';
    if (status !== 'QUEUED') {
      throw new BadUserInputError(`A new evaluation starts QUEUED (got ${status}); create it, then move it with updateEvaluation or markRunning.`, {
        field: 'status',
      });
    }
    const metadata = input.metadata == null ? {} : checkJsonObject('metadata', input.metadata, this.limits.maxMetadataBytes);
    const taskId = input.taskId != null ? checkId('taskId', input.taskId) : null;
    const codeHash = sha256Hex(code);
    const { created, evaluation } = await this.store.insert(
      { id, code, codeHash, language, status, metadata, taskId, createdAt: new Date() },
      { type: 'created', message: null, metadata: { status } },
    );
    if (!created && (evaluation.codeHash !== codeHash || evaluation.language !== language)) {
      throw new ConflictError(`Evaluation "${id}" already exists with different code or language; choose another id or omit it.`, { id });
    }
    return evaluation;
  }

  async get(id: string): Promise<EvaluationRecord> {
    const found = (await this.store.getMany([checkId('id', id)])).get(id);
    if (!found) throw new NotFoundError('Evaluation', id);
    return found;
  }

  async update(id: string, input: UpdateEvaluationInput): Promise<EvaluationRecord> {
    const runtimeMs = input.runtimeMs != null ? checkNonNegative('runtimeMs', input.runtimeMs) : undefined;
    const fields = this.commonFields(input);
    return this.compareAndSet(id, (current) => {
      const to = input.status ?? current.status;
      if (to !== current.status && !canTransition(current.status, to)) throw new InvalidTransitionError(id, current.status, to);
      const { patch, events } = statusChange(current, to === current.status ? [] : [to], new Date(), runtimeMs);
      return { patch: { ...fields, ...patch }, events };
    });
  }

  /** Seed 004's celery-update: a task state becomes a status, through RUNNING if that was missed. */
  async applyTaskUpdate(id: string, input: TaskUpdateInput): Promise<EvaluationRecord> {
    const target = TASK_STATE_TO_STATUS[input.taskState];
    if (!target) {
      throw new BadUserInputError(`taskState must be one of ${Object.keys(TASK_STATE_TO_STATUS).join(', ')} (got ${JSON.stringify(input.taskState.slice(0, 40))}).`, {
        field: 'taskState',
      });
    }
    const celeryTaskId = checkString('celeryTaskId', input.celeryTaskId, 255);
    const fields: EvaluationPatch = { ...this.commonFields(input), celeryTaskId };
    const source = { source: 'task', taskState: input.taskState, celeryTaskId };
    return this.compareAndSet(id, (current) => {
      const path = pathTo(current.status, target);
      if (!path) throw new InvalidTransitionError(id, current.status, target);
      const { patch, events } = statusChange(current, path, new Date(), undefined, source);
      if (events.length === 0) events.push({ type: 'task_update', message: input.taskState, metadata: { ...source, retries: input.retries ?? null } });
      return { patch: { ...fields, ...patch }, events };
    });
  }

  async softDelete(id: string): Promise<EvaluationRecord> {
    return this.compareAndSet(id, (current) =>
      current.deletedAt ? null : { patch: { deletedAt: new Date() }, events: [{ type: 'deleted', message: null, metadata: {} }] },
    );
  }

  async restore(id: string): Promise<EvaluationRecord> {
    return this.compareAndSet(id, (current) =>
      current.deletedAt ? { patch: { deletedAt: null }, events: [{ type: 'restored', message: null, metadata: {} }] } : null,
    );
  }

  async addEvent(evaluationId: string, type: string, message: string | null | undefined, metadata: unknown): Promise<EventRecord> {
    checkId('evaluationId', evaluationId);
    const event: NewEvent = {
      type: this.nonEmpty('type', type, 200),
      message: message == null ? null : checkString('message', message, this.limits.maxStringBytes),
      metadata: metadata == null ? {} : checkJsonObject('metadata', metadata, this.limits.maxMetadataBytes),
    };
    const stored = await this.store.addEvent(evaluationId, event);
    if (!stored) throw new NotFoundError('Evaluation', evaluationId);
    await this.afterCommit({ kind: 'event', event: stored });
    return stored;
  }

  async recordMetrics(evaluationId: string, points: readonly MetricInput[]): Promise<number> {
    checkId('evaluationId', evaluationId);
    checkList('points', points, this.limits.maxMetricPoints);
    const now = new Date();
    const clean = points.map((p, i) => ({
      name: this.nonEmpty(`points[${i}].name`, p.name, 200),
      value: p.value,
      unit: p.unit == null ? null : checkString(`points[${i}].unit`, p.unit, 64),
      step: p.step == null ? null : checkNonNegative(`points[${i}].step`, p.step),
      timestamp: p.timestamp ?? now,
    }));
    if (clean.length === 0) return (await this.get(evaluationId)) && 0;
    const stored = await this.store.insertMetrics(evaluationId, clean);
    if (stored === null) throw new NotFoundError('Evaluation', evaluationId);
    await this.afterCommit({ kind: 'metrics', evaluationId, points: clean.map((p) => ({ evaluationId, ...p })) });
    return stored;
  }

  /**
   * Sets output or error to a text that is already routed and stored (a streamed upload, see
   * use-text-uploads.ts); the status and timeline are left alone.
   */
  async setText(id: string, which: 'output' | 'error', text: StoredTextRecord): Promise<EvaluationRecord> {
    return this.compareAndSet(checkId('id', id), () => ({ patch: { [which]: text }, events: [] }));
  }

  /** Fields that update and applyTaskUpdate share: output, error, retries, metadata. */
  private commonFields(input: UpdateEvaluationInput | TaskUpdateInput): EvaluationPatch {
    const patch: EvaluationPatch = {};
    if (input.output != null) patch.output = this.inline(checkOutputText('output', input.output, this.limits.maxTextBytes));
    if (input.error != null) patch.error = this.inline(checkOutputText('error', input.error, this.limits.maxTextBytes));
    if (input.retries != null) patch.retries = checkNonNegative('retries', input.retries, 1_000_000);
    if ('metadata' in input && input.metadata != null) {
      patch.metadataMerge = checkJsonObject('metadata', input.metadata, this.limits.maxMetadataBytes);
    }
    return patch;
  }

  private inline(data: Buffer): StoredTextRecord {
    return { location: 'INLINE', size: data.length, data };
  }

  private nonEmpty(field: string, value: string, maxBytes: number): string {
    if (value.trim() === '') throw new BadUserInputError(`${field} must not be empty.`, { field });
    return checkString(field, value, maxBytes);
  }

  /**
   * Reads the evaluation, computes the change from what it read, and writes it only if the status
   * is still the one it read; on a lost race it reads again. `change` returns null for "nothing
   * to do" and may throw a user error.
   */
  private async compareAndSet(
    id: string,
    change: (current: EvaluationRecord) => { patch: EvaluationPatch; events: NewEvent[] } | null,
  ): Promise<EvaluationRecord> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const current = await this.get(id);
      const next = change(current);
      if (!next) return current;
      if (Object.keys(next.patch).length === 0 && next.events.length === 0) return current;
      const updated = await this.store.update(id, current.status, next.patch, next.events);
      if (!updated) continue;
      await this.afterCommit({ kind: 'updated', before: current, after: updated });
      return updated;
    }
    throw new ConflictError(`Evaluation "${id}" is being changed by other requests right now; retry the update.`, { id });
  }
}

export type { JsonObject };
