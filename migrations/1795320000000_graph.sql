-- Up Migration
-- The task/result graph (seed 000): tasks and results are vertices in one table, so they share
-- one id space and an edge can point at either; relationships are typed, directed edges.
CREATE TABLE graph_vertices (
  id         text COLLATE "C" PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('task', 'result')),
  name       text,
  status     text,
  data       jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  -- A task has a name; a result has neither name nor status.
  CHECK (CASE kind WHEN 'task' THEN name IS NOT NULL ELSE name IS NULL AND status IS NULL END)
);

CREATE TABLE graph_edges (
  id         text COLLATE "C" PRIMARY KEY,
  from_id    text COLLATE "C" NOT NULL REFERENCES graph_vertices (id) ON DELETE CASCADE,
  to_id      text COLLATE "C" NOT NULL REFERENCES graph_vertices (id) ON DELETE CASCADE,
  type       text COLLATE "C" NOT NULL,
  data       jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz(3) NOT NULL DEFAULT now()
);
-- One edge per (from, to, type): `link` relies on it to be idempotent. The same index serves
-- outbound steps; the second one inbound steps. INCLUDE (id) lets a traversal step read the edge
-- id from the index alone.
CREATE UNIQUE INDEX graph_edges_out_idx ON graph_edges (from_id, to_id, type) INCLUDE (id);
CREATE INDEX graph_edges_in_idx ON graph_edges (to_id, from_id, type) INCLUDE (id);

-- Down Migration
DROP TABLE graph_edges;
DROP TABLE graph_vertices;
