-- TOASTed values: unchanged ones are left out of "new" and listed in "unchanged".
SET synchronous_commit = on;

CREATE TABLE toasty (id int PRIMARY KEY, small text, big text, doc jsonb, other int);
-- EXTERNAL stores large values out of line uncompressed, so they are TOASTed however repetitive.
ALTER TABLE toasty ALTER COLUMN big SET STORAGE EXTERNAL, ALTER COLUMN doc SET STORAGE EXTERNAL;
CREATE TABLE toasty_full (id int PRIMARY KEY, big text, other int);
ALTER TABLE toasty_full ALTER COLUMN big SET STORAGE EXTERNAL;
ALTER TABLE toasty_full REPLICA IDENTITY FULL;

SELECT 'init' FROM pg_create_logical_replication_slot('toast', 'pgcdc');

INSERT INTO toasty VALUES (1, 's', repeat('x', 10000), jsonb_build_object('k', repeat('j', 5000)), 1);
UPDATE toasty SET other = 2 WHERE id = 1;                 -- big and doc unchanged
UPDATE toasty SET big = repeat('y', 9000) WHERE id = 1;   -- big changed, doc unchanged
UPDATE toasty SET small = NULL, doc = '{}' WHERE id = 1;  -- big unchanged
DELETE FROM toasty WHERE id = 1;
INSERT INTO toasty_full VALUES (1, repeat('z', 8000), 1);
UPDATE toasty_full SET other = 2;                          -- FULL: "old" has big in full
DELETE FROM toasty_full;

CREATE TEMP TABLE toast_records AS
  SELECT ordinality AS pos, data FROM pg_logical_slot_get_changes('toast', NULL, NULL, 'include-transaction', '0')
  WITH ORDINALITY;
-- The records, with long runs of a letter shortened for reading.
SELECT pos, regexp_replace(data, '([a-z])\1{9}\1+', '\1\1\1...', 'g') AS record FROM toast_records ORDER BY pos;
-- The full values are there.
SELECT pos, length(data::jsonb->'new'->>'big') AS new_big, length(data::jsonb->'new'->'doc'->>'k') AS new_doc_k,
       length(data::jsonb->'old'->>'big') AS old_big, data::jsonb->'unchanged' AS unchanged
FROM toast_records ORDER BY pos;
-- A changed TOASTed value is written whole.
SELECT data::jsonb->'new'->>'big' = repeat('y', 9000) AS changed_big_complete FROM toast_records WHERE pos = 3;

SELECT pg_drop_replication_slot('toast');
DROP TABLE toasty, toasty_full;
