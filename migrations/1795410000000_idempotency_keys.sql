-- Up Migration
-- Idempotency keys (issue 4): the first response to a request sent with an `Idempotency-Key`
-- header, kept for IDEMPOTENCY_TTL_SECONDS (24 h), as payment APIs do. `state` is 'pending' while
-- the first request runs, then 'done' with its response; the request hash tells a retry from a
-- different request reusing the key.
CREATE TABLE idempotency_keys (
  key          text COLLATE "C" PRIMARY KEY,
  request_hash text NOT NULL,
  state        text NOT NULL CHECK (state IN ('pending', 'done')),
  response     jsonb,
  created_at   timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Down Migration
DROP TABLE idempotency_keys;
