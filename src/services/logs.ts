import type { NewLogLine, RunningBackends } from '../backends/running-types.ts';
import type { RunningConfig } from '../config.ts';
import type { EvaluationRecord } from '../domain/evaluation.ts';
import { checkId } from '../domain/ids.ts';
import { nextSeqOf, type LogLineRecord, type LogQuery } from '../domain/running.ts';
import { checkList, checkNonNegative, checkString } from '../domain/validate.ts';
import { BadUserInputError, NotFoundError } from '../errors.ts';
import type { Loaders } from '../loaders.ts';
import type { AfterCommit } from './after-commit.ts';
import type { EvaluationService } from './evaluations.ts';

export interface LogLineInput {
  stream?: string | null;
  text: string;
  timestamp?: Date | null;
}

export interface LogChunk {
  lines: LogLineRecord[];
  nextSeq: number;
}

/** A stream is a short name, so that clients can filter on it: stdout, stderr, system, setup-1. */
const STREAM = /^[a-z][a-z0-9_-]{0,31}$/;
// nextSeq is a GraphQL Int (32-bit): afterSeq stays below its maximum so that afterSeq + 1 fits.
const MAX_SEQ = 2_147_483_647;

/** appendLogs and Evaluation.logs. See nextSeqOf (domain/running.ts) for how a client continues. */
export class LogService {
  constructor(
    private readonly running: RunningBackends,
    private readonly evaluations: EvaluationService,
    private readonly loaders: Loaders,
    private readonly config: RunningConfig,
    private readonly afterCommit: AfterCommit = async () => {},
  ) {}

  /**
   * Stores the lines in PostgreSQL (or memory), numbered after the evaluation's last line, in any
   * status (a worker may flush its last lines after reporting the end). The after-commit hook takes
   * them on to a RUNNING evaluation's Redis tail and to subscribers. Returns what was stored: its
   * nextSeq is one past the last line.
   */
  async append(evaluationId: string, input: readonly LogLineInput[]): Promise<LogChunk> {
    checkId('id', evaluationId);
    const lines = this.checkLines(input);
    if (lines.length === 0) {
      await this.evaluations.get(evaluationId); // NOT_FOUND for a missing evaluation, as with lines
      const slice = (await this.running.logs.read([evaluationId], { afterSeq: 0, limit: 0, fromEnd: true })).get(evaluationId);
      return { lines: [], nextSeq: (slice?.lastSeq ?? 0) + 1 };
    }
    const stored = await this.running.logs.append(evaluationId, lines);
    if (!stored) throw new NotFoundError('Evaluation', evaluationId);
    await this.afterCommit({ kind: 'logs', evaluationId, status: stored.status, lines: stored.lines });
    return { lines: stored.lines, nextSeq: stored.lines.at(-1)!.seq + 1 };
  }

  /**
   * Lines with seq > afterSeq (default 0), oldest first: the first MAX_LOG_READ of them, or with
   * `tail` the newest `tail` of them. Batched across evaluations through the per-request loader.
   */
  async read(evaluation: EvaluationRecord, args: { tail?: number | null; afterSeq?: number | null }): Promise<LogChunk> {
    const max = this.config.maxLogRead;
    const afterSeq = args.afterSeq == null ? 0 : checkNonNegative('afterSeq', args.afterSeq, MAX_SEQ - 1);
    if (args.tail != null && (args.tail < 0 || args.tail > max)) {
      throw new BadUserInputError(`tail must be between 0 and ${max} (MAX_LOG_READ) (got ${args.tail}); page with afterSeq for more.`, { field: 'tail', limit: max });
    }
    const query: LogQuery = args.tail == null ? { afterSeq, limit: max, fromEnd: false } : { afterSeq, limit: args.tail, fromEnd: true };
    const slice = await this.loaders.logs({ ...query, hot: evaluation.status === 'RUNNING' }).load(evaluation.id);
    return { lines: slice.lines, nextSeq: nextSeqOf(query, slice) };
  }

  private checkLines(input: readonly LogLineInput[]): NewLogLine[] {
    checkList('lines', input, this.config.maxLogLinesPerCall);
    const now = new Date();
    return input.map((line, i) => {
      const stream = line.stream ?? 'stdout';
      if (!STREAM.test(stream)) {
        throw new BadUserInputError(
          `lines[${i}].stream must be 1-32 lower-case letters, digits, "_" or "-", starting with a letter, like "stdout" or "stderr" (got ${JSON.stringify(stream.slice(0, 40))}).`,
          { field: `lines[${i}].stream` },
        );
      }
      return { stream, text: checkString(`lines[${i}].text`, line.text, this.config.maxLogLineBytes), timestamp: line.timestamp ?? now };
    });
  }
}
