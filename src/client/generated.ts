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

export type WorkerCreateEvaluationMutationVariables = Exact<{
  input: CreateEvaluationInput;
}>;


export type WorkerCreateEvaluationMutation = { createEvaluation: { id: string, status: EvaluationStatus, language: string, createdAt: string, startedAt: string | null, completedAt: string | null, runtimeMs: number | null } };

export type WorkerUpdateEvaluationMutationVariables = Exact<{
  id: string;
  input: UpdateEvaluationInput;
}>;


export type WorkerUpdateEvaluationMutation = { updateEvaluation: { id: string, status: EvaluationStatus, language: string, createdAt: string, startedAt: string | null, completedAt: string | null, runtimeMs: number | null } };

export type WorkerMarkRunningMutationVariables = Exact<{
  id: string;
  input?: RunningInput | null | undefined;
}>;


export type WorkerMarkRunningMutation = { markRunning: { id: string, status: EvaluationStatus, language: string, createdAt: string, startedAt: string | null, completedAt: string | null, runtimeMs: number | null } };

export type WorkerAppendLogsMutationVariables = Exact<{
  id: string;
  lines: Array<LogLineInput> | LogLineInput;
}>;


export type WorkerAppendLogsMutation = { appendLogs: { nextSeq: number, lines: Array<{ seq: number }> } };

export type WorkerRecordMetricsMutationVariables = Exact<{
  evaluationId: string;
  points: Array<MetricInput> | MetricInput;
}>;


export type WorkerRecordMetricsMutation = { recordMetrics: number };

export type WorkerAddEventMutationVariables = Exact<{
  evaluationId: string;
  type: string;
  message?: string | null | undefined;
  metadata?: unknown;
}>;


export type WorkerAddEventMutation = { addEvent: { id: string, type: string, timestamp: string } };

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
}`, {"hash":"35356a69183f186def59c59e2619623fd5c5221732d5076bc5d0462f6eff3f72"}) as unknown as TypedDocumentString<ExplorerEvaluationsQuery, ExplorerEvaluationsQueryVariables>;
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
    `, {"hash":"36009c467e3b7908dee6b1a37e6f47e3cdb8d6ca7ec37f8613c08cc49ab28423"}) as unknown as TypedDocumentString<ExplorerStatusCountsQuery, ExplorerStatusCountsQueryVariables>;
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
}`, {"hash":"15359c88e1e3f6038afb494d455e5b774e67984e37c605b213226118c21db2ca"}) as unknown as TypedDocumentString<ExplorerRunningQuery, ExplorerRunningQueryVariables>;
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
}`, {"hash":"89957c35c22422bf1be228e97d2cac975ce713854eeb17e5130f989be182aea7"}) as unknown as TypedDocumentString<ExplorerEvaluationQuery, ExplorerEvaluationQueryVariables>;
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
    `, {"hash":"f3d0cf78da6acc799ad81f743ec50d95226c8d89865769a9f5382b207d196b2d"}) as unknown as TypedDocumentString<ExplorerGraphQuery, ExplorerGraphQueryVariables>;
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
    `, {"hash":"89cabfc04f62e7b3d4c0c37a8b8c100f5ada6ca2bc15fb3c3f28c618ea4bd396"}) as unknown as TypedDocumentString<ExplorerHealthQuery, ExplorerHealthQueryVariables>;
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
    `, {"hash":"523e7785873e2b028903f771da1e4dd1f0c1571c94a4269792644640974dcd98"}) as unknown as TypedDocumentString<ExplorerStorageQuery, ExplorerStorageQueryVariables>;
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
}`, {"hash":"129c155f82bfef12fee700ae3a9af5b66f2d515fbda2e317c050c87261356cd4"}) as unknown as TypedDocumentString<ExplorerEvaluationStateQuery, ExplorerEvaluationStateQueryVariables>;
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
}`, {"hash":"94b65ea6fc22b018aef5221800ea4e8c85c94c38dfd6f1901aedb3a742684be0"}) as unknown as TypedDocumentString<ExplorerTaskQuery, ExplorerTaskQueryVariables>;
export const WorkerCreateEvaluationDocument = new TypedDocumentString(`
    mutation WorkerCreateEvaluation($input: CreateEvaluationInput!) {
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
}`, {"hash":"b8bec0ea3c021b687690712ac5e94f032515433549969933d125cb1d15401c77"}) as unknown as TypedDocumentString<WorkerCreateEvaluationMutation, WorkerCreateEvaluationMutationVariables>;
export const WorkerUpdateEvaluationDocument = new TypedDocumentString(`
    mutation WorkerUpdateEvaluation($id: ID!, $input: UpdateEvaluationInput!) {
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
}`, {"hash":"5b55596e24d0e9947829915ffbd0540f6e94d7e0fc13fff83bb9d33e96f7ebc7"}) as unknown as TypedDocumentString<WorkerUpdateEvaluationMutation, WorkerUpdateEvaluationMutationVariables>;
export const WorkerMarkRunningDocument = new TypedDocumentString(`
    mutation WorkerMarkRunning($id: ID!, $input: RunningInput) {
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
}`, {"hash":"0e811754caaa7a4e93882c53eec1f62bc68616ea8f4ac3e2a2a0bff150241311"}) as unknown as TypedDocumentString<WorkerMarkRunningMutation, WorkerMarkRunningMutationVariables>;
export const WorkerAppendLogsDocument = new TypedDocumentString(`
    mutation WorkerAppendLogs($id: ID!, $lines: [LogLineInput!]!) {
  appendLogs(id: $id, lines: $lines) {
    nextSeq
    lines {
      seq
    }
  }
}
    `, {"hash":"e36c09d94b54ec9b351ded1c3a4eb74bc4c7abc0ece4a6e322289c1f14a52472"}) as unknown as TypedDocumentString<WorkerAppendLogsMutation, WorkerAppendLogsMutationVariables>;
export const WorkerRecordMetricsDocument = new TypedDocumentString(`
    mutation WorkerRecordMetrics($evaluationId: ID!, $points: [MetricInput!]!) {
  recordMetrics(evaluationId: $evaluationId, points: $points)
}
    `, {"hash":"c56a1603e751b82db063fecf22b1efcdab5a20b11ffb979cae18fcbd05be3495"}) as unknown as TypedDocumentString<WorkerRecordMetricsMutation, WorkerRecordMetricsMutationVariables>;
export const WorkerAddEventDocument = new TypedDocumentString(`
    mutation WorkerAddEvent($evaluationId: ID!, $type: String!, $message: String, $metadata: JSON) {
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
    `, {"hash":"d94569c76bc01eb037fe799d0fdaf7b16b41d935c1401db1c4f0dc9c8b63adcf"}) as unknown as TypedDocumentString<WorkerAddEventMutation, WorkerAddEventMutationVariables>;
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
}`, {"hash":"9c23bd477c7878a145533f9bc278d1e0f4c3f8e4493f8309b01b3b1e535db9f9"}) as unknown as TypedDocumentString<OnEvaluationUpdatedSubscription, OnEvaluationUpdatedSubscriptionVariables>;
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
    `, {"hash":"3e89313c3e3bb776f75857c0f5735141b04f88787df973c7a25e392d4c6ce7d5"}) as unknown as TypedDocumentString<OnEvaluationEventsSubscription, OnEvaluationEventsSubscriptionVariables>;
export const OnEvaluationLogsDocument = new TypedDocumentString(`
    subscription OnEvaluationLogs($id: ID!, $fromSeq: Int) {
  evaluationLogs(id: $id, fromSeq: $fromSeq) {
    seq
    timestamp
    stream
    text
  }
}
    `, {"hash":"b2b4162441e48106a9f5c715a90cd101ed148b7bb5790609e5ae62bd7d5428ff"}) as unknown as TypedDocumentString<OnEvaluationLogsSubscription, OnEvaluationLogsSubscriptionVariables>;
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
    `, {"hash":"a54bc5b3e2a9d9b53c405f09960c3bc26d924d89c7c1b7e51a1948fe3495d1b2"}) as unknown as TypedDocumentString<OnMetricPointsSubscription, OnMetricPointsSubscriptionVariables>;
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
}`, {"hash":"13a243b589569348372a9ff5b13edeabb8b5180111b9f23b3bf9619bb2f5cc3f"}) as unknown as TypedDocumentString<OnRunningEvaluationsSubscription, OnRunningEvaluationsSubscriptionVariables>;