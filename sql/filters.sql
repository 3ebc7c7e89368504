-- Table and column patterns: wildcards, escapes, case, exclusion over inclusion.
SET synchronous_commit = on;

CREATE SCHEMA app;
CREATE SCHEMA "Audit";
CREATE TABLE app.users (id int PRIMARY KEY, email text, password text, ssn text);
CREATE TABLE app.user_log (id int PRIMARY KEY);
CREATE TABLE app.orders (id int PRIMARY KEY, total int);
CREATE TABLE "Audit"."Events" (id int PRIMARY KEY);
CREATE TABLE app."odd.name, *" (id int PRIMARY KEY);
CREATE TABLE app.t1 (id int PRIMARY KEY);
CREATE TABLE app.t22 (id int PRIMARY KEY);
SELECT 'init' FROM pg_create_logical_replication_slot('filters', 'pgcdc');

INSERT INTO app.users VALUES (1, 'a@x', 'secret', '123');
UPDATE app.users SET email = 'b@x', password = 'new';
INSERT INTO app.user_log VALUES (1);
INSERT INTO app.orders VALUES (1, 10);
INSERT INTO "Audit"."Events" VALUES (1);
INSERT INTO app."odd.name, *" VALUES (1);
INSERT INTO app.t1 VALUES (1);
INSERT INTO app.t22 VALUES (1);

CREATE FUNCTION pgcdc_test.tables(VARIADIC options text[]) RETURNS SETOF text LANGUAGE sql AS $$
  SELECT DISTINCT (data::jsonb->>'schema') || '.' || (data::jsonb->>'table')
  FROM pg_logical_slot_peek_changes('filters', NULL, NULL, VARIADIC options || '{include-transaction,0}'::text[])
  ORDER BY 1
$$;

SELECT pgcdc_test.tables('include-tables', 'app.*');
SELECT pgcdc_test.tables('include-tables', 'app.user*');
SELECT pgcdc_test.tables('include-tables', 'app.t?');
SELECT pgcdc_test.tables('include-tables', 'app.t??, Audit.Events');
SELECT pgcdc_test.tables('include-tables', '*.*', 'exclude-tables', 'app.*');
SELECT pgcdc_test.tables('include-tables', 'audit.events');
SELECT pgcdc_test.tables('include-tables', 'app.odd\.name\,\ \*');
SELECT pgcdc_test.tables('include-tables', 'app.odd\.name\, *');
SELECT pgcdc_test.tables('include-tables', ' app . orders , app.t1 ');
SELECT pgcdc_test.tables('include-tables', 'app.users', 'exclude-tables', 'app.users');
SELECT pgcdc_test.tables('exclude-tables', 'app.*, Audit.*');

-- Excluded columns appear nowhere: not in new, key, types or unchanged.
SELECT * FROM pgcdc_test.peek('filters', 'include-tables', 'app.users', 'include-transaction', '0',
                              'exclude-columns', 'app.users.pass*, *.*.ssn', 'include-types', '1');
-- Excluding a key column leaves it out of "key" too.
SELECT * FROM pgcdc_test.peek('filters', 'include-tables', 'app.users', 'include-transaction', '0',
                              'exclude-columns', 'app.users.id', 'actions', 'update');

-- A renamed table is matched by its new name (the relation cache is invalidated).
SELECT count(*) AS consumed FROM pgcdc_test.changes('filters');
INSERT INTO app.orders VALUES (2, 20);
ALTER TABLE app.orders RENAME TO orders_2026;
INSERT INTO app.orders_2026 VALUES (3, 30);
ALTER SCHEMA app RENAME TO shop;
INSERT INTO shop.orders_2026 VALUES (4, 40);
SELECT * FROM pgcdc_test.changes('filters', 'include-tables', 'app.orders, app.orders_2026, shop.*',
                                 'include-transaction', '0');

SELECT pg_drop_replication_slot('filters');
DROP SCHEMA shop CASCADE;
DROP SCHEMA "Audit" CASCADE;
DROP FUNCTION pgcdc_test.tables;
