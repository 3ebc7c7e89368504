-- output_plugin_libraries (PostgreSQL 15.19+, 16.15+, 17.11+, 18.6+) is a comma-separated list
-- of names, double-quoted where needed and not case-folded (unlike an unquoted name in SET,
-- which the SQL parser folds). preflight (and slot_health) must read it as the server does:
-- each list below goes to both. Servers without the setting skip this (plugin_list_1.out).
SET synchronous_commit = on;
SELECT pgcdc_t.has_plugin_list() AS has_list \gset
\if :has_list
CREATE TEMP TABLE pl_lists (n int, list text, plugin text, allowed boolean);
INSERT INTO pl_lists VALUES
  (1, 'pgoutput, pgcdc', 'pgcdc', true),
  (2, 'pgoutput, PGCDC', 'pgcdc', false),
  (3, ' "pgcdc" ,x', 'pgcdc', true),
  (4, '"PgCdc", test_decoding', 'pgcdc', false),
  (5, '"PgCdc", test_decoding', 'test_decoding', true),
  (6, '"pgcdc,x", test_decoding', 'pgcdc', false),
  (7, '"pgcdc,x", test_decoding', 'test_decoding', true),
  (8, 'pgoutput', 'test_decoding', false);

-- How pgcdc.allowed_output_plugins() reads each list.
CREATE FUNCTION pg_temp.parsed(list text) RETURNS text[] LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('output_plugin_libraries', list, true);
  RETURN pgcdc.allowed_output_plugins();
END $$;
SELECT DISTINCT list, pg_temp.parsed(list) AS names FROM pl_lists ORDER BY list;

-- What preflight says (a superuser may set the list in a session).
CREATE FUNCTION pg_temp.preflight_allows(list text, plugin text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE result boolean;
BEGIN
  PERFORM set_config('output_plugin_libraries', list, true);
  SELECT p.status = 'ok' INTO result FROM pgcdc.preflight(plugin) AS p WHERE p."check" = 'output_plugin_libraries';
  RETURN result;
END $$;
SELECT n, list, plugin, allowed, pg_temp.preflight_allows(list, plugin) = allowed AS preflight_agrees
FROM pl_lists ORDER BY n;

-- What the server does: creates the slot (dropped at once), or refuses. One statement each, so
-- that a refused slot is cleaned up as after any error (inside a function it would be left).
SELECT format('SELECT %s AS n, set_config(''output_plugin_libraries'', %L, false) AS list', n, list),
       format('SELECT %L AS plugin, %L::boolean AS expected, count(pg_drop_replication_slot(slot_name)) = 1 AS created'
              || ' FROM pg_create_logical_replication_slot(''pl_probe'', %L, true)', plugin, allowed, plugin)
FROM pl_lists ORDER BY n \gexec
RESET output_plugin_libraries;
SELECT count(*) AS slots_left FROM pg_replication_slots;

-- The trap: ALTER SYSTEM SET output_plugin_libraries = 'pgoutput, pgcdc' (one string) stores a
-- single name, "pgoutput, pgcdc". preflight says so.
SELECT set_config('output_plugin_libraries', '"pgoutput, pgcdc"', false) AS list;
SELECT status, detail, hint FROM pgcdc.preflight() WHERE "check" = 'output_plugin_libraries';
RESET output_plugin_libraries;
\endif
