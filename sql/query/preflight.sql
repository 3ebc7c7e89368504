-- Pre-flight: can this server and this role run change data capture? One row per check
-- ("check", status ok, warning or error, detail, hint), in a fixed order; a hint says what to
-- change and quotes the error a consumer gets until then. The body of pgcdc.preflight() and of
-- the client's "pgcdc check"; it needs no extension, only reads, and sees settings as the
-- calling session does. Parameters, as pgcdc.preflight's, cast here so that a client may send
-- them as untyped text:
--   $1 plugin        text, the output plugin the consumer will use (not NULL)
--   $2 tables        regclass[] or NULL ('{orders,audit.events}': names resolve through the
--                    caller's search_path)
--   $3 publication   name or NULL
-- The captured tables are $2 plus the publication's tables, or with neither every permanent
-- table outside the system schemas; a partitioned table stands for its partitions (changes are
-- decoded per partition). Tables are named as format's %I.%I names them, whatever the caller's
-- search_path. What is listed but never decoded (a system catalog, a TOAST table, for pgoutput a
-- table initdb made) is reported as such and left out of the other checks.
WITH param AS (
  SELECT $1::text AS plugin, $2::regclass[] AS tables, $3::name AS publication,
         current_user AS me,
         -- Amazon RDS and Aurora define rds.logical_replication; elsewhere it is at most an
         -- empty placeholder.
         coalesce(current_setting('rds.logical_replication', true), '') <> '' AS on_rds
), allowed AS (
  --@include allowed_output_plugins.sql
), setting AS (
  -- pg_settings gives wal_sender_timeout in ms, max_slot_wal_keep_size in MB (-1: unlimited),
  -- logical_decoding_work_mem in kB. A streaming consumer occupies a wal sender (the SQL slot
  -- functions do not).
  SELECT current_setting('wal_level') AS wal_level,
         (SELECT count(*) FROM pg_replication_slots) AS slots,
         current_setting('max_replication_slots')::integer AS max_slots,
         (SELECT count(*) FROM pg_stat_replication) AS senders,
         current_setting('max_wal_senders')::integer AS max_senders,
         (SELECT g.setting::bigint FROM pg_settings AS g WHERE g.name = 'wal_sender_timeout') AS timeout_ms,
         (SELECT g.setting::bigint FROM pg_settings AS g WHERE g.name = 'max_slot_wal_keep_size') AS keep_mb,
         (SELECT g.setting::bigint FROM pg_settings AS g WHERE g.name = 'logical_decoding_work_mem') AS work_mem_kb
), who AS (
  -- REPLICATION is an attribute of the role itself, not inherited. pg_has_role() is NULL when
  -- there is no rds_replication role (RDS and Aurora have one).
  SELECT a.rolsuper, a.rolreplication,
         coalesce(pg_has_role(p.me, g.oid, 'MEMBER'), false) AS rds_member
  FROM param AS p JOIN pg_roles AS a ON a.rolname = p.me
  LEFT JOIN pg_roles AS g ON g.rolname = 'rds_replication'
), pub_table AS (
  SELECT c.oid
  FROM param AS p
  JOIN pg_publication_tables AS pt ON pt.pubname = p.publication
  JOIN pg_namespace AS n ON n.nspname = pt.schemaname
  JOIN pg_class AS c ON c.relnamespace = n.oid AND c.relname = pt.tablename
), pub AS (
  SELECT pb.puballtables, (SELECT count(*) FROM pub_table) AS n,
         array_to_string(ARRAY[CASE WHEN pb.pubinsert THEN 'insert' END,
                               CASE WHEN pb.pubupdate THEN 'update' END,
                               CASE WHEN pb.pubdelete THEN 'delete' END,
                               CASE WHEN pb.pubtruncate THEN 'truncate' END], ', ') AS actions
  FROM param AS p JOIN pg_publication AS pb ON pb.pubname = p.publication
), captured AS (
  -- Two OID limits of PostgreSQL's (access/transam.h) decide what can never reach a consumer:
  -- below FirstUnpinnedObjectId, 12000, a relation is a system catalog (or a catalog's TOAST
  -- table), which logical decoding never decodes (IsCatalogRelationOid()); below
  -- FirstNormalObjectId, 16384, it was made by initdb (information_schema's tables too), and
  -- pgoutput never publishes it, even when a publication lists it (is_publishable_class()).
  -- Other plugins, pgcdc among them, do decode information_schema's tables.
  SELECT c.oid, c.relkind, c.relpersistence, format('%I.%I', n.nspname, c.relname) AS name,
         c.oid < 12000 AS system_catalog,
         p.plugin = 'pgoutput' AND c.oid < 16384 AS unpublishable,
         (SELECT format('%I.%I', o_n.nspname, o.relname)
          FROM pg_class AS o JOIN pg_namespace AS o_n ON o_n.oid = o.relnamespace
          WHERE c.relkind = 't' AND o.reltoastrelid = c.oid) AS toast_of
  FROM param AS p, pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
  WHERE CASE WHEN p.tables IS NULL AND p.publication IS NULL
             THEN c.relkind IN ('r', 'p') AND c.relpersistence = 'p'
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
             ELSE c.oid = ANY (p.tables::oid[]) OR c.oid IN (SELECT t.oid FROM pub_table AS t) END
), leaf AS (
  -- From here on: permanent plain tables that are decoded, a partitioned table's partitions
  -- standing in for it.
  SELECT c.oid, c.relname, c.relreplident, n.nspname, format('%I.%I', n.nspname, c.relname) AS name,
         has_table_privilege(p.me, c.oid, 'SELECT') AS readable
  FROM (SELECT k.oid FROM captured AS k
        WHERE k.relkind = 'r' AND NOT k.system_catalog AND NOT k.unpublishable
        UNION
        SELECT tree.relid::oid FROM captured AS k, pg_partition_tree(k.oid) AS tree
        WHERE k.relkind = 'p') AS l
  JOIN pg_class AS c ON c.oid = l.oid
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
  CROSS JOIN param AS p
  WHERE c.relkind = 'r' AND c.relpersistence = 'p'
), published AS (
  -- the captured tables whose UPDATE and DELETE a publication publishes (FOR ALL TABLES: all)
  SELECT l.oid
  FROM leaf AS l
  JOIN pg_publication_tables AS pt ON pt.schemaname = l.nspname AND pt.tablename = l.relname
  JOIN pg_publication AS pb ON pb.pubname = pt.pubname
  WHERE pb.pubupdate OR pb.pubdelete
  UNION
  SELECT l.oid
  FROM leaf AS l JOIN pg_publication AS pb ON pb.puballtables AND (pb.pubupdate OR pb.pubdelete)
), keyless AS (
  -- Without a usable replica identity an UPDATE or DELETE record carries no key; in a
  -- publication that publishes them, PostgreSQL refuses the UPDATE or DELETE itself.
  SELECT l.name, l.relname, l.relreplident, l.oid IN (SELECT b.oid FROM published AS b) AS published
  FROM leaf AS l
  WHERE NOT (l.relreplident = 'f'
             OR (l.relreplident = 'd'
                 AND EXISTS (SELECT FROM pg_index AS i WHERE i.indrelid = l.oid AND i.indisprimary))
             OR (l.relreplident = 'i'
                 AND EXISTS (SELECT FROM pg_index AS i WHERE i.indrelid = l.oid AND i.indisreplident)))
), tally AS (
  SELECT count(*) AS tables, count(*) FILTER (WHERE NOT l.readable) AS unreadable,
         (SELECT count(*) FROM keyless) AS keyless
  FROM leaf AS l
), checks (ord, item, "check", problem, detail, hint) AS (
  -- problem is the status of a check that fails, NULL when it passes (and then no hint).
  -- First the settings and the role, one row each.
  SELECT v.ord, '', v."check", v.problem, v.detail, v.hint
  FROM param AS p CROSS JOIN allowed AS a CROSS JOIN setting AS s
  LEFT JOIN who AS w ON true  -- (a session's role can have been dropped under it)
  LEFT JOIN pub ON true
  CROSS JOIN LATERAL (
    SELECT a.plugins IS NULL OR p.plugin = ANY (a.plugins) AS plugin_ok,
           coalesce(w.rolsuper OR w.rolreplication OR (w.rds_member AND p.on_rds), false)
             AS can_replicate
  ) AS x
  CROSS JOIN LATERAL (VALUES
    (1, 'wal_level', CASE WHEN s.wal_level <> 'logical' THEN 'error' END,
     format('wal_level is %s', s.wal_level),
     'Set wal_level = logical and restart the server (on Amazon RDS and Aurora: set'
     || ' rds.logical_replication = 1 in the parameter group and reboot); until then creating'
     || ' a slot fails with "ERROR: logical decoding requires wal_level >= logical".'),
    (2, 'replication_slots', CASE WHEN s.slots >= s.max_slots THEN 'error' END,
     format('%s of max_replication_slots = %s in use', s.slots, s.max_slots),
     CASE WHEN s.max_slots = 0 THEN
       'Set max_replication_slots (it needs a restart); until then creating a slot fails with'
       || ' "ERROR: replication slots can only be used if max_replication_slots > 0".'
     ELSE
       'Drop unused slots (see pgcdc.slot_health() and pgcdc.drop_stale_slots()) or raise'
       || ' max_replication_slots (it needs a restart); until then creating a slot fails with'
       || ' "ERROR: all replication slots are in use".' END),
    (3, 'wal_senders', CASE WHEN s.senders >= s.max_senders THEN 'error' END,
     format('%s of max_wal_senders = %s in use', s.senders, s.max_senders),
     'Raise max_wal_senders (it needs a restart) or close an unused replication connection;'
     || ' until then a streaming consumer fails with "FATAL: number of requested standby'
     || ' connections exceeds max_wal_senders".'),
    (4, 'output_plugin_libraries',
     CASE WHEN NOT a.known THEN 'warning' WHEN NOT x.plugin_ok THEN 'error' END,
     CASE WHEN NOT a.known THEN
       format('role "%s" may not read output_plugin_libraries, so whether this server lets slots'
              || ' use %s is not known', p.me, p.plugin)
     WHEN a.plugins IS NULL THEN
       'this server has no output_plugin_libraries setting: every installed output plugin may be used'
     ELSE format('output_plugin_libraries is ''%s'', which %s %s', a.setting,
                 CASE WHEN x.plugin_ok THEN 'lists' ELSE 'does not list' END, p.plugin) END,
     CASE WHEN NOT a.known THEN
       'Run the check as a role that may read the setting (superusers and members of'
       || ' pg_read_all_settings, which pg_monitor is; on Amazon RDS and Aurora, rds_superuser) or'
       || ' GRANT pg_read_all_settings to this one. On Aurora and RDS it allows pgoutput,'
       || ' test_decoding and wal2json.'
     ELSE
       format('Add %s to output_plugin_libraries and reload the configuration; until then'
            || ' creating or reading a slot fails with "ERROR: library \"%s\" may not be used as'
            || ' an output plugin".', quote_ident(p.plugin), p.plugin)
     -- The trap of list settings: ALTER SYSTEM SET x = 'a, b' makes one name, "a, b".
     || CASE WHEN EXISTS (SELECT FROM unnest(a.plugins) AS u(name) WHERE u.name LIKE '%,%') THEN
          ' The setting holds a single quoted name with commas in it: give the names as a list,'
          || ' ALTER SYSTEM SET output_plugin_libraries = pgoutput, ' || quote_ident(p.plugin)
          || ' (not one quoted string).'
        ELSE '' END END),
    (5, 'replication_privilege', CASE WHEN NOT x.can_replicate THEN 'error' END,
     CASE WHEN w.rolsuper THEN format('role "%s" is a superuser', p.me)
          WHEN w.rolreplication THEN format('role "%s" has the REPLICATION attribute', p.me)
          WHEN w.rds_member AND p.on_rds THEN
            format('role "%s" is a member of rds_replication (Amazon RDS and Aurora)', p.me)
          WHEN w.rds_member THEN
            format('role "%s" lacks the REPLICATION attribute; it is a member of rds_replication,'
                   || ' but that role grants replication only on Amazon RDS and Aurora', p.me)
          ELSE format('role "%s" is not a superuser and lacks the REPLICATION attribute', p.me) END,
     format('ALTER ROLE %1$I WITH REPLICATION (on Amazon RDS and Aurora: GRANT rds_replication'
            || ' TO %1$I); until then connecting fails with "FATAL: must be superuser or'
            || ' replication role to start walsender" and the slot functions with "ERROR: must'
            || ' be superuser or replication role to use replication slots".', p.me)),
    -- Under 10s is short for a consumer.
    (6, 'wal_sender_timeout', CASE WHEN s.timeout_ms < 10000 THEN 'warning' END,
     CASE WHEN s.timeout_ms = 0 THEN
       'wal_sender_timeout is 0: a consumer that vanishes without closing its connection keeps'
       || ' its slot active, and its WAL retained, until the operating system drops the connection'
     WHEN s.timeout_ms < 10000 THEN
       format('wal_sender_timeout is %s: a consumer that sends no feedback for that long is'
              || ' disconnected', current_setting('wal_sender_timeout'))
     ELSE format('wal_sender_timeout is %s', current_setting('wal_sender_timeout')) END,
     CASE WHEN s.timeout_ms = 0 THEN
       'Set wal_sender_timeout (default 60s) so that dead consumers are disconnected and their'
       || ' slots become inactive.'
     ELSE
       'Raise wal_sender_timeout (default 60s); a busy consumer is otherwise cut off with'
       || ' "terminating walsender process due to replication timeout".' END),
    (7, 'max_slot_wal_keep_size', CASE WHEN s.keep_mb < 0 THEN 'warning' END,
     CASE WHEN s.keep_mb < 0 THEN
       'max_slot_wal_keep_size is -1 (unlimited): a slot nobody reads retains WAL until the disk is full'
     ELSE format('max_slot_wal_keep_size is %s: a slot retaining more WAL is invalidated'
                 || ' (wal_status lost) instead of filling the disk',
                 current_setting('max_slot_wal_keep_size')) END,
     'Set max_slot_wal_keep_size below the free space of the WAL volume (a reload is enough);'
     || ' a slot that falls further behind is then lost, rather than the whole server.'),
    -- Below the default 64MB, decoding spills to disk sooner.
    (8, 'logical_decoding_work_mem', CASE WHEN s.work_mem_kb < 65536 THEN 'warning' END,
     format('logical_decoding_work_mem is %s', current_setting('logical_decoding_work_mem'))
     || CASE WHEN s.work_mem_kb < 65536 THEN
          ': decoding spills each transaction larger than that to disk (pg_replslot)' ELSE '' END,
     'Raise logical_decoding_work_mem (default 64MB); the spill counters of pgcdc.slot_health()'
     || ' show how often decoding spills.'),
    -- Only when a publication is named, or pgoutput is used without one (see below).
    (9, 'publication',
     CASE WHEN p.publication IS NULL THEN 'warning' WHEN pub.n IS NULL THEN 'error' END,
     CASE WHEN p.publication IS NULL THEN
       'pgoutput streams the tables of the publications its consumer names, and none was given'
     WHEN pub.n IS NULL THEN format('publication "%s" does not exist', p.publication)
     ELSE format('publication "%s" publishes %s (%s)', p.publication,
                 CASE WHEN pub.puballtables THEN 'all tables' ELSE pub.n || ' table(s)' END,
                 pub.actions) END,
     CASE WHEN p.publication IS NULL THEN
       'Pass publication => ''name'' to check that publication and its tables.'
     ELSE format('CREATE PUBLICATION %I FOR TABLE ...; until then pgoutput fails with "ERROR:'
                 || ' publication \"%s\" does not exist".', p.publication, p.publication) END)
  ) AS v(ord, "check", problem, detail, hint)
  WHERE v."check" <> 'publication' OR p.publication IS NOT NULL OR p.plugin = 'pgoutput'
  -- Then the captured tables: one row per problem, by name; replica_identity and
  -- table_privilege sum up in one row when there is none.
  UNION ALL
  -- A listed relation whose changes no consumer can ever get, whatever is done to it, is an
  -- error, as a view is: CREATE PUBLICATION refuses both alike.
  SELECT 10, k.name, 'captured_tables', 'error',
         CASE WHEN k.relkind = 't' AND k.system_catalog THEN
                format('%s is the TOAST table of the system catalog %s: logical decoding never'
                       || ' decodes either', k.name, coalesce(k.toast_of, 'that it belongs to'))
              WHEN k.relkind = 't' THEN
                format('%s is the TOAST table of %s: its values are decoded with the changes of'
                       || ' that table, never on their own', k.name, coalesce(k.toast_of, 'a table'))
              WHEN k.relkind NOT IN ('r', 'p') THEN format('%s is not a table', k.name)
              WHEN k.system_catalog THEN
                format('%s is a system catalog: logical decoding never decodes its changes,'
                       || ' whatever the output plugin', k.name)
              ELSE format('%s was created by initdb: pgoutput never publishes its changes, even'
                          || ' when a publication lists it', k.name) END,
         CASE WHEN k.relkind = 't' AND NOT k.system_catalog AND k.toast_of IS NOT NULL THEN
                format('List %s instead.', k.toast_of)
              WHEN k.system_catalog THEN
                'Remove it from the tables to capture: changes to system catalogs, DDL among them,'
                || ' reach no consumer. To follow DDL, emit a transactional logical message from an'
                || ' event trigger on ddl_command_end (pg_logical_emit_message(true, ...)); the'
                || ' consumer receives it in order with the changes.'
              WHEN k.relkind NOT IN ('r', 'p') THEN 'List tables and partitioned tables only.'
              ELSE 'Copy what you need into a table of your own, or use an output plugin that'
                   || ' decodes it (pgcdc does).' END
  FROM captured AS k WHERE k.relkind NOT IN ('r', 'p') OR k.system_catalog OR k.unpublishable
  UNION ALL
  SELECT 11, k.name, 'captured_tables', 'warning',
         format('%s is %s: its changes are not written to WAL and never reach a slot', k.name,
                CASE k.relpersistence WHEN 'u' THEN 'unlogged' ELSE 'temporary' END),
         'Capture permanent tables (ALTER TABLE ... SET LOGGED makes an unlogged one permanent).'
  FROM captured AS k
  WHERE k.relkind IN ('r', 'p') AND k.relpersistence <> 'p' AND NOT k.system_catalog
    AND NOT k.unpublishable
  UNION ALL
  SELECT 12, i.name, 'replica_identity', CASE WHEN i.published THEN 'error' ELSE 'warning' END,
         format('%s has %s: its UPDATE and DELETE changes carry no key', i.name,
                CASE i.relreplident
                  WHEN 'n' THEN 'REPLICA IDENTITY NOTHING'
                  WHEN 'i' THEN 'REPLICA IDENTITY USING INDEX, but that index is gone'
                  ELSE 'no primary key (and REPLICA IDENTITY DEFAULT)' END),
         format('Add a primary key, or ALTER TABLE %s REPLICA IDENTITY FULL (or USING INDEX on a'
                || ' unique index of NOT NULL columns)%s', i.name,
                CASE WHEN i.published THEN
                  format('; until then, since a publication publishes its updates or deletes, an'
                         || ' UPDATE fails with "ERROR: cannot update table \"%s\" because it does'
                         || ' not have a replica identity and publishes updates".', i.relname)
                ELSE '.' END)
  FROM keyless AS i
  UNION ALL
  SELECT 12, '', 'replica_identity', CASE WHEN t.tables = 0 THEN 'warning' END,
         CASE WHEN t.tables = 0 THEN 'no permanent tables to capture'
              ELSE format('all %s captured table(s) have a primary key or a usable replica identity',
                          t.tables) END,
         NULL
  FROM tally AS t WHERE t.keyless = 0
  UNION ALL
  -- An initial snapshot reads the tables with SELECT.
  SELECT 13, l.name, 'table_privilege', 'warning',
         format('role "%s" cannot read %s: a snapshot of it fails with "ERROR: permission denied'
                || ' for table %s"', p.me, l.name, l.relname),
         format('GRANT SELECT ON %s TO %I (or GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I).',
                l.name, p.me, l.nspname, p.me)
  FROM leaf AS l CROSS JOIN param AS p WHERE NOT l.readable
  UNION ALL
  SELECT 13, '', 'table_privilege', NULL,
         format('role "%s" can read all %s captured table(s)', p.me, t.tables), NULL
  FROM tally AS t CROSS JOIN param AS p WHERE t.tables > 0 AND t.unreadable = 0
)
SELECT c."check", coalesce(c.problem, 'ok') AS status, c.detail,
       CASE WHEN c.problem IS NOT NULL THEN c.hint END AS hint
FROM checks AS c
ORDER BY c.ord, c.item COLLATE "default"
