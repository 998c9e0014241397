/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type CreateEvaluationInput = {
  code: string;
  /** Your id; generated (eval_YYYYMMDD_HHMMSS_<random>) when omitted. */
  id?: string | null | undefined;
  language?: string | null | undefined;
  /** A JSON object. */
  metadata?: unknown;
  /** Must be QUEUED. */
  status?: EvaluationStatus | null | undefined;
  taskId?: string | null | undefined;
};

export type EvaluationFilter = {
  codeHash?: string | null | undefined;
  /** Inclusive. */
  createdAfter?: string | null | undefined;
  /** Exclusive. */
  createdBefore?: string | null | undefined;
  includeDeleted?: boolean | null | undefined;
  language?: string | null | undefined;
  /** JSON containment, as PostgreSQL @>. */
  metadataContains?: unknown;
  status?: Array<EvaluationStatus> | null | undefined;
  taskId?: string | null | undefined;
};

export type EvaluationOrder = {
  direction: OrderDirection;
  field: EvaluationOrderField;
};

/** Sort key for evaluations; ties are broken by id, and rows without a value come last. */
export type EvaluationOrderField =
  | 'COMPLETED_AT'
  | 'CREATED_AT'
  | 'RUNTIME_MS';

/** Where an evaluation is in its life: QUEUED -> RUNNING -> COMPLETED | FAILED | CANCELLED | TIMEOUT, or QUEUED -> CANCELLED. */
export type EvaluationStatus =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'TIMEOUT';

export type LogLineInput = {
  /** 1-32 lower-case letters, digits, "_" or "-", starting with a letter. */
  stream?: string | null | undefined;
  /** At most MAX_LOG_LINE_BYTES bytes (UTF-8), without NUL characters. */
  text: string;
  /** Defaults to the time of the request. */
  timestamp?: string | null | undefined;
};

export type MetricInput = {
  name: string;
  step?: number | null | undefined;
  /** Defaults to the time of the request. */
  timestamp?: string | null | undefined;
  unit?: string | null | undefined;
  value: number;
};

export type OrderDirection =
  | 'ASC'
  | 'DESC';

/** STARTED: the evaluation went RUNNING. UPDATED: it changed while RUNNING (worker reports too). FINISHED: it left RUNNING. */
export type RunningChangeKind =
  | 'FINISHED'
  | 'STARTED'
  | 'UPDATED';

/** A report from the worker running an evaluation. Omitted fields keep their recorded value. */
export type RunningInput = {
  containerId?: string | null | undefined;
  host?: string | null | undefined;
  /** A JSON object; replaces the recorded one whole (it is not merged). */
  info?: unknown;
};

/** Where a text is kept: inline in the row, compressed in the row, in a file, or in S3. */
export type StorageLocation =
  | 'COMPRESSED'
  | 'FILE'
  | 'INLINE'
  | 'S3';

export type UpdateEvaluationInput = {
  error?: string | null | undefined;
  /** Merged into the existing metadata (top-level keys). */
  metadata?: unknown;
  output?: string | null | undefined;
  retries?: number | null | undefined;
  runtimeMs?: number | null | undefined;
  /** A checked transition; startedAt, completedAt and runtimeMs follow. */
  status?: EvaluationStatus | null | undefined;
};

export type EvaluationRowFragment = { id: string, status: EvaluationStatus, language: string, createdAt: string, startedAt: string | null, completedAt: string | null, runtimeMs: number | null, running: { host: string | null, containerId: string | null, heartbeatAt: string | null } | null };

export type ExplorerEvaluationsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  filter?: EvaluationFilter | null | undefined;
  orderBy?: EvaluationOrder | null | undefined;
}>;


export type ExplorerEvaluationsQuery = { evaluations: { totalCount: number, pageInfo: { startCursor: string | null, endCursor: string | null, hasNextPage: boolean, hasPreviousPage: boolean }, edges: Array<{ cursor: string, node: { id: string, status: EvaluationStatus, language: string, createdAt: string, startedAt: string | null, completedAt: string | null, runtimeMs: number | null, running: { host: string | null, containerId: string | null, heartbeatAt: string | null } | null } }> } };

export type ExplorerStatusCountsQueryVariables = Exact<{
  language?: string | null | undefined;
  createdAfter?: string | null | undefined;
  createdBefore?: string | null | undefined;
}>;


export type ExplorerStatusCountsQuery = { queued: { totalCount: number }, running: { totalCount: number }, completed: { totalCount: number }, failed: { totalCount: number }, cancelled: { totalCount: number }, timeout: { totalCount: number }, statistics: { byLanguage: Array<{ language: string, count: number }> } };

export type ExplorerRunningQueryVariables = Exact<{ [key: string]: never; }>;


export type ExplorerRunningQuery = { runningEvaluations: Array<{ id: string, status: EvaluationStatus, language: string, createdAt: string, startedAt: string | null, completedAt: string | null, runtimeMs: number | null, running: { host: string | null, containerId: string | null, heartbeatAt: string | null } | null }> };

export type ExplorerEvaluationQueryVariables = Exact<{
  id: string;
  logTail: number;
  metricsLast: number;
}>;


export type ExplorerEvaluationQuery = { evaluation: { code: string, codeHash: string, metadata: unknown, retries: number, celeryTaskId: string | null, storedIn: string, deletedAt: string | null, id: string, status: EvaluationStatus, language: string, createdAt: string, startedAt: string | null, completedAt: string | null, runtimeMs: number | null, output: { location: StorageLocation, size: number, sha256: string | null, preview: string, truncated: boolean, downloadUrl: string } | null, error: { location: StorageLocation, size: number, sha256: string | null, preview: string, truncated: boolean, downloadUrl: string } | null, task: { id: string, name: string, status: string | null } | null, events: { totalCount: number, edges: Array<{ node: { id: string, type: string, timestamp: string, message: string | null, metadata: unknown } }> }, metrics: Array<{ name: string, value: number, step: number | null, timestamp: string, unit: string | null }>, logs: { nextSeq: number, lines: Array<{ seq: number, timestamp: string, stream: string, text: string }> }, running: { host: string | null, containerId: string | null, heartbeatAt: string | null } | null } | null };

export type ExplorerGraphQueryVariables = Exact<{
  from: string;
  maxDepth: number;
  limit: number;
}>;


export type ExplorerGraphQuery = { traverse: Array<{ vertices: Array<
      | { __typename: 'Result', id: string }
      | { __typename: 'Task', id: string, name: string, status: string | null }
    >, edges: Array<{ id: string, from: string, to: string, type: string }> }> };

export type ExplorerHealthQueryVariables = Exact<{ [key: string]: never; }>;


export type ExplorerHealthQuery = { health: { ok: boolean, status: string, backends: Array<{ name: string, kind: string, role: string, healthy: boolean, latencyMs: number | null }> } };

export type ExplorerStorageQueryVariables = Exact<{ [key: string]: never; }>;


export type ExplorerStorageQuery = { storage: { fallbackPending: number, backends: Array<{ name: string, kind: string, role: string, healthy: boolean, latencyMs: number | null, metrics: unknown }> } };

export type ExplorerEvaluationStateQueryVariables = Exact<{
  id: string;
}>;


export type ExplorerEvaluationStateQuery = { evaluation: { retries: number, storedIn: string, deletedAt: string | null, id: string, status: EvaluationStatus, language: string, createdAt: string, startedAt: string | null, completedAt: string | null, runtimeMs: number | null, output: { location: StorageLocation, size: number, sha256: string | null, preview: string, truncated: boolean, downloadUrl: string } | null, error: { location: StorageLocation, size: number, sha256: string | null, preview: string, truncated: boolean, downloadUrl: string } | null, running: { host: string | null, containerId: string | null, heartbeatAt: string | null } | null } | null };

export type ExplorerTaskQueryVariables = Exact<{
  id: string;
}>;


export type ExplorerTaskQuery = { task: { id: string, name: string, status: string | null, data: unknown, createdAt: string, evaluations: Array<{ id: string, status: EvaluationStatus, language: string, createdAt: string, startedAt: string | null, completedAt: string | null, runtimeMs: number | null, running: { host: string | null, containerId: string | null, heartbeatAt: string | null } | null }> } | null };

export type EvaluationSummaryFragment = { id: string, status: EvaluationStatus, language: string, createdAt: string, startedAt: string | null, completedAt: string | null, runtimeMs: number | null };

export type CreateEvaluationMutationVariables = Exact<{
  input: CreateEvaluationInput;
}>;


export type CreateEvaluationMutation = { createEvaluation: { id: string, status: EvaluationStatus, language: string, createdAt: string, startedAt: string | null, completedAt: string | null, runtimeMs: number | null } };

export type UpdateEvaluationMutationVariables = Exact<{
  id: string;
  input: UpdateEvaluationInput;
}>;


export type UpdateEvaluationMutation = { updateEvaluation: { id: string, status: EvaluationStatus, language: string, createdAt: string, startedAt: string | null, completedAt: string | null, runtimeMs: number | null } };

export type MarkRunningMutationVariables = Exact<{
  id: string;
  input?: RunningInput | null | undefined;
}>;


export type MarkRunningMutation = { markRunning: { id: string, status: EvaluationStatus, language: string, createdAt: string, startedAt: string | null, completedAt: string | null, runtimeMs: number | null } };

export type AppendLogsMutationVariables = Exact<{
  id: string;
  lines: Array<LogLineInput> | LogLineInput;
}>;


export type AppendLogsMutation = { appendLogs: { nextSeq: number, lines: Array<{ seq: number }> } };

export type RecordMetricsMutationVariables = Exact<{
  evaluationId: string;
  points: Array<MetricInput> | MetricInput;
}>;


export type RecordMetricsMutation = { recordMetrics: number };

export type AddEventMutationVariables = Exact<{
  evaluationId: string;
  type: string;
  message?: string | null | undefined;
  metadata?: unknown;
}>;


export type AddEventMutation = { addEvent: { id: string, type: string, timestamp: string } };

export type OnEvaluationUpdatedSubscriptionVariables = Exact<{
  id: string;
}>;


export type OnEvaluationUpdatedSubscription = { evaluationUpdated: { id: string, status: EvaluationStatus, language: string, createdAt: string, startedAt: string | null, completedAt: string | null, runtimeMs: number | null } };

export type OnEvaluationEventsSubscriptionVariables = Exact<{
  id: string;
  afterId?: string | null | undefined;
}>;


export type OnEvaluationEventsSubscription = { evaluationEvents: { id: string, type: string, timestamp: string, message: string | null, metadata: unknown } };

export type OnEvaluationLogsSubscriptionVariables = Exact<{
  id: string;
  fromSeq?: number | null | undefined;
}>;


export type OnEvaluationLogsSubscription = { evaluationLogs: { seq: number, timestamp: string, stream: string, text: string } };

export type OnMetricPointsSubscriptionVariables = Exact<{
  evaluationId: string;
  names?: Array<string> | string | null | undefined;
}>;


export type OnMetricPointsSubscription = { metricPoints: { name: string, value: number, step: number | null, timestamp: string, unit: string | null } };

export type OnRunningEvaluationsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type OnRunningEvaluationsSubscription = { runningEvaluations: { kind: RunningChangeKind, evaluation: { id: string, status: EvaluationStatus, language: string, createdAt: string, startedAt: string | null, completedAt: string | null, runtimeMs: number | null, running: { host: string | null, containerId: string | null, heartbeatAt: string | null } | null } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const EvaluationRowFragmentDoc = new TypedDocumentString(`
    fragment EvaluationRow on Evaluation {
  id
  status
  language
  createdAt
  startedAt
  completedAt
  runtimeMs
  running {
    host
    containerId
    heartbeatAt
  }
}
    `, {"fragmentName":"EvaluationRow"}) as unknown as TypedDocumentString<EvaluationRowFragment, unknown>;
export const EvaluationSummaryFragmentDoc = new TypedDocumentString(`
    fragment EvaluationSummary on Evaluation {
  id
  status
  language
  createdAt
  startedAt
  completedAt
  runtimeMs
}
    `, {"fragmentName":"EvaluationSummary"}) as unknown as TypedDocumentString<EvaluationSummaryFragment, unknown>;
export const ExplorerEvaluationsDocument = new TypedDocumentString(`
    query ExplorerEvaluations($first: Int, $after: String, $last: Int, $before: String, $filter: EvaluationFilter, $orderBy: EvaluationOrder) {
  evaluations(
    first: $first
    after: $after
    last: $last
    before: $before
    filter: $filter
    orderBy: $orderBy
  ) {
    totalCount
    pageInfo {
      startCursor
      endCursor
      hasNextPage
      hasPreviousPage
    }
    edges {
      cursor
      node {
        ...EvaluationRow
      }
    }
  }
}
    fragment EvaluationRow on Evaluation {
  id
  status
  language
  createdAt
  startedAt
  completedAt
  runtimeMs
  running {
    host
    containerId
    heartbeatAt
  }
}`) as unknown as TypedDocumentString<ExplorerEvaluationsQuery, ExplorerEvaluationsQueryVariables>;
export const ExplorerStatusCountsDocument = new TypedDocumentString(`
    query ExplorerStatusCounts($language: String, $createdAfter: DateTime, $createdBefore: DateTime) {
  queued: evaluations(
    first: 0
    filter: {status: [QUEUED], language: $language, createdAfter: $createdAfter, createdBefore: $createdBefore}
  ) {
    totalCount
  }
  running: evaluations(
    first: 0
    filter: {status: [RUNNING], language: $language, createdAfter: $createdAfter, createdBefore: $createdBefore}
  ) {
    totalCount
  }
  completed: evaluations(
    first: 0
    filter: {status: [COMPLETED], language: $language, createdAfter: $createdAfter, createdBefore: $createdBefore}
  ) {
    totalCount
  }
  failed: evaluations(
    first: 0
    filter: {status: [FAILED], language: $language, createdAfter: $createdAfter, createdBefore: $createdBefore}
  ) {
    totalCount
  }
  cancelled: evaluations(
    first: 0
    filter: {status: [CANCELLED], language: $language, createdAfter: $createdAfter, createdBefore: $createdBefore}
  ) {
    totalCount
  }
  timeout: evaluations(
    first: 0
    filter: {status: [TIMEOUT], language: $language, createdAfter: $createdAfter, createdBefore: $createdBefore}
  ) {
    totalCount
  }
  statistics {
    byLanguage {
      language
      count
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerStatusCountsQuery, ExplorerStatusCountsQueryVariables>;
export const ExplorerRunningDocument = new TypedDocumentString(`
    query ExplorerRunning {
  runningEvaluations {
    ...EvaluationRow
  }
}
    fragment EvaluationRow on Evaluation {
  id
  status
  language
  createdAt
  startedAt
  completedAt
  runtimeMs
  running {
    host
    containerId
    heartbeatAt
  }
}`) as unknown as TypedDocumentString<ExplorerRunningQuery, ExplorerRunningQueryVariables>;
export const ExplorerEvaluationDocument = new TypedDocumentString(`
    query ExplorerEvaluation($id: ID!, $logTail: Int!, $metricsLast: Int!) {
  evaluation(id: $id) {
    ...EvaluationRow
    code
    codeHash
    metadata
    retries
    celeryTaskId
    storedIn
    deletedAt
    output {
      location
      size
      sha256
      preview
      truncated
      downloadUrl
    }
    error {
      location
      size
      sha256
      preview
      truncated
      downloadUrl
    }
    task {
      id
      name
      status
    }
    events(first: 500) {
      totalCount
      edges {
        node {
          id
          type
          timestamp
          message
          metadata
        }
      }
    }
    metrics(last: $metricsLast) {
      name
      value
      step
      timestamp
      unit
    }
    logs(tail: $logTail) {
      nextSeq
      lines {
        seq
        timestamp
        stream
        text
      }
    }
  }
}
    fragment EvaluationRow on Evaluation {
  id
  status
  language
  createdAt
  startedAt
  completedAt
  runtimeMs
  running {
    host
    containerId
    heartbeatAt
  }
}`) as unknown as TypedDocumentString<ExplorerEvaluationQuery, ExplorerEvaluationQueryVariables>;
export const ExplorerGraphDocument = new TypedDocumentString(`
    query ExplorerGraph($from: ID!, $maxDepth: Int!, $limit: Int!) {
  traverse(
    from: $from
    direction: ANY
    minDepth: 0
    maxDepth: $maxDepth
    limit: $limit
  ) {
    vertices {
      __typename
      ... on Task {
        id
        name
        status
      }
      ... on Result {
        id
      }
    }
    edges {
      id
      from
      to
      type
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerGraphQuery, ExplorerGraphQueryVariables>;
export const ExplorerHealthDocument = new TypedDocumentString(`
    query ExplorerHealth {
  health {
    ok
    status
    backends {
      name
      kind
      role
      healthy
      latencyMs
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerHealthQuery, ExplorerHealthQueryVariables>;
export const ExplorerStorageDocument = new TypedDocumentString(`
    query ExplorerStorage {
  storage {
    fallbackPending
    backends {
      name
      kind
      role
      healthy
      latencyMs
      metrics
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerStorageQuery, ExplorerStorageQueryVariables>;
export const ExplorerEvaluationStateDocument = new TypedDocumentString(`
    query ExplorerEvaluationState($id: ID!) {
  evaluation(id: $id) {
    ...EvaluationRow
    retries
    storedIn
    deletedAt
    output {
      location
      size
      sha256
      preview
      truncated
      downloadUrl
    }
    error {
      location
      size
      sha256
      preview
      truncated
      downloadUrl
    }
  }
}
    fragment EvaluationRow on Evaluation {
  id
  status
  language
  createdAt
  startedAt
  completedAt
  runtimeMs
  running {
    host
    containerId
    heartbeatAt
  }
}`) as unknown as TypedDocumentString<ExplorerEvaluationStateQuery, ExplorerEvaluationStateQueryVariables>;
export const ExplorerTaskDocument = new TypedDocumentString(`
    query ExplorerTask($id: ID!) {
  task(id: $id) {
    id
    name
    status
    data
    createdAt
    evaluations {
      ...EvaluationRow
    }
  }
}
    fragment EvaluationRow on Evaluation {
  id
  status
  language
  createdAt
  startedAt
  completedAt
  runtimeMs
  running {
    host
    containerId
    heartbeatAt
  }
}`) as unknown as TypedDocumentString<ExplorerTaskQuery, ExplorerTaskQueryVariables>;
export const CreateEvaluationDocument = new TypedDocumentString(`
    mutation CreateEvaluation($input: CreateEvaluationInput!) {
  createEvaluation(input: $input) {
    ...EvaluationSummary
  }
}
    fragment EvaluationSummary on Evaluation {
  id
  status
  language
  createdAt
  startedAt
  completedAt
  runtimeMs
}`) as unknown as TypedDocumentString<CreateEvaluationMutation, CreateEvaluationMutationVariables>;
export const UpdateEvaluationDocument = new TypedDocumentString(`
    mutation UpdateEvaluation($id: ID!, $input: UpdateEvaluationInput!) {
  updateEvaluation(id: $id, input: $input) {
    ...EvaluationSummary
  }
}
    fragment EvaluationSummary on Evaluation {
  id
  status
  language
  createdAt
  startedAt
  completedAt
  runtimeMs
}`) as unknown as TypedDocumentString<UpdateEvaluationMutation, UpdateEvaluationMutationVariables>;
export const MarkRunningDocument = new TypedDocumentString(`
    mutation MarkRunning($id: ID!, $input: RunningInput) {
  markRunning(id: $id, input: $input) {
    ...EvaluationSummary
  }
}
    fragment EvaluationSummary on Evaluation {
  id
  status
  language
  createdAt
  startedAt
  completedAt
  runtimeMs
}`) as unknown as TypedDocumentString<MarkRunningMutation, MarkRunningMutationVariables>;
export const AppendLogsDocument = new TypedDocumentString(`
    mutation AppendLogs($id: ID!, $lines: [LogLineInput!]!) {
  appendLogs(id: $id, lines: $lines) {
    nextSeq
    lines {
      seq
    }
  }
}
    `) as unknown as TypedDocumentString<AppendLogsMutation, AppendLogsMutationVariables>;
export const RecordMetricsDocument = new TypedDocumentString(`
    mutation RecordMetrics($evaluationId: ID!, $points: [MetricInput!]!) {
  recordMetrics(evaluationId: $evaluationId, points: $points)
}
    `) as unknown as TypedDocumentString<RecordMetricsMutation, RecordMetricsMutationVariables>;
export const AddEventDocument = new TypedDocumentString(`
    mutation AddEvent($evaluationId: ID!, $type: String!, $message: String, $metadata: JSON) {
  addEvent(
    evaluationId: $evaluationId
    type: $type
    message: $message
    metadata: $metadata
  ) {
    id
    type
    timestamp
  }
}
    `) as unknown as TypedDocumentString<AddEventMutation, AddEventMutationVariables>;
export const OnEvaluationUpdatedDocument = new TypedDocumentString(`
    subscription OnEvaluationUpdated($id: ID!) {
  evaluationUpdated(id: $id) {
    ...EvaluationSummary
  }
}
    fragment EvaluationSummary on Evaluation {
  id
  status
  language
  createdAt
  startedAt
  completedAt
  runtimeMs
}`) as unknown as TypedDocumentString<OnEvaluationUpdatedSubscription, OnEvaluationUpdatedSubscriptionVariables>;
export const OnEvaluationEventsDocument = new TypedDocumentString(`
    subscription OnEvaluationEvents($id: ID!, $afterId: ID) {
  evaluationEvents(id: $id, afterId: $afterId) {
    id
    type
    timestamp
    message
    metadata
  }
}
    `) as unknown as TypedDocumentString<OnEvaluationEventsSubscription, OnEvaluationEventsSubscriptionVariables>;
export const OnEvaluationLogsDocument = new TypedDocumentString(`
    subscription OnEvaluationLogs($id: ID!, $fromSeq: Int) {
  evaluationLogs(id: $id, fromSeq: $fromSeq) {
    seq
    timestamp
    stream
    text
  }
}
    `) as unknown as TypedDocumentString<OnEvaluationLogsSubscription, OnEvaluationLogsSubscriptionVariables>;
export const OnMetricPointsDocument = new TypedDocumentString(`
    subscription OnMetricPoints($evaluationId: ID!, $names: [String!]) {
  metricPoints(evaluationId: $evaluationId, names: $names) {
    name
    value
    step
    timestamp
    unit
  }
}
    `) as unknown as TypedDocumentString<OnMetricPointsSubscription, OnMetricPointsSubscriptionVariables>;
export const OnRunningEvaluationsDocument = new TypedDocumentString(`
    subscription OnRunningEvaluations {
  runningEvaluations {
    kind
    evaluation {
      ...EvaluationRow
    }
  }
}
    fragment EvaluationRow on Evaluation {
  id
  status
  language
  createdAt
  startedAt
  completedAt
  runtimeMs
  running {
    host
    containerId
    heartbeatAt
  }
}`) as unknown as TypedDocumentString<OnRunningEvaluationsSubscription, OnRunningEvaluationsSubscriptionVariables>;