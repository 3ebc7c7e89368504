-- Records are UTF-8 that jsonb accepts, whatever the database holds, and lose nothing without
-- saying so (docs/contract.md, "Encodings"): json values that jsonb refuses and, in SQL_ASCII,
-- values that are not UTF-8 are written as the base64 of their text and listed in "base64";
-- names that are not UTF-8 (SQL_ASCII) are replaced and the record says "replaced":true. In an
-- encoding other than UTF8 and SQL_ASCII, records are pure ASCII (\u escapes), and message
-- content is text when it is text in the database's encoding.
SET synchronous_commit = on;
SELECT current_database() AS regression_db \gset

-- The column a JSON Pointer of "base64" names (~1 is /, ~0 is ~), and its value, decoded.
CREATE FUNCTION pointer_path(ptr text) RETURNS text[] LANGUAGE sql
RETURN ARRAY(SELECT replace(replace(e, '~1', '/'), '~0', '~') FROM unnest(string_to_array(substr(ptr, 2), '/')) e);
CREATE FUNCTION base64_value(rec jsonb, ptr text) RETURNS text LANGUAGE sql
RETURN convert_from(decode(rec #>> pointer_path(ptr), 'base64'), 'UTF8');

-- 1. UTF8 (this database): json values holding \u0000, unpaired surrogates, or numbers numeric
--    cannot hold, in a column, a key, a json[] element; in key, old and new.
CREATE TABLE enc_json (id int PRIMARY KEY, j json, aj json[], note text, "a/b~c" json);
ALTER TABLE enc_json REPLICA IDENTITY FULL;
SELECT 'init' FROM pg_create_logical_replication_slot('enc_json', 'pgcdc');
INSERT INTO enc_json (id, j, aj, note) VALUES
  (1, '{"a\u0000": "\ud800", "ok": "\ud83d\ude00"}', NULL, 'NUL in a key, a lone high surrogate'),
  (2, '"\udfff\ud800"', ARRAY['1', '"\u0000"']::json[], 'a reversed pair; NUL in an element'),
  (3, E'[1e131072,\n 0.5]', NULL, 'a number out of numeric''s range'),
  (4, '{"fine": "\ud83d\ude00\u0001", "n": 1e131071}', ARRAY['{"x": 1e-16383}']::json[], 'all jsonb takes');
INSERT INTO enc_json VALUES
  (5, NULL, NULL, 'a name a JSON Pointer escapes', '"\u0000"');
UPDATE enc_json SET note = 'updated' WHERE id = 2;
DELETE FROM enc_json WHERE id = 1;
CREATE TEMP TABLE json_records AS
  SELECT ordinality AS pos, data FROM pg_logical_slot_get_changes('enc_json', NULL, NULL, 'include-transaction', '0')
  WITH ORDINALITY;
SELECT pos, data FROM json_records ORDER BY pos;
SELECT count(*) AS records, count(data::jsonb) AS jsonb_accepts FROM json_records;
-- What each base64 value holds: the column's text, exactly as stored (row 1 is gone).
SELECT r.pos, p.ptr, base64_value(r.data::jsonb, p.ptr) AS text_of_the_value,
       base64_value(r.data::jsonb, p.ptr) = CASE (pointer_path(p.ptr))[2] WHEN 'j' THEN t.j::text WHEN 'aj' THEN t.aj::text
                                            WHEN 'a/b~c' THEN t."a/b~c"::text END AS same_as_the_table
FROM json_records r
CROSS JOIN LATERAL jsonb_array_elements_text(r.data::jsonb->'base64') p(ptr)
LEFT JOIN enc_json t ON t.id = coalesce(r.data::jsonb->'new'->>'id', r.data::jsonb->'old'->>'id')::int
ORDER BY 1, 2;
SELECT pg_drop_replication_slot('enc_json');
DROP TABLE enc_json;

-- 2. LATIN1: records are pure ASCII JSON (\u escapes), valid both in LATIN1 and as UTF-8, and
--    decode to the original text; a message's content is LATIN1 text when it is valid there (any
--    bytes but NUL), as its prefix is.
CREATE DATABASE pgcdc_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c pgcdc_latin1
SET synchronous_commit = on;
SET client_encoding = 'UTF8';
CREATE TABLE "tâble" ("çol" text, j jsonb, js json);
SELECT 'init' FROM pg_create_logical_replication_slot('encoding', 'pgcdc');
SELECT 'm' FROM pg_logical_emit_message(false, 'préfixe', 'contenu é');
-- The two LATIN1 characters Ã and ©, whose bytes happen to be the UTF-8 of é.
SELECT 'm' FROM pg_logical_emit_message(true, 'p', 'Ã©');
SELECT 'm' FROM pg_logical_emit_message(true, 'p', '\x6100ff'::bytea);
INSERT INTO "tâble" VALUES ('café ÿ "q"', '{"clé": "été"}', '{"à" : "ü"}');
INSERT INTO "tâble" VALUES ('nul', NULL, '{"é\u0000": "\u00ff"}');
SELECT data FROM pg_logical_slot_peek_changes('encoding', NULL, NULL, 'include-transaction', '0');
SELECT data ~ '^[\x01-\x7f]*$' AS ascii_only FROM pg_logical_slot_peek_changes('encoding', NULL, NULL);
SELECT CASE WHEN data::jsonb ? 'encoding' THEN encode(decode(data::jsonb->>'content', 'base64'), 'hex')
            ELSE data::jsonb->>'content' END AS message_content
FROM pg_logical_slot_peek_changes('encoding', NULL, NULL, 'include-transaction', '0', 'actions', 'message');
SELECT (data::jsonb->'new'->>'çol') = 'café ÿ "q"' AS decodes_back
FROM pg_logical_slot_peek_changes('encoding', NULL, NULL, 'include-transaction', '0', 'actions', 'insert')
WHERE data::jsonb->'new'->>'çol' <> 'nul';
-- The json value jsonb refuses: base64 of its text, in UTF-8.
SELECT b.*
FROM pg_logical_slot_get_changes('encoding', NULL, NULL, 'include-transaction', '0', 'actions', 'insert') r,
     LATERAL (SELECT p.ptr, convert_from(decode(r.data::jsonb#>>'{new,js}', 'base64'), 'UTF8') AS text
              FROM jsonb_array_elements_text(r.data::jsonb->'base64') p(ptr)) b;
SELECT pg_drop_replication_slot('encoding');
\c :regression_db
DROP DATABASE pgcdc_latin1;

-- 3. EUC_JP, a multi-byte encoding: content that is EUC_JP text comes out as that text, content
--    that is not comes out as base64, even when its bytes happen to be UTF-8 (e2 82 ac, the euro
--    sign in UTF-8); c3 a9, e acute in UTF-8, is a kanji in EUC_JP, and comes out as that kanji.
CREATE DATABASE pgcdc_eucjp ENCODING 'EUC_JP' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c pgcdc_eucjp
SET synchronous_commit = on;
SELECT 'init' FROM pg_create_logical_replication_slot('eucjp', 'pgcdc');
SELECT 'm' FROM pg_logical_emit_message(false, 'p', '\xa4a2a4a4'::bytea);
SELECT 'm' FROM pg_logical_emit_message(true, 'p', '\xe282ac'::bytea);
SELECT 'm' FROM pg_logical_emit_message(true, 'p', '\xc3a9'::bytea);
SELECT data FROM pg_logical_slot_get_changes('eucjp', NULL, NULL, 'include-transaction', '0');
SELECT pg_drop_replication_slot('eucjp');
\c :regression_db
DROP DATABASE pgcdc_eucjp;

-- 4. SQL_ASCII: text is bytes. Records stay UTF-8: values that are not UTF-8 go out as the base64
--    of their bytes (listed in "base64", so nothing is lost), names that are not UTF-8 have those
--    bytes replaced by U+FFFD and the record says "replaced":true; UTF-8 goes out as it is.
CREATE DATABASE pgcdc_sqlascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c pgcdc_sqlascii
SET synchronous_commit = on;
SET client_encoding = 'UTF8';
CREATE TYPE pair AS (a text, b int);
CREATE TABLE bytes (id int PRIMARY KEY, t text, j json, jb jsonb, at text[], p pair, v varchar);
DO $$
BEGIN
  EXECUTE format('CREATE TABLE %I (id int PRIMARY KEY, %I text)', E'caf\xe9', E'n\xe9');
END $$;
SELECT 'init' FROM pg_create_logical_replication_slot('sqlascii', 'pgcdc');
INSERT INTO bytes VALUES
  (1, E'caf\xe9', E'{"k\xe9": 1}', E'{"v": "\xff"}', ARRAY['a', E'b\xe9'], ROW(E'\xe9', 1), 'plain'),
  (2, 'café', '{"k": "é"}', '{"v": "ü"}', ARRAY['a'], ROW('é', 2), E'\xc3');
DO $$
BEGIN
  EXECUTE format('INSERT INTO %I VALUES (1, %L)', E'caf\xe9', 'ok');
  EXECUTE format('TRUNCATE %I', E'caf\xe9');
END $$;
SELECT 'm' FROM pg_logical_emit_message(false, E'pr\xe9', E'cont\xe9');
SELECT 'm' FROM pg_logical_emit_message(true, 'p', 'conté');
CREATE TEMP TABLE sa_records AS
  SELECT ordinality AS pos, data FROM pg_logical_slot_get_changes('sqlascii', NULL, NULL, 'include-transaction', '0')
  WITH ORDINALITY;
SELECT pos, data FROM sa_records ORDER BY pos;
-- Every record is UTF-8 (convert_from refuses anything else).
SELECT count(convert_from(convert_to(data, 'SQL_ASCII'), 'UTF8')) AS utf8_records FROM sa_records;
-- The base64 values are the bytes in the table.
SELECT p.ptr, decode(r.data::jsonb #>> string_to_array(substr(p.ptr, 2), '/'), 'base64')
              = convert_to(CASE split_part(p.ptr, '/', 3) WHEN 't' THEN b.t WHEN 'j' THEN b.j::text
                           WHEN 'jb' THEN b.jb::text WHEN 'at' THEN b.at::text WHEN 'p' THEN b.p::text
                           WHEN 'v' THEN b.v END, 'SQL_ASCII') AS same_bytes
FROM sa_records r CROSS JOIN LATERAL jsonb_array_elements_text(r.data::jsonb->'base64') p(ptr)
JOIN bytes b ON b.id = (r.data::jsonb->'new'->>'id')::int
WHERE r.data LIKE '{"op":"I","schema":"public","table":"bytes"%' ORDER BY r.pos, p.ptr;
SELECT string_agg(data, E'\n' ORDER BY pos) AS sa_all FROM sa_records \gset
SELECT pg_drop_replication_slot('sqlascii');
\c :regression_db
-- ... and jsonb, in a UTF-8 database, accepts every one of them.
SELECT count(*) AS records, count(r::jsonb) AS jsonb_accepts FROM regexp_split_to_table(:'sa_all', E'\n') r;
DROP DATABASE pgcdc_sqlascii;
DROP FUNCTION base64_value, pointer_path;
