import { z } from 'zod';
import { bool, int } from './config-values.ts';
import { redisClusterConfig, redisClusterEnv, type RedisClusterConfig } from './config-redis-cluster.ts';
import { securityConfig, securityEnv, type SecurityConfig } from './config-security.ts';
import { subscriptionConfig, subscriptionEnv, type SubscriptionConfig } from './config-subscriptions.ts';
import { perfConfig, perfEnv, type PerfConfig } from './config-perf.ts';
import { explorerConfig, explorerEnv, type ExplorerConfig } from './config-explorer.ts';
import { readReplicaConfig, readReplicaEnv, type ReadReplicaConfig } from './config-read-replicas.ts';
import { StartupError } from './errors.ts';

/**
 * Every environment variable Strata reads, with its default. The README's table lists the same
 * variables; a test checks that the two agree.
 */
const envSchema = z.object({
  PORT: int(0, 65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STORAGE_BACKEND: z.enum(['postgres', 'memory']).default('postgres'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL identifier').default('public'),
  DATABASE_POOL_MAX: int(1, 1000).default(10),
  // Read replicas of that server (issue 9): see config-read-replicas.ts.
  ...readReplicaEnv,
  DATA_DIR: z.string().min(1).default('./data'),
  // The task/result graph: postgres (the primary's database), memory, or arango (ArangoDB).
  GRAPH_BACKEND: z.enum(['postgres', 'memory', 'arango']).optional(),
  GRAPH_MAX_DEPTH: int(1, 100).default(10),
  GRAPH_MAX_VISITS: int(1).default(100_000),
  ARANGO_URL: z
    .string()
    .refine((v) => v.split(',').every((u) => /^https?:\/\/[^\s,]+$/.test(u.trim())), 'comma-separated http:// or https:// URLs')
    .optional(),
  ARANGO_DATABASE: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'a database name of letters, digits, "_" and "-"').default('strata'),
  ARANGO_USERNAME: z.string().min(1).default('root'),
  ARANGO_PASSWORD: z.string().default(''),
  ARANGO_POOL_SIZE: int(1, 1000).default(10),
  MIGRATE_ON_START: bool.default('true'),
  SHUTDOWN_GRACE_MS: int(0).default(10_000),
  PREVIEW_SIZE: int(1).default(1000),
  MAX_CODE_BYTES: int(1).default(1024 * 1024),
  MAX_TEXT_BYTES: int(1).default(16 * 1024 * 1024),
  MAX_TEXT_SLICE: int(1).default(1024 * 1024),
  MAX_METADATA_BYTES: int(2).default(64 * 1024),
  MAX_STRING_BYTES: int(1).default(16 * 1024),
  MAX_PAGE_SIZE: int(1).default(500),
  DEFAULT_PAGE_SIZE: int(1).default(50),
  MAX_LIST_LENGTH: int(1).default(100),
  MAX_METRIC_POINTS: int(1).default(10_000),
  // Size routing of output and error (issue 4): inline, gzip-compressed in the row, or the blob store.
  INLINE_THRESHOLD: int(0).default(10 * 1024),
  LARGE_FILE_THRESHOLD: int(1).default(100 * 1024),
  MAX_UPLOAD_BYTES: int(1).default(1024 * 1024 * 1024),
  BLOB_BACKEND: z.enum(['file', 's3', 'memory']).optional(),
  FILE_STORAGE_PATH: z.string().min(1).optional(),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name (3-63 lower-case letters, digits, "." and "-")').optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.optional(),
  // Failover (issue 4): creates go to a durable journal while the PostgreSQL server is unreachable.
  FALLBACK_ENABLED: bool.default('true'),
  FALLBACK_JOURNAL_PATH: z.string().min(1).optional(),
  REPLAY_INTERVAL_MS: int(10, 3_600_000).default(1000),
  IDEMPOTENCY_TTL_SECONDS: int(1).default(86_400),
  IDEMPOTENCY_WAIT_MS: int(0, 600_000).default(30_000),
  // Worker primitives (KV, queues, locks, counters, series): Redis when REDIS_URL is set, else memory.
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL').optional(),
  // Or a Redis Cluster (issue 9): see config-redis-cluster.ts.
  ...redisClusterEnv,
  // No braces: the KV keys carry their own hash tag, and a "{" in the prefix would replace it.
  KEY_PREFIX: z.string().regex(/^[^{}\s]{1,64}$/, '1-64 characters without spaces or braces').default('strata:'),
  KV_DEFAULT_TTL: int(0).default(0),
  KV_MAX_KEY_BYTES: int(1, 65_536).default(1024),
  KV_MAX_VALUE_BYTES: int(1, 512 * 1024 * 1024).default(1024 * 1024),
  QUEUE_MAX_WAIT_MS: int(0, 3_600_000).default(30_000),
  QUEUE_POP_CONNECTIONS: int(1, 1000).default(10),
  LOCK_MAX_TTL_MS: int(1).default(3_600_000),
  LOCK_MAX_WAIT_MS: int(0, 3_600_000).default(30_000),
  TASK_STATS_TTL_SECONDS: int(1).default(86_400),
  SERIES_MAX_POINTS: int(1, 1_000_000).default(1000),
  SERIES_TTL_SECONDS: int(1).default(604_800),
  // Read-through cache of evaluations in Redis (used only when REDIS_URL is set).
  CACHE_ENABLED: bool.default('true'),
  CACHE_TTL: int(1).default(3600),
  REDIS_COMMAND_TIMEOUT_MS: int(1).default(500),
  // Running evaluations and their logs (PostgreSQL or memory; mirrored to Redis when REDIS_URL is set).
  LOG_TAIL_LINES: int(1, 100_000).default(1000),
  LOG_TAIL_TTL_SECONDS: int(1).default(86_400),
  MAX_LOG_LINES_PER_CALL: int(1, 100_000).default(1000),
  MAX_LOG_LINE_BYTES: int(1, 1024 * 1024).default(16 * 1024),
  MAX_LOG_READ: int(1, 100_000).default(1000),
  RUNNING_LIST_MAX: int(1, 1_000_000).default(10_000),
  // Access control, request limits and operations (issue 7): see config-security.ts.
  ...securityEnv,
  // Subscriptions (issue 6): see config-subscriptions.ts.
  ...subscriptionEnv,
  // The fast path of plain POST /graphql requests (issue 10): see config-perf.ts.
  ...perfEnv,
  // The Storage Explorer at /explorer (issue 8): see config-explorer.ts.
  ...explorerEnv,
});

export type Env = z.infer<typeof envSchema>;

/** Where the task/result graph lives and how far a traversal may go. */
export interface GraphConfig {
  /** null: follow the primary store (its PostgreSQL or PGlite database, or memory). */
  backend: 'postgres' | 'memory' | 'arango' | null;
  /** Deepest traversal a client may ask for. */
  maxDepth: number;
  /** Paths a traversal may visit before it is refused as too broad. */
  maxVisits: number;
  /** poolSize: requests this process has in flight to ArangoDB at most (arangojs queues the rest). */
  arango: { urls: string[]; database: string; username: string; password: string; poolSize: number } | null;
}

export interface Limits {
  previewSize: number;
  maxCodeBytes: number;
  maxTextBytes: number;
  maxTextSlice: number;
  maxMetadataBytes: number;
  maxStringBytes: number;
  maxPageSize: number;
  defaultPageSize: number;
  maxListLength: number;
  maxMetricPoints: number;
  /** Largest streamed upload (PUT /evaluations/{id}/output); MAX_TEXT_BYTES bounds texts sent through GraphQL. */
  maxUploadBytes: number;
  /** How long the first response to an Idempotency-Key is kept. */
  idempotencyTtlSeconds: number;
  /** How long a request waits for another one running with the same key before giving up with 409. */
  idempotencyWaitMs: number;
}

/** Where output and error texts go by size, and the blob store that holds the largest. */
export interface BlobConfig {
  /** Texts of at most this many bytes stay inline in the row. */
  inlineThreshold: number;
  /** Texts above this many bytes go to the blob store; between the two, gzip in the row. */
  largeFileThreshold: number;
  backend: 'file' | 's3' | 'memory';
  /** Root of the file backend. */
  filePath: string;
  /** The fallback journal: used only with a PostgreSQL server (DATABASE_URL); null when off. */
  fallback: { journalPath: string; replayIntervalMs: number } | null;
  s3: {
    bucket: string;
    endpoint: string | null;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string } | null;
    forcePathStyle: boolean;
  } | null;
}

/** Worker primitives: where they live and the bounds on what callers may ask of them. */
export interface PlatformConfig {
  /** null (and no redisCluster): in-memory implementations (one process only). */
  redisUrl: string | null;
  /** A Redis Cluster instead of one server (REDIS_CLUSTER_NODES); never set together with redisUrl. */
  redisCluster: RedisClusterConfig | null;
  keyPrefix: string;
  /** Seconds; 0 means keys without an explicit TTL never expire. */
  kvDefaultTtlSeconds: number;
  kvMaxKeyBytes: number;
  kvMaxValueBytes: number;
  queueMaxWaitMs: number;
  queuePopConnections: number;
  lockMaxTtlMs: number;
  lockMaxWaitMs: number;
  taskStatsTtlSeconds: number;
  seriesMaxPoints: number;
  seriesTtlSeconds: number;
}

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  logLevel: Env['LOG_LEVEL'];
  storage:
    | { kind: 'memory' }
    | { kind: 'postgres'; url: string; schema: string; poolMax: number }
    | { kind: 'pglite'; dataDir: string | null };
  /** Hot standbys for the reads of GraphQL queries (DATABASE_READ_URL); null without. */
  readReplicas: ReadReplicaConfig | null;
  graph: GraphConfig;
  migrateOnStart: boolean;
  shutdownGraceMs: number;
  limits: Limits;
  blobs: BlobConfig;
  platform: PlatformConfig;
  cache: CacheConfig;
  running: RunningConfig;
  security: SecurityConfig;
  subscriptions: SubscriptionConfig;
  perf: PerfConfig;
  explorer: ExplorerConfig;
}

/** Running evaluations and logs: the Redis hot tail and the bounds on what callers may send or read. */
export interface RunningConfig {
  /** Newest lines kept per RUNNING evaluation in the Redis tail. */
  logTailLines: number;
  /** Expiry of a tail, refreshed on each append: frees a tail a crash or a race left behind. */
  logTailTtlSeconds: number;
  maxLogLinesPerCall: number;
  /** UTF-8 bytes of one line's text. */
  maxLogLineBytes: number;
  /** Most lines one `logs` read returns (and the largest `tail`). */
  maxLogRead: number;
  /** Most evaluations `runningEvaluations` returns. */
  listMax: number;
}

/** The shared evaluation cache. Off without REDIS_URL: each request's DataLoader is the only cache then. */
export interface CacheConfig {
  enabled: boolean;
  ttlSeconds: number;
  /** A cache command slower than this counts as failed, and the read goes to the primary. */
  commandTimeoutMs: number;
}

/** Names of every variable in the schema: the README documents exactly these. */
export const envVariableNames = Object.keys(envSchema.shape);

/**
 * Reads and validates the environment once. A bad value stops the start with one line that names
 * the variable and says what it expects.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new StartupError(`Invalid ${name}=${JSON.stringify(env[name])}: ${issue.message}.`);
  }
  return fromEnv(parsed.data);
}

function fromEnv(e: Env): Config {
  if (e.DEFAULT_PAGE_SIZE > e.MAX_PAGE_SIZE) {
    throw new StartupError(`Invalid DEFAULT_PAGE_SIZE=${e.DEFAULT_PAGE_SIZE}: must not exceed MAX_PAGE_SIZE (${e.MAX_PAGE_SIZE}).`);
  }
  const storage: Config['storage'] =
    e.STORAGE_BACKEND === 'memory'
      ? { kind: 'memory' }
      : e.DATABASE_URL
        ? { kind: 'postgres', url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA, poolMax: e.DATABASE_POOL_MAX }
        : { kind: 'pglite', dataDir: e.DATA_DIR };
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    storage,
    readReplicas: readReplicaConfig(e),
    graph: graphConfig(e),
    migrateOnStart: e.MIGRATE_ON_START,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    limits: {
      previewSize: e.PREVIEW_SIZE,
      maxCodeBytes: e.MAX_CODE_BYTES,
      maxTextBytes: e.MAX_TEXT_BYTES,
      maxTextSlice: e.MAX_TEXT_SLICE,
      maxMetadataBytes: e.MAX_METADATA_BYTES,
      maxStringBytes: e.MAX_STRING_BYTES,
      maxPageSize: e.MAX_PAGE_SIZE,
      defaultPageSize: e.DEFAULT_PAGE_SIZE,
      maxListLength: e.MAX_LIST_LENGTH,
      maxMetricPoints: e.MAX_METRIC_POINTS,
      maxUploadBytes: e.MAX_UPLOAD_BYTES,
      idempotencyTtlSeconds: e.IDEMPOTENCY_TTL_SECONDS,
      idempotencyWaitMs: e.IDEMPOTENCY_WAIT_MS,
    },
    blobs: blobConfig(e),
    platform: {
      redisUrl: e.REDIS_URL ?? null,
      redisCluster: redisClusterConfig(e),
      keyPrefix: e.KEY_PREFIX,
      kvDefaultTtlSeconds: e.KV_DEFAULT_TTL,
      kvMaxKeyBytes: e.KV_MAX_KEY_BYTES,
      kvMaxValueBytes: e.KV_MAX_VALUE_BYTES,
      queueMaxWaitMs: e.QUEUE_MAX_WAIT_MS,
      queuePopConnections: e.QUEUE_POP_CONNECTIONS,
      lockMaxTtlMs: e.LOCK_MAX_TTL_MS,
      lockMaxWaitMs: e.LOCK_MAX_WAIT_MS,
      taskStatsTtlSeconds: e.TASK_STATS_TTL_SECONDS,
      seriesMaxPoints: e.SERIES_MAX_POINTS,
      seriesTtlSeconds: e.SERIES_TTL_SECONDS,
    },
    cache: { enabled: e.CACHE_ENABLED && (e.REDIS_URL !== undefined || e.REDIS_CLUSTER_NODES !== undefined), ttlSeconds: e.CACHE_TTL, commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS },
    running: {
      logTailLines: e.LOG_TAIL_LINES,
      logTailTtlSeconds: e.LOG_TAIL_TTL_SECONDS,
      maxLogLinesPerCall: e.MAX_LOG_LINES_PER_CALL,
      maxLogLineBytes: e.MAX_LOG_LINE_BYTES,
      maxLogRead: e.MAX_LOG_READ,
      listMax: e.RUNNING_LIST_MAX,
    },
    security: securityConfig(e),
    subscriptions: subscriptionConfig(e),
    perf: perfConfig(e),
    explorer: explorerConfig(e),
  };
}

/** Defaults with overrides, for tests and the library API. */
export function testConfig(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = {}): Config {
  return { ...loadConfig({ STORAGE_BACKEND: 'memory', ...env }), ...overrides };
}

function graphConfig(e: Env): GraphConfig {
  if (e.GRAPH_BACKEND === 'arango' && !e.ARANGO_URL) {
    throw new StartupError('GRAPH_BACKEND=arango needs ARANGO_URL (one or more comma-separated coordinator URLs, e.g. http://127.0.0.1:8529).');
  }
  if (e.GRAPH_BACKEND === 'postgres' && e.STORAGE_BACKEND === 'memory') {
    throw new StartupError('GRAPH_BACKEND=postgres needs a database, but STORAGE_BACKEND=memory has none: use GRAPH_BACKEND=memory or unset STORAGE_BACKEND.');
  }
  const arango = e.ARANGO_URL
    ? { urls: e.ARANGO_URL.split(',').map((u) => u.trim()), database: e.ARANGO_DATABASE, username: e.ARANGO_USERNAME, password: e.ARANGO_PASSWORD, poolSize: e.ARANGO_POOL_SIZE }
    : null;
  return { backend: e.GRAPH_BACKEND ?? null, maxDepth: e.GRAPH_MAX_DEPTH, maxVisits: e.GRAPH_MAX_VISITS, arango };
}

function blobConfig(e: Env): BlobConfig {
  if (e.INLINE_THRESHOLD > e.LARGE_FILE_THRESHOLD) {
    throw new StartupError(`Invalid INLINE_THRESHOLD=${e.INLINE_THRESHOLD}: must not exceed LARGE_FILE_THRESHOLD (${e.LARGE_FILE_THRESHOLD}).`);
  }
  // Without a database nothing is kept, so by default neither are blobs.
  const backend = e.BLOB_BACKEND ?? (e.STORAGE_BACKEND === 'memory' ? 'memory' : 'file');
  if (backend === 's3' && !e.S3_BUCKET) throw new StartupError('BLOB_BACKEND=s3 needs S3_BUCKET (the bucket that holds large outputs).');
  if (!e.S3_ACCESS_KEY_ID !== !e.S3_SECRET_ACCESS_KEY) {
    throw new StartupError('Set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither (the AWS SDK then finds credentials itself).');
  }
  const credentials = e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY } : null;
  return {
    inlineThreshold: e.INLINE_THRESHOLD,
    largeFileThreshold: e.LARGE_FILE_THRESHOLD,
    backend,
    filePath: e.FILE_STORAGE_PATH ?? `${e.DATA_DIR.replace(/\/+$/, '')}/files`,
    fallback: e.FALLBACK_ENABLED
      ? { journalPath: e.FALLBACK_JOURNAL_PATH ?? `${e.DATA_DIR.replace(/\/+$/, '')}/journal/evaluations.jsonl`, replayIntervalMs: e.REPLAY_INTERVAL_MS }
      : null,
    s3: e.S3_BUCKET
      ? { bucket: e.S3_BUCKET, endpoint: e.S3_ENDPOINT ?? null, region: e.S3_REGION, credentials, forcePathStyle: e.S3_FORCE_PATH_STYLE ?? e.S3_ENDPOINT !== undefined }
      : null,
  };
}
