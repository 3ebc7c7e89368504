-- Every type of the contract's value table, with NULLs, extremes, special values and non-ASCII
-- text, and the read-back guarantee: jsonb_populate_record(NULL::t, new) returns the row.
SET synchronous_commit = on;

CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'ünï "q"');
CREATE TYPE pair AS (x int, y text);
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE DOMAIN shorttext AS varchar(10);
CREATE DOMAIN intarr AS int[];
CREATE TABLE types_t (
  id int PRIMARY KEY,
  b bool, i2 int2, i4 int4, i8 int8, o oid,
  f4 float4, f8 float8, n numeric, n2 numeric(10,3),
  jb jsonb,
  tstz timestamptz, ts timestamp, d date, iv interval,
  by bytea,
  t text, vc varchar(20), c char(5), u uuid,
  ai int[], at text[], a2 int[], af float8[], atstz timestamptz[], ajb jsonb[], an numeric[], aby bytea[],
  dom posint, dtext shorttext, darr intarr,
  e mood, ip inet, net cidr, mac macaddr, tm time, tmtz timetz, r int4range, rtz tstzrange,
  comp pair, m money, bits bit(4), vbits varbit, x xml, tsv tsvector, ch "char", nm name, pt point
);

SELECT 'init' FROM pg_create_logical_replication_slot('types', 'pgcdc');

-- 1: ordinary values
INSERT INTO types_t VALUES (1,
  true, 1, 2, 3, 4,
  1.5, 0.1, 123.4500, 1.5,
  '{"a": 1, "b": [true, null, "x"], "c": {"d": 2.50}}',
  '2026-11-21 10:00:00.123456+00', '2026-11-21 10:00:00', '2026-11-21', '1 year 2 mons 3 days 04:05:06.5',
  '\x0102ff',
  'hello', 'varchar', 'ab', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  '{1,2,NULL}', '{"a b","c,d",NULL,"e\"f",""}', '{{1,2},{3,4}}', '{1.5,NaN,-Infinity}',
  '{"2026-01-01 00:00:00+00",infinity}', ARRAY['{"k": 1}'::jsonb, '"s"', '2'], '{1.10,NaN}', '{"\\x00",NULL}',
  5, 'short', '{7,8}',
  'happy', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', '10:11:12.5', '10:11:12+05:30', '[1,10)',
  '[2026-01-01 00:00:00+00,2026-02-01 00:00:00+00)',
  ROW(1, 'a "b"'), 1234.56, B'1010', B'101', '<a x="1">b</a>', 'a fat cat', 'x', 'pg_name', '(1.5,2)');
-- 2: NULL everywhere
INSERT INTO types_t (id) VALUES (2);
-- 3: minimums, empties and negative infinities
INSERT INTO types_t VALUES (3,
  false, -32768, -2147483648, -9223372036854775808, 0,
  '-Infinity', '-Infinity', '-Infinity', -0.001,
  '"scalar"',
  '-infinity', '-infinity', '-infinity', 'P-1Y-2M3DT-4H-5M-6.5S',
  '\x',
  '', '', ' ', '00000000-0000-0000-0000-000000000000',
  '{}', '{}', '{}', '{-0,1e-300}', '{}', '{}', '{}', '{}',
  1, '', '{}',
  'sad', '::1', '::/0', '00:00:00:00:00:00', '00:00', '00:00+00', 'empty', 'empty',
  ROW(NULL, NULL), -92233720368547758.08, B'0000', B'', '', '', ' ', '', '(0,0)');
-- 4: maximums, NaN, far dates (the interval is the largest finite one on every version: one more
-- microsecond makes it infinity from PostgreSQL 17 on, tested below)
INSERT INTO types_t VALUES (4,
  true, 32767, 2147483647, 9223372036854775807, 4294967295,
  '3.4028235e38', '1.7976931348623157e308', 'NaN', 9999999.999,
  '[1, 2.5e10, -0, 1e-20, 12345678901234567890.123456789, "\u00e9"]',
  '4713-01-01 00:00:00+00 BC', '294276-12-31 23:59:59.999999', '5874897-12-31',
  '178956970 years 7 months 2147483647 days 2562047788:00:54.775806',
  '\x00ff7f80',
  repeat('long ', 100), 'ünïcødé', 'é', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '{{{1}},{{2}}}', '{"NULL","null"}', '{{NULL,NULL},{NULL,NULL}}', '{Infinity,5e-324}',
  '{"4713-01-01 00:00:00+00 BC"}', ARRAY['{}'::jsonb, '[]'], '{Infinity,-Infinity}', '{"\\xff"}',
  2147483647, 'ten chars!', '{2147483647}',
  'ünï "q"', '2001:db8::ff00:42:8329/128', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', '23:59:59.999999',
  '24:00:00-15:59', '(,)', '(,)',
  ROW(2147483647, E'\n'), 92233720368547758.07, B'1111', B'111111111111111111111111111111111111111',
  '<!-- c --><a/>', 'x:1A y:2B', E'\u00e9', repeat('n', 63), '(1e308,-1e-308)');
-- 5: negative zero, denormals, precision, escapes and non-ASCII text
INSERT INTO types_t VALUES (5,
  NULL, 0, 0, 0, NULL,
  '-0', '-0', '-0.000000000000000000001', 0,
  E'{"\u00e9": "\\n\\u0001\\"\\\\", "emoji": "\U0001F600", "n": -0.0, "big": 1e100}',
  '0001-01-01 00:00:00+00', '0001-12-31 23:59:59 BC', '0001-01-01 BC', '-1.5 sec',
  '\x000102030405060708090a0b0c0d0e0f',
  E'tab\there\nnew \u0001 ctrl \u001f "q" \\ b\u00e9 \U0001F600 \u2028 end', E'\u00fc', 'é  ', NULL,
  '{-1}', ARRAY[E'\n', E'\\', '"', E'\u00e9'], '{{-1,0},{1,2}}', '{-0,Infinity,NaN,0.30000000000000004}',
  '{"2000-01-01 00:00:00.000001+00"}', ARRAY['{"a":{"b":[1,{"c":null}]}}'::jsonb], '{-0.0000,1e-20}', NULL,
  NULL, NULL, NULL,
  'ok', '10.1.2.3', '10.1.2.3/32', '01:02:03:04:05:06', '12:00:00.000001', '12:00:00.000001-01',
  '[-2147483648,2147483647)', '[2026-11-21 10:00:00.5+05:30,infinity]',
  ROW(-1, E'\u00e9,"'), 0, NULL, NULL, '<x>&amp;&lt;</x>', E'\u00e9l\u00e8ve', E'\\', 'ÄÖÜ', NULL);
-- The rows as inserted (a temporary table: not decoded).
CREATE TEMP TABLE as_inserted AS SELECT * FROM types_t;
UPDATE types_t SET t = 'updated', jb = jb || '{"u": true}' WHERE id = 1;
DELETE FROM types_t WHERE id = 4;

CREATE TEMP TABLE type_records AS
  SELECT ordinality AS pos, data FROM pg_logical_slot_get_changes('types', NULL, NULL, 'include-transaction', '0')
  WITH ORDINALITY;
SELECT pos, data FROM type_records ORDER BY pos;

-- Every record is valid JSON.
SELECT count(*) AS records, count(data::jsonb) AS parsed FROM type_records;

-- Read back: every column of every inserted row through jsonb_populate_record, compared as the
-- column's text output (row_to_json keeps it, so -0 and 0 or 1.50 and 1.5 would differ).
-- No row here means every value came back exactly.
SELECT w.id, o.key AS column_name, o.value AS written, b.value AS read_back
FROM (SELECT data::jsonb AS j FROM type_records WHERE data LIKE '{"op":"I"%') r
JOIN as_inserted w ON w.id = (r.j->'new'->>'id')::int
CROSS JOIN LATERAL json_each_text(row_to_json(w)) o
JOIN LATERAL json_each_text(row_to_json(jsonb_populate_record(NULL::types_t, r.j->'new'))) b ON b.key = o.key
WHERE o.value IS DISTINCT FROM b.value
ORDER BY 1, 2;
SELECT count(*) AS inserts_compared
FROM type_records r JOIN as_inserted w ON w.id = (r.data::jsonb->'new'->>'id')::int WHERE r.data LIKE '{"op":"I"%';
SELECT row_to_json(jsonb_populate_record(NULL::types_t, r.data::jsonb->'new'))::text = row_to_json(cur)::text
       AS update_reads_back
FROM type_records r, types_t cur WHERE r.data LIKE '{"op":"U"%' AND cur.id = 1;

-- json keeps its tokens (and duplicate keys) but not its insignificant whitespace.
CREATE TABLE types_json (id int PRIMARY KEY, j json, ja json[]);
INSERT INTO types_json VALUES
  (1, E'{ "a" : [1,  2 ],\n "a": "dup", "s": " keep  spaces " }', ARRAY[' { "x" : 1 } '::json, '[ ]']),
  (2, '"str"', '{}'),
  (3, E'\t[ {"\u00e9" : "\\u0041 \\" x"} ]\n', NULL);
SELECT data FROM pg_logical_slot_peek_changes('types', NULL, NULL, 'include-transaction', '0');
SELECT j.id, (jsonb_populate_record(NULL::types_json, r.data::jsonb->'new')).j::jsonb = j.j::jsonb AS same_value,
       (jsonb_populate_record(NULL::types_json, r.data::jsonb->'new')).ja::text AS ja_read_back
FROM pg_logical_slot_get_changes('types', NULL, NULL, 'include-transaction', '0') r
JOIN types_json j ON j.id = (r.data::jsonb->'new'->>'id')::int ORDER BY 1;

-- int2vector and oidvector, zero-based arrays, are written as their text, which reads back exactly
-- (as JSON arrays they would read back one-based); arrays of them as arrays of that text.
CREATE TABLE types_vector (id int PRIMARY KEY, v int2vector, o oidvector, av int2vector[]);
INSERT INTO types_vector VALUES (1, '1 -2 3', '4 4294967295', ARRAY['1 2'::int2vector, '']), (2, '', '', '{}');
SELECT data FROM pg_logical_slot_peek_changes('types', NULL, NULL, 'include-transaction', '0');
SELECT v.id, p.v = v.v AND array_lower(p.v, 1) = 0 AS v_reads_back, p.o = v.o AS o_reads_back,
       p.av = v.av AS av_reads_back
FROM pg_logical_slot_get_changes('types', NULL, NULL, 'include-transaction', '0') r,
     jsonb_populate_record(NULL::types_vector, r.data::jsonb->'new') p, types_vector v
WHERE v.id = p.id ORDER BY 1;

-- The documented exceptions to reading back exactly, which come from embedding JSON in JSON:
-- a JSON null inside json/jsonb and SQL NULL read back alike, and in a json[]/jsonb[] whose first
-- element is a JSON array, jsonb_populate_record takes the nested arrays for dimensions.
CREATE TABLE types_null (id int PRIMARY KEY, jb jsonb, ajb jsonb[]);
INSERT INTO types_null VALUES (1, 'null', ARRAY['null'::jsonb]), (2, NULL, ARRAY[NULL::jsonb]),
  (3, '[]', ARRAY['[1]'::jsonb, '[2]']);
SELECT r.data, p.jb IS NULL AS jb_reads_back_null, p.ajb[1] IS NULL AS elem_reads_back_null, p.ajb AS ajb_read_back
FROM pg_logical_slot_get_changes('types', NULL, NULL, 'include-transaction', '0') r,
     jsonb_populate_record(NULL::types_null, r.data::jsonb->'new') p;

-- The largest value of every interval field is the largest interval before PostgreSQL 17, and
-- infinity from 17 on, which also has -infinity: each is written as its server means it, and
-- reads back.
CREATE TABLE types_iv (id int PRIMARY KEY, iv interval, expected text);
SELECT current_setting('server_version_num')::int >= 170000 AS infinite_intervals \gset
INSERT INTO types_iv VALUES (1, '178956970 years 7 months 2147483647 days 2562047788:00:54.775807',
  CASE WHEN :'infinite_intervals'::boolean THEN 'infinity' ELSE 'P178956970Y7M2147483647DT2562047788H54.775807S' END);
\if :infinite_intervals
INSERT INTO types_iv VALUES (2, 'infinity', 'infinity'), (3, '-infinity', '-infinity');
\endif
SELECT count(*) = CASE WHEN :'infinite_intervals'::boolean THEN 3 ELSE 1 END AS all_decoded,
       bool_and(r.data::jsonb->'new'->>'iv' = t.expected) AS written_as_expected,
       bool_and((jsonb_populate_record(NULL::types_iv, r.data::jsonb->'new')).iv = t.iv) AS reads_back
FROM pg_logical_slot_get_changes('types', NULL, NULL, 'include-transaction', '0') r
JOIN types_iv t ON t.id = (r.data::jsonb->'new'->>'id')::int;

SELECT pg_drop_replication_slot('types');
DROP TABLE types_t, types_json, types_vector, types_null, types_iv, as_inserted;
DROP TYPE mood, pair;
DROP DOMAIN posint, shorttext, intarr;
