-- A database whose encoding is not UTF-8: records are pure ASCII JSON (\u escapes), so they are
-- valid both in the database's encoding and as UTF-8, and they decode to the original text.
SET synchronous_commit = on;

SELECT current_database() AS regression_db \gset
CREATE DATABASE pgcdc_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c pgcdc_latin1
SET synchronous_commit = on;
SET client_encoding = 'UTF8';
CREATE TABLE "tâble" ("çol" text, j jsonb, js json);
SELECT 'init' FROM pg_create_logical_replication_slot('encoding', 'pgcdc');
-- The message's content is bytes in the database's encoding: LATIN1 'é' is not UTF-8, so base64.
SELECT 'm' FROM pg_logical_emit_message(false, 'préfixe', 'contenu é');
INSERT INTO "tâble" VALUES ('café ÿ "q"', '{"clé": "été"}', '{"à" : "ü"}');
SELECT data FROM pg_logical_slot_peek_changes('encoding', NULL, NULL, 'include-transaction', '0');
SELECT data ~ '^[\x01-\x7f]*$' AS ascii_only FROM pg_logical_slot_peek_changes('encoding', NULL, NULL);
SELECT convert_from(decode(data::jsonb->>'content', 'base64'), 'LATIN1') AS message_content
FROM pg_logical_slot_peek_changes('encoding', NULL, NULL, 'actions', 'message');
SELECT (data::jsonb->'new'->>'çol') = 'café ÿ "q"' AS decodes_back
FROM pg_logical_slot_get_changes('encoding', NULL, NULL, 'include-transaction', '0', 'actions', 'insert');
SELECT pg_drop_replication_slot('encoding');
\c :regression_db
DROP DATABASE pgcdc_latin1;
