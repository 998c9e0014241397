-- Up Migration
-- Running evaluations and their logs (seed 004). These tables are the source of truth; Redis only
-- mirrors them (the running set, the hot log tail) and is rebuilt from them.

-- Container info reported by markRunning, one row per RUNNING evaluation; removed when it finishes.
-- `version` grows on every write, so the Redis mirror can refuse an older write arriving late.
CREATE TABLE evaluation_running (
  evaluation_id text COLLATE "C" PRIMARY KEY REFERENCES evaluations (id) ON DELETE CASCADE,
  container_id  text,
  host          text,
  info          jsonb NOT NULL DEFAULT '{}',
  started_at    timestamptz(3) NOT NULL,
  heartbeat_at  timestamptz(3) NOT NULL,
  version       integer NOT NULL DEFAULT 1
);

-- The last sequence number given out per evaluation. A row of its own rather than a column of
-- evaluations: appenders lock this row while they number their lines, and must not block (or be
-- blocked by) status updates of the evaluation.
CREATE TABLE evaluation_log_counters (
  evaluation_id text COLLATE "C" PRIMARY KEY REFERENCES evaluations (id) ON DELETE CASCADE,
  last_seq      integer NOT NULL
);

-- Lines numbered 1, 2, 3, ... per evaluation with no gaps; the primary key is also the read index.
CREATE TABLE evaluation_logs (
  evaluation_id text COLLATE "C" NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  seq           integer NOT NULL,
  timestamp     timestamptz(3) NOT NULL,
  stream        text NOT NULL,
  text          text NOT NULL,
  PRIMARY KEY (evaluation_id, seq)
);

-- Down Migration
DROP TABLE evaluation_logs;
DROP TABLE evaluation_log_counters;
DROP TABLE evaluation_running;
