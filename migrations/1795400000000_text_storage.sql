-- Up Migration
-- Size routing of output and error (issue 4). Small texts stay inline in *_data; larger ones are
-- gzip-compressed in *_data (location COMPRESSED); the largest live in the blob store (FILE or S3)
-- and *_data keeps only their preview. *_blob describes such a blob: its key, its length in
-- characters and byte/character checkpoints for range reads. The checksum covers every location.
-- A row is written only after its blob is complete, so *_blob never names a missing blob.
ALTER TABLE evaluations
  ADD COLUMN output_sha256 text,
  ADD COLUMN output_blob   jsonb,
  ADD COLUMN error_sha256  text,
  ADD COLUMN error_blob    jsonb;

-- Down Migration
ALTER TABLE evaluations
  DROP COLUMN output_sha256,
  DROP COLUMN output_blob,
  DROP COLUMN error_sha256,
  DROP COLUMN error_blob;
