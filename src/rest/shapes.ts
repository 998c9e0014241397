/**
 * GraphQL results -> the JSON shapes of seed 004's REST API: snake_case fields, lower-case
 * statuses and locations, texts as strings. Pure functions of what the operation returned; no
 * logic of their own beyond renaming and counting.
 */

type Json = Record<string, any>;

export const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value ?? null);

/** A text as the seed service answered it: the text (or its preview), whether that is all of it, where it lives. */
function text(stored: Json | null, full: Json | null | undefined): { value: string | null; truncated: boolean } {
  if (!stored) return { value: null, truncated: false };
  if (full && typeof full['text'] === 'string') {
    return { value: full['text'], truncated: Buffer.byteLength(full['text'], 'utf8') < stored['size'] };
  }
  return { value: stored['preview'], truncated: Boolean(stored['truncated']) };
}

export function storageInfo(e: Json): Json {
  const side = (stored: Json | null, which: string) => ({
    [`${which}_location`]: lower(stored?.['location']),
    [`${which}_size`]: stored?.['size'] ?? 0,
    [`${which}_truncated`]: Boolean(stored?.['truncated']),
    [`${which}_sha256`]: stored?.['sha256'] ?? null,
  });
  return { ...side(e['output'], 'output'), ...side(e['error'], 'error') };
}

/**
 * An evaluation. `output`/`error` hold the text up to the size a single read returns (lists: the
 * preview); `*_truncated` says when more is stored, and `*_url` streams all of it.
 */
export function evaluation(e: Json, options: { storageInfo?: boolean } = {}): Json {
  const output = text(e['output'], e['outputText']);
  const error = text(e['error'], e['errorText']);
  return {
    id: e['id'],
    code: e['code'],
    code_hash: e['codeHash'],
    language: e['language'],
    status: lower(e['status']),
    created_at: e['createdAt'],
    started_at: e['startedAt'],
    completed_at: e['completedAt'],
    runtime_ms: e['runtimeMs'],
    metadata: e['metadata'],
    retries: e['retries'],
    celery_task_id: e['celeryTaskId'],
    deleted_at: e['deletedAt'],
    stored_in: lower(e['storedIn']),
    output: output.value,
    error: error.value,
    output_truncated: output.truncated,
    error_truncated: error.truncated,
    output_url: e['output']?.['downloadUrl'] ?? null,
    error_url: e['error']?.['downloadUrl'] ?? null,
    ...(options.storageInfo ? { _storage_info: storageInfo(e) } : {}),
  };
}

export const event = (e: Json): Json => ({
  id: e['id'],
  evaluation_id: e['evaluationId'],
  type: e['type'],
  timestamp: e['timestamp'],
  message: e['message'],
  metadata: e['metadata'],
});

export const logLine = (l: Json): Json => ({ seq: l['seq'], timestamp: l['timestamp'], stream: l['stream'], text: l['text'] });

export const running = (r: Json): Json => ({
  container_id: r['containerId'],
  host: r['host'],
  started_at: r['startedAt'],
  heartbeat_at: r['heartbeatAt'],
  info: r['info'],
});

export const metric = (m: Json): Json => ({ name: m['name'], value: m['value'], unit: m['unit'], step: m['step'], timestamp: m['timestamp'] });

/** Seed 004 keys backends by what they are for ("database", "file"); Strata's roles, renamed so. */
export function backendKey(b: Json): string {
  if (b['role'] === 'primary') return 'database';
  if (b['role'] === 'blobs') return b['kind'] === 'memory' ? 'blobs' : b['kind'];
  return b['role'];
}

const SEED_TYPES: Record<string, string> = { postgres: 'postgresql', file: 'filesystem', memory: 'in-memory' };

export const backend = (b: Json): Json => ({
  name: b['name'],
  type: SEED_TYPES[b['kind']] ?? b['kind'],
  role: b['role'],
  status: b['healthy'] ? 'healthy' : 'unhealthy',
  latency_ms: b['latencyMs'],
  metrics: seedMetrics(b['metrics']),
});

/** Blob stores report `bytes`; seed 004's overview calls it `total_size_bytes`: both are given. */
function seedMetrics(m: Json): Json {
  return typeof m['bytes'] === 'number' && m['total_size_bytes'] === undefined ? { ...m, total_size_bytes: m['bytes'] } : m;
}

export function storageOverview(s: Json): Json {
  const backends = Object.fromEntries((s['backends'] as Json[]).map((b) => [backendKey(b), backend(b)]));
  const values = Object.values(backends);
  return {
    backends,
    fallback_pending: s['fallbackPending'],
    summary: { total_backends: values.length, healthy_backends: values.filter((b) => b['status'] === 'healthy').length },
  };
}

export function statistics(s: Json): Json {
  const byStatus = Object.fromEntries((s['byStatus'] as Json[]).map((c) => [lower(c['status']), c['count']]));
  const completed = byStatus['completed'] ?? 0;
  const failed = byStatus['failed'] ?? 0;
  return {
    total_evaluations: s['total'],
    by_status: byStatus,
    by_language: Object.fromEntries((s['byLanguage'] as Json[]).map((c) => [c['language'], c['count']])),
    average_runtime_ms: s['runtimeMs']['avg'],
    runtime_ms: s['runtimeMs'],
    // As the seed service defines it: completed among finished-with-a-result.
    success_rate: completed + failed > 0 ? completed / (completed + failed) : 0,
  };
}
