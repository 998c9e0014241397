-- Up Migration
-- Evaluations, their event timeline and their metrics (seeds 001 and 004).
-- Timestamps are kept to the millisecond (timestamptz(3)) so that a JavaScript Date round-trips
-- exactly: keyset cursors compare timestamps and must never lose precision on the way.
CREATE TABLE evaluations (
  id              text COLLATE "C" PRIMARY KEY,
  code            text NOT NULL,
  code_hash       text NOT NULL,
  language        text NOT NULL,
  status          text NOT NULL CHECK (status IN ('QUEUED','RUNNING','COMPLETED','FAILED','CANCELLED','TIMEOUT')),
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  updated_at      timestamptz(3) NOT NULL DEFAULT now(),
  started_at      timestamptz(3),
  completed_at    timestamptz(3),
  runtime_ms      integer,
  metadata        jsonb NOT NULL DEFAULT '{}',
  retries         integer NOT NULL DEFAULT 0,
  celery_task_id  text,
  task_id         text,
  deleted_at      timestamptz(3),
  -- output and error are bytes, not text: a program's output may hold NUL bytes, which a
  -- PostgreSQL text column cannot store.
  output_location text,
  output_size     bigint,
  output_data     bytea,
  error_location  text,
  error_size      bigint,
  error_data      bytea
);
CREATE INDEX evaluations_created_idx   ON evaluations (created_at, id);
CREATE INDEX evaluations_status_idx    ON evaluations (status, created_at, id);
CREATE INDEX evaluations_completed_idx ON evaluations (completed_at, id);
CREATE INDEX evaluations_runtime_idx   ON evaluations (runtime_ms, id);
CREATE INDEX evaluations_code_hash_idx ON evaluations (code_hash);
CREATE INDEX evaluations_task_idx      ON evaluations (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX evaluations_metadata_idx  ON evaluations USING gin (metadata jsonb_path_ops);

CREATE TABLE evaluation_events (
  id            bigserial PRIMARY KEY,
  evaluation_id text COLLATE "C" NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  type          text NOT NULL,
  timestamp     timestamptz(3) NOT NULL DEFAULT now(),
  message       text,
  metadata      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX evaluation_events_eval_idx ON evaluation_events (evaluation_id, id);

CREATE TABLE evaluation_metrics (
  id            bigserial PRIMARY KEY,
  evaluation_id text COLLATE "C" NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  name          text NOT NULL,
  value         double precision NOT NULL,
  unit          text,
  step          integer,
  timestamp     timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX evaluation_metrics_eval_idx ON evaluation_metrics (evaluation_id, name, timestamp);

-- Down Migration
DROP TABLE evaluation_metrics;
DROP TABLE evaluation_events;
DROP TABLE evaluations;
