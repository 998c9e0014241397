-- Up Migration
-- The audit log (issue 7): one row per mutation field executed (and per REST or CLI write), with
-- who (the API key's name; null when the gateway runs open), what, on which ids, when, and how it
-- ended. Rows are only ever appended: the API has no way to change them, and the trigger below
-- refuses an UPDATE from anyone else too. DELETE stays possible for a retention job run by an operator.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz(3) NOT NULL DEFAULT now(),
  key_name    text,
  operation   text NOT NULL,
  target_ids  text[] NOT NULL DEFAULT '{}',
  outcome     text NOT NULL,
  request_id  text NOT NULL
);

-- "What happened to this evaluation?" and "what did this key do?", newest first.
CREATE INDEX audit_log_target_ids_idx ON audit_log USING gin (target_ids);
CREATE INDEX audit_log_key_name_idx ON audit_log (key_name, id DESC);

CREATE FUNCTION audit_log_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log rows cannot be changed';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_update();

-- Down Migration
DROP TABLE audit_log;
DROP FUNCTION audit_log_refuse_update();
