import type {
  CreateEvaluationInput,
  EvaluationStatus,
  EvaluationSummaryFragment,
  LogLineInput,
  MetricInput,
  RunningInput,
  UpdateEvaluationInput,
} from './generated.ts';
import {
  OnEvaluationEventsDocument,
  OnEvaluationLogsDocument,
  OnEvaluationUpdatedDocument,
  OnMetricPointsDocument,
  OnRunningEvaluationsDocument,
  WorkerAddEventDocument,
  WorkerAppendLogsDocument,
  WorkerCreateEvaluationDocument,
  WorkerMarkRunningDocument,
  WorkerRecordMetricsDocument,
  WorkerUpdateEvaluationDocument,
} from './generated.ts';
import { createTransport, type Document, type RequestOptions, type Sink, type TransportOptions, type VariablesArg } from './transport.ts';

export * from './generated.ts';
export { errorOfResponse, StrataClientError, type ClientErrorCode, type GraphQLErrorEntry } from './errors.ts';
export type { Document, RequestOptions, Sink, TransportOptions as StrataClientOptions } from './transport.ts';

/**
 * A small typed client for Strata over `fetch` and GraphQL over SSE (graphql-sse). Every
 * operation is one of the generated documents (src/client/generated.ts, from
 * src/client/documents/*.graphql), so results and variables are typed by the schema. Errors are
 * thrown (or handed to `sink.error`) as StrataClientError with the gateway's `extensions.code`.
 */
export function createStrataClient(options: TransportOptions) {
  const transport = createTransport(options);
  const request = <R, V>(document: Document<R, V>, ...[variables, requestOptions]: VariablesArg<V, [options?: RequestOptions]>): Promise<R> =>
    transport.request(document, variables, requestOptions);
  const iterate = <R, V>(document: Document<R, V>, ...[variables]: VariablesArg<V>) => transport.iterate(document, variables);
  // The field of each subscription result, so helpers iterate over log lines, events, ...
  async function* field<R, K extends keyof R>(results: AsyncGenerator<R, void, undefined>, key: K): AsyncGenerator<R[K], void, undefined> {
    for await (const result of results) yield result[key];
  }

  return {
    /** Runs a generated query or mutation; resolves to its `data`. */
    request,
    /** Subscribes with callbacks; returns the function that leaves. */
    subscribe: <R, V>(document: Document<R, V>, ...[variables, sink]: VariablesArg<V, [sink: Sink<R>]>) => transport.subscribe(document, variables, sink!),
    /** Subscribes as an async iterator: `for await (const x of client.iterate(Doc, vars))`; `break` leaves. */
    iterate,

    // Worker calls.
    createEvaluation: async (input: CreateEvaluationInput, requestOptions?: RequestOptions): Promise<EvaluationSummaryFragment> =>
      (await request(WorkerCreateEvaluationDocument, { input }, requestOptions)).createEvaluation,
    /** A checked status change (QUEUED -> RUNNING -> COMPLETED | FAILED | ...), with output, error, runtimeMs, ... */
    updateStatus: async (id: string, status: EvaluationStatus, fields: Omit<UpdateEvaluationInput, 'status'> = {}, requestOptions?: RequestOptions) =>
      (await request(WorkerUpdateEvaluationDocument, { id, input: { ...fields, status } }, requestOptions)).updateEvaluation,
    /** Starts a QUEUED evaluation or heartbeats a RUNNING one, with where it runs. */
    markRunning: async (id: string, input?: RunningInput) => (await request(WorkerMarkRunningDocument, { id, input })).markRunning,
    /** Appends lines (plain strings are stdout lines); returns the next seq and how many were stored. */
    appendLogs: async (id: string, lines: readonly (string | LogLineInput)[], requestOptions?: RequestOptions) => {
      const input = lines.map((line) => (typeof line === 'string' ? { text: line } : line));
      const { appendLogs } = await request(WorkerAppendLogsDocument, { id, lines: input }, requestOptions);
      return { nextSeq: appendLogs.nextSeq, stored: appendLogs.lines.length };
    },
    /** Stores many points in one call; returns how many were stored. */
    recordMetrics: async (evaluationId: string, points: readonly MetricInput[], requestOptions?: RequestOptions) =>
      (await request(WorkerRecordMetricsDocument, { evaluationId, points: [...points] }, requestOptions)).recordMetrics,
    addEvent: async (evaluationId: string, type: string, message?: string, metadata?: Record<string, unknown>) =>
      (await request(WorkerAddEventDocument, { evaluationId, type, message, metadata })).addEvent,

    // Live streams (async iterators; they end when the evaluation finishes).
    /** The evaluation now, then after every change; ends after its final state. */
    evaluationUpdates: (id: string) => field(iterate(OnEvaluationUpdatedDocument, { id }), 'evaluationUpdated'),
    /** Log lines from `fromSeq` (default 1): stored ones, then new ones, each once. */
    logLines: (id: string, fromSeq?: number) => field(iterate(OnEvaluationLogsDocument, { id, fromSeq }), 'evaluationLogs'),
    /** Timeline events after `afterId` (all when omitted), then new ones. */
    events: (id: string, afterId?: string) => field(iterate(OnEvaluationEventsDocument, { id, afterId }), 'evaluationEvents'),
    /** Metric points recorded from now on. */
    metricPoints: (evaluationId: string, names?: string[]) => field(iterate(OnMetricPointsDocument, { evaluationId, names }), 'metricPoints'),
    /** STARTED / UPDATED / FINISHED changes to the set of RUNNING evaluations. */
    runningChanges: () => field(iterate(OnRunningEvaluationsDocument), 'runningEvaluations'),

    /** The headers every request carries (Authorization), e.g. for fetching a StoredText.downloadUrl. */
    headers: () => transport.headers(),
    /** Closes open subscriptions. */
    close: () => transport.dispose(),
  };
}

export type StrataClient = ReturnType<typeof createStrataClient>;
