/** The evaluation domain: records, statuses and the rules between them (seeds 001 and 004). */

export const EVALUATION_STATUSES = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT'] as const;
export type EvaluationStatus = (typeof EVALUATION_STATUSES)[number];

export const STORAGE_LOCATIONS = ['INLINE', 'COMPRESSED', 'FILE', 'S3'] as const;
export type StorageLocation = (typeof STORAGE_LOCATIONS)[number];

export type JsonObject = { [key: string]: unknown };

/**
 * Text that may be large, routed by size (see src/services/texts): INLINE below INLINE_THRESHOLD,
 * COMPRESSED (gzip, in the row) up to LARGE_FILE_THRESHOLD, FILE or S3 (the blob store) above it.
 */
export interface StoredTextRecord {
  location: StorageLocation;
  /** Bytes of the full text (UTF-8). */
  size: number;
  /**
   * INLINE: the text's UTF-8 bytes. COMPRESSED: their gzip encoding (served as-is to clients that
   * accept gzip). FILE and S3: the preview's UTF-8 bytes, so a preview never touches the blob.
   */
  data: Buffer;
  /** sha256 of the full text's bytes, hex; absent on texts written before routing existed. */
  sha256?: string | null;
  /** FILE and S3 only: where the bytes are and how to find a character offset in them. */
  blob?: BlobRef | null;
}

/** A text in the blob store, as its row records it. */
export interface BlobRef {
  /** Key in the blob store: evaluations/<id>/<output|error>.<token>.txt (src/domain/blob-keys.ts). */
  key: string;
  /** Length of the full text in UTF-16 code units, the unit of StoredText.text(offset, length). */
  chars: number;
  /**
   * Flat [byte, char, byte, char, ...] pairs at character boundaries about every megabyte, so a
   * slice is read with one bounded range read. Empty when chars === size (ASCII: offsets coincide).
   */
  checkpoints: number[];
}

export interface EvaluationRecord {
  id: string;
  code: string;
  codeHash: string;
  language: string;
  status: EvaluationStatus;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  runtimeMs: number | null;
  metadata: JsonObject;
  retries: number;
  celeryTaskId: string | null;
  taskId: string | null;
  deletedAt: Date | null;
  output: StoredTextRecord | null;
  error: StoredTextRecord | null;
  /** Set on a record served from the fallback journal: written while the primary was unreachable, not replayed yet. */
  storedIn?: 'FALLBACK_JOURNAL';
}

export interface EventRecord {
  id: string;
  evaluationId: string;
  type: string;
  timestamp: Date;
  message: string | null;
  metadata: JsonObject;
}

export interface MetricRecord {
  evaluationId: string;
  name: string;
  value: number;
  unit: string | null;
  step: number | null;
  timestamp: Date;
}

const NEXT: Record<EvaluationStatus, readonly EvaluationStatus[]> = {
  QUEUED: ['RUNNING', 'CANCELLED'],
  RUNNING: ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT'],
  COMPLETED: [],
  FAILED: [],
  CANCELLED: [],
  TIMEOUT: [],
};

export function canTransition(from: EvaluationStatus, to: EvaluationStatus): boolean {
  return NEXT[from].includes(to);
}

export function isFinished(status: EvaluationStatus): boolean {
  return NEXT[status].length === 0;
}

/**
 * Celery task states (seed 004's celery-update) as evaluation statuses. RETRY keeps the evaluation
 * RUNNING: the task will run again, and a RUNNING evaluation cannot go back to QUEUED.
 */
export const TASK_STATE_TO_STATUS: Record<string, EvaluationStatus> = {
  PENDING: 'QUEUED',
  RECEIVED: 'QUEUED',
  STARTED: 'RUNNING',
  RETRY: 'RUNNING',
  SUCCESS: 'COMPLETED',
  FAILURE: 'FAILED',
  REVOKED: 'CANCELLED',
};

/**
 * The statuses an evaluation passes through to reach `to`. A worker's report is a fact: an
 * evaluation still QUEUED whose task already succeeded went through RUNNING, so the timeline gets
 * both steps. Returns null when `to` cannot be reached from `from`.
 */
export function pathTo(from: EvaluationStatus, to: EvaluationStatus): EvaluationStatus[] | null {
  if (from === to) return [];
  if (canTransition(from, to)) return [to];
  if (from === 'QUEUED' && canTransition('RUNNING', to)) return ['RUNNING', to];
  return null;
}
