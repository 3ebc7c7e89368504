-- Shared helpers for the pgcdc suite, and CREATE EXTENSION from day one.
SET synchronous_commit = on;

CREATE EXTENSION pgcdc;
-- Recorded in pg_catalog; its functions are in the schema pgcdc, which it creates (ext_setup).
SELECT extname, extversion, extnamespace::regnamespace AS schema FROM pg_extension WHERE extname = 'pgcdc';

CREATE SCHEMA pgcdc_test;

-- Replaces the values that differ from run to run: xid, lsn and ts of B and C records, and the
-- lsn of change records (include-lsn), which must still have the shape X/X to be masked.
CREATE FUNCTION pgcdc_test.mask(data text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN data ~ '^\{"op":"[BC]",' THEN
      regexp_replace(regexp_replace(data, '^(\{"op":"[BC]"),"xid":[0-9]+,', '\1,"xid":0,'),
                     ',"(lsn|ts)":"[^"]*"', ',"\1":"-"', 'g')
    ELSE regexp_replace(data, '^(\{"op":"[IUDTM]"),"lsn":"[0-9A-F]+/[0-9A-F]+"', '\1,"lsn":"-"')
  END
$$;

CREATE FUNCTION pgcdc_test.changes(slot name, VARIADIC options text[] DEFAULT '{}')
RETURNS SETOF text
LANGUAGE sql AS $$
  SELECT pgcdc_test.mask(data) FROM pg_logical_slot_get_changes(slot, NULL, NULL, VARIADIC options)
$$;

CREATE FUNCTION pgcdc_test.peek(slot name, VARIADIC options text[] DEFAULT '{}')
RETURNS SETOF text
LANGUAGE sql AS $$
  SELECT pgcdc_test.mask(data) FROM pg_logical_slot_peek_changes(slot, NULL, NULL, VARIADIC options)
$$;

-- The masking itself, so a broken mask cannot hide a broken record.
SELECT pgcdc_test.mask('{"op":"B","xid":741,"lsn":"0/1A2B3C8","ts":"2026-11-21T10:00:00.123456Z"}');
SELECT pgcdc_test.mask('{"op":"C","xid":741,"lsn":"0/1A2B4F0","ts":"2026-11-21T10:00:00Z","n":3}');
SELECT pgcdc_test.mask('{"op":"I","lsn":"16/B374D848","schema":"s","table":"t","new":{"ts":"x"}}');
SELECT pgcdc_test.mask('{"op":"I","lsn":"bogus","schema":"s","table":"t","new":{}}');
