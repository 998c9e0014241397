-- Up Migration
-- Lists order nullable columns with nulls last in both directions. A btree index read backwards
-- reverses the null placement, so each nullable sort column needs a second index with nulls
-- placed for DESC; without it every page of a DESC listing sorts all matching rows.
CREATE INDEX evaluations_completed_desc_idx ON evaluations (completed_at DESC NULLS LAST, id DESC);
CREATE INDEX evaluations_runtime_desc_idx   ON evaluations (runtime_ms DESC NULLS LAST, id DESC);

-- Down Migration
DROP INDEX evaluations_runtime_desc_idx;
DROP INDEX evaluations_completed_desc_idx;
