-- pgcdc 1.0: install script.
--
-- The output plugin needs no SQL objects (a slot names the library: 'pgcdc'). The extension
-- creates the schema pgcdc (from the control file) and the functions that keep replication slots
-- from hurting the server: a slot nobody reads pins WAL until the disk fills and pins catalog_xmin
-- until vacuum falls behind.
--
-- Conventions, for every function below:
--   * it runs as the caller (never SECURITY DEFINER) with search_path pinned to pg_catalog, so the
--     server's own permission checks apply and no caller-controlled object can be picked up;
--   * it builds no SQL: slot, table, role and publication names are only ever compared as
--     values (names in hints, SQL for the reader to run, are quoted with format's %I);
--   * EXECUTE is revoked from PUBLIC; the read-only ones are granted to pg_monitor, the ones that
--     change state (drop_stale_slots, advance_slot, heartbeat) are left for an administrator to
--     grant, and dropping or advancing a slot still needs superuser or the REPLICATION attribute;
--   * views that differ between PostgreSQL 14 and 18 are read through to_jsonb(row), so a column
--     a release lacks (pg_replication_slots.inactive_since before 17) reads as NULL.

\echo Use "CREATE EXTENSION pgcdc" to load this file. \quit

COMMENT ON SCHEMA pgcdc IS 'pgcdc: change data capture helpers';
-- Access is decided per function; a role without EXECUTE gets "permission denied for function".
GRANT USAGE ON SCHEMA pgcdc TO PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- allowed_output_plugins: the names in output_plugin_libraries
-- ---------------------------------------------------------------------------------------------
-- PostgreSQL 15.19, 16.15, 17.11, 18.6 and later only let logical slots use the output plugins
-- this setting lists: a comma-separated list of names, double-quoted where needed, not
-- case-folded (like shared_preload_libraries). NULL on servers without the setting, where every
-- installed plugin may be used.
CREATE FUNCTION pgcdc.allowed_output_plugins()
RETURNS text[]
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN current_setting('output_plugin_libraries', true) IS NOT NULL THEN ARRAY(
           SELECT CASE WHEN m[1] LIKE '"%' THEN replace(substr(m[1], 2, length(m[1]) - 2), '""', '"')
                       ELSE btrim(m[1]) END
           FROM regexp_matches(current_setting('output_plugin_libraries', true),
                               '\s*("(?:[^"]|"")*"|[^,"\s][^,]*)\s*(?:,|$)', 'g') AS m) END
$$;

COMMENT ON FUNCTION pgcdc.allowed_output_plugins() IS
  'the output plugins output_plugin_libraries allows, or NULL on servers without that setting';

-- ---------------------------------------------------------------------------------------------
-- slot_health: one row per replication slot, with a verdict and the reasons for it
-- ---------------------------------------------------------------------------------------------
-- Thresholds are parameters; NULL switches a check off. Defaults:
--   retained WAL: warning from 1GB (the default max_wal_size: beyond it the slot, not
--     checkpoints, decides what stays in pg_wal), critical from 10GB;
--   lag (WAL not yet confirmed by the consumer): warning from 256MB; no critical level by
--     default, since lag does harm only through the WAL it retains, which has its own thresholds;
--   xmin and catalog_xmin age: warning from 200 million transactions (the default
--     autovacuum_freeze_max_age: anti-wraparound vacuums start and cannot freeze past the slot),
--     critical from 1 billion (half way to the 2^31 wraparound limit);
--   an inactive slot retaining 16MB (a whole default WAL segment) or more: warning;
--   wal_status unreserved (its WAL goes at the next checkpoint) or lost: critical.
-- "Current position" is pg_current_wal_lsn(), on a standby pg_last_wal_replay_lsn().
CREATE FUNCTION pgcdc.slot_health(
    retained_warning bigint DEFAULT pg_size_bytes('1GB'),
    retained_critical bigint DEFAULT pg_size_bytes('10GB'),
    lag_warning bigint DEFAULT pg_size_bytes('256MB'),
    lag_critical bigint DEFAULT NULL,
    xmin_age_warning bigint DEFAULT 200000000,
    xmin_age_critical bigint DEFAULT 1000000000,
    inactive_retained_warning bigint DEFAULT pg_size_bytes('16MB'),
    critical_wal_status text[] DEFAULT '{unreserved,lost}')
RETURNS TABLE (
    slot_name name,
    plugin name,
    slot_type text,
    database name,
    temporary boolean,
    active boolean,
    active_pid integer,
    restart_lsn pg_lsn,
    confirmed_flush_lsn pg_lsn,
    retained_bytes bigint,
    lag_bytes bigint,
    wal_status text,
    safe_wal_size bigint,
    catalog_xmin_age integer,
    xmin_age integer,
    spill_txns bigint,
    spill_count bigint,
    spill_bytes bigint,
    stream_txns bigint,
    stream_count bigint,
    stream_bytes bigint,
    total_txns bigint,
    total_bytes bigint,
    inactive_since timestamptz,
    status text,
    reasons text[])
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
  WITH pos AS (
    SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                ELSE pg_current_wal_lsn() END AS lsn
  ), allowed AS (
    SELECT pgcdc.allowed_output_plugins() AS plugins
  ), s AS (
    SELECT r.slot_name, r.plugin, r.slot_type, r.database, r.temporary, r.active, r.active_pid,
           r.restart_lsn, r.confirmed_flush_lsn, r.wal_status, r.safe_wal_size,
           pg_wal_lsn_diff(pos.lsn, r.restart_lsn)::bigint AS retained,
           CASE WHEN r.slot_type = 'logical'
                THEN pg_wal_lsn_diff(pos.lsn, r.confirmed_flush_lsn)::bigint END AS lag,
           age(r.catalog_xmin) AS catalog_age,
           age(r.xmin) AS data_age,
           (to_jsonb(r) ->> 'inactive_since')::timestamptz AS inactive_at,
           to_jsonb(r) ->> 'invalidation_reason' AS invalidated_by,
           r.plugin <> ALL (allowed.plugins) AS plugin_refused
    FROM pg_replication_slots AS r CROSS JOIN pos CROSS JOIN allowed
  )
  SELECT s.slot_name, s.plugin, s.slot_type, s.database, s.temporary, s.active, s.active_pid,
         s.restart_lsn, s.confirmed_flush_lsn, s.retained, s.lag, s.wal_status, s.safe_wal_size,
         s.catalog_age, s.data_age,
         st.spill_txns, st.spill_count, st.spill_bytes, st.stream_txns, st.stream_count,
         st.stream_bytes, st.total_txns, st.total_bytes,
         s.inactive_at, v.status, v.reasons
  FROM s
  LEFT JOIN pg_stat_replication_slots AS st ON st.slot_name = s.slot_name
  CROSS JOIN LATERAL (
    -- One row per check: level 2 is critical, 1 a warning, NULL passed.
    SELECT CASE max(c.level) WHEN 2 THEN 'critical' WHEN 1 THEN 'warning' ELSE 'ok' END AS status,
           coalesce(array_agg(c.reason ORDER BY c.ord) FILTER (WHERE c.level IS NOT NULL),
                    '{}') AS reasons
    FROM (VALUES
      (1, CASE WHEN s.wal_status = ANY (slot_health.critical_wal_status) THEN 2 END,
       CASE s.wal_status
         WHEN 'lost' THEN
           'wal_status is lost' || coalesce(' (' || s.invalidated_by || ')', '')
           || ': the slot was invalidated and can never be read again; drop and recreate it'
         WHEN 'unreserved' THEN
           'wal_status is unreserved: it retains more than max_slot_wal_keep_size, and the WAL'
           || ' it needs is removed at the next checkpoint unless its consumer catches up'
         ELSE format('wal_status is %s', s.wal_status)
       END),
      (2, CASE WHEN s.retained >= slot_health.retained_critical THEN 2
               WHEN s.retained >= slot_health.retained_warning THEN 1 END,
       format('retains %s of WAL (%s)', pg_size_pretty(s.retained),
              CASE WHEN s.retained >= slot_health.retained_critical
                   THEN 'critical from ' || pg_size_pretty(slot_health.retained_critical)
                   ELSE 'warning from ' || pg_size_pretty(slot_health.retained_warning) END)),
      (3, CASE WHEN s.lag >= slot_health.lag_critical THEN 2
               WHEN s.lag >= slot_health.lag_warning THEN 1 END,
       format('its consumer has not confirmed the last %s of WAL (%s)', pg_size_pretty(s.lag),
              CASE WHEN s.lag >= slot_health.lag_critical
                   THEN 'critical from ' || pg_size_pretty(slot_health.lag_critical)
                   ELSE 'warning from ' || pg_size_pretty(slot_health.lag_warning) END)),
      -- An invalidated slot still shows its old xmins, but they no longer hold vacuum back.
      (4, CASE WHEN s.wal_status IS DISTINCT FROM 'lost' THEN
            CASE WHEN s.catalog_age >= slot_health.xmin_age_critical THEN 2
                 WHEN s.catalog_age >= slot_health.xmin_age_warning THEN 1 END END,
       format('catalog_xmin is %s transactions old, %s%% of the way to the wraparound limit:'
              || ' vacuum cannot remove catalog rows deleted since (%s)', s.catalog_age,
              round(100.0 * s.catalog_age / 2147483648, 1),
              CASE WHEN s.catalog_age >= slot_health.xmin_age_critical
                   THEN 'critical from ' || slot_health.xmin_age_critical
                   ELSE 'warning from ' || slot_health.xmin_age_warning END)),
      (5, CASE WHEN s.wal_status IS DISTINCT FROM 'lost' THEN
            CASE WHEN s.data_age >= slot_health.xmin_age_critical THEN 2
                 WHEN s.data_age >= slot_health.xmin_age_warning THEN 1 END END,
       format('xmin is %s transactions old, %s%% of the way to the wraparound limit:'
              || ' vacuum cannot remove rows deleted since (%s)', s.data_age,
              round(100.0 * s.data_age / 2147483648, 1),
              CASE WHEN s.data_age >= slot_health.xmin_age_critical
                   THEN 'critical from ' || slot_health.xmin_age_critical
                   ELSE 'warning from ' || slot_health.xmin_age_warning END)),
      (6, CASE WHEN NOT s.active AND s.retained >= slot_health.inactive_retained_warning THEN 1 END,
       format('inactive, and retains %s of WAL that nobody is reading (warning from %s)',
              pg_size_pretty(s.retained), pg_size_pretty(slot_health.inactive_retained_warning))),
      (7, CASE WHEN s.slot_type = 'logical' AND s.plugin_refused THEN 2 END,
       format('its output plugin %s is not listed in output_plugin_libraries, so the slot'
              || ' cannot be read', s.plugin))
    ) AS c(ord, level, reason)
  ) AS v
  ORDER BY s.slot_name
$$;

COMMENT ON FUNCTION pgcdc.slot_health(bigint, bigint, bigint, bigint, bigint, bigint, bigint, text[]) IS
  'one row per replication slot: retention, lag, xmin ages, decoding counters, and a verdict (ok, warning, critical) with reasons';

-- ---------------------------------------------------------------------------------------------
-- metrics: the figures Aurora publishes to CloudWatch, computed locally under the same names
-- ---------------------------------------------------------------------------------------------
--   OldestReplicationSlotLag   bytes of WAL retained by the worst slot (0 without slots)
--   ReplicationSlotDiskUsage   WAL retained by all slots together, in whole segment files from
--                              the oldest restart_lsn to the current segment
--   TransactionLogsDiskUsage   size of pg_wal; NULL when the caller may not run pg_ls_waldir()
--                              (it needs pg_monitor or superuser)
--   ReplicationSlots, InactiveReplicationSlots, MaxReplicationSlots, WalSenders, MaxWalSenders
CREATE FUNCTION pgcdc.metrics()
RETURNS TABLE (metric text, value bigint, unit text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  pos pg_lsn := CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                     ELSE pg_current_wal_lsn() END;
  segment_size bigint := pg_size_bytes(current_setting('wal_segment_size'));
  oldest pg_lsn;
  slots bigint;
  inactive_slots bigint;
  senders bigint;
  wal_dir_size bigint;
BEGIN
  SELECT min(r.restart_lsn), count(*), count(*) FILTER (WHERE NOT r.active)
    INTO oldest, slots, inactive_slots
  FROM pg_replication_slots AS r;

  SELECT count(*) INTO senders FROM pg_stat_replication;

  -- Not a failure when the caller lacks the privilege: the figure is simply unknown to them.
  IF has_function_privilege('pg_catalog.pg_ls_waldir()', 'EXECUTE') THEN
    SELECT coalesce(sum(w.size), 0) INTO wal_dir_size FROM pg_ls_waldir() AS w;
  END IF;

  RETURN QUERY VALUES
    ('OldestReplicationSlotLag', coalesce(pg_wal_lsn_diff(pos, oldest)::bigint, 0), 'Bytes'),
    ('ReplicationSlotDiskUsage',
     coalesce((div(pg_wal_lsn_diff(pos, '0/0'), segment_size)
               - div(pg_wal_lsn_diff(oldest, '0/0'), segment_size) + 1)::bigint * segment_size, 0),
     'Bytes'),
    ('TransactionLogsDiskUsage', wal_dir_size, 'Bytes'),
    ('ReplicationSlots', slots, 'Count'),
    ('InactiveReplicationSlots', inactive_slots, 'Count'),
    ('MaxReplicationSlots', current_setting('max_replication_slots')::bigint, 'Count'),
    ('WalSenders', senders, 'Count'),
    ('MaxWalSenders', current_setting('max_wal_senders')::bigint, 'Count');
END
$$;

COMMENT ON FUNCTION pgcdc.metrics() IS
  'OldestReplicationSlotLag, ReplicationSlotDiskUsage, TransactionLogsDiskUsage (as Aurora names them), slot and wal sender counts';

-- ---------------------------------------------------------------------------------------------
-- drop_stale_slots: drop (or, by default, only list) slots nobody reads
-- ---------------------------------------------------------------------------------------------
-- A slot is considered when its name matches slot_name_like (LIKE), it is logical (physical
-- ones only with include_physical), and it retains at least min_retained_bytes of WAL or is
-- lost. Each one comes back with its action:
--   'would drop' (dry run) / 'dropped'  inactive, and inactive for min_inactive or longer;
--   'skipped'                           active (in use: never dropped), inactive for less than
--                                       min_inactive, inactive for an unknown time (before
--                                       PostgreSQL 17 there is no inactive_since, so pass
--                                       min_inactive => NULL there), or it became active or was
--                                       dropped by someone else between the check and the drop.
-- Dropping needs superuser or REPLICATION (checked first, so nothing is half done); each drop
-- and each skip of a real run is written to the server log. Drops are not transactional: a
-- rollback of the calling transaction does not bring a slot back.
CREATE FUNCTION pgcdc.drop_stale_slots(
    min_retained_bytes bigint,
    min_inactive interval,
    dry_run boolean DEFAULT true,
    include_physical boolean DEFAULT false,
    slot_name_like text DEFAULT '%')
RETURNS TABLE (
    slot_name name,
    slot_type text,
    database name,
    retained_bytes bigint,
    inactive_since timestamptz,
    action text,
    reason text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  pos pg_lsn;
  s record;
  why text;
BEGIN
  IF min_retained_bytes IS NULL OR dry_run IS NULL OR include_physical IS NULL
     OR slot_name_like IS NULL THEN
    RAISE EXCEPTION 'min_retained_bytes, dry_run, include_physical and slot_name_like must not be null'
      USING ERRCODE = 'null_value_not_allowed',
            HINT = 'Pass min_retained_bytes => 0 to consider inactive slots whatever WAL they retain.';
  END IF;
  IF NOT dry_run AND NOT EXISTS (SELECT FROM pg_roles AS a
                                 WHERE a.rolname = current_user AND (a.rolsuper OR a.rolreplication)) THEN
    RAISE EXCEPTION 'permission denied to drop replication slots'
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'Only superusers and roles with the REPLICATION attribute may drop replication slots.',
            HINT = 'Use dry_run => true to see what would be dropped.';
  END IF;

  pos := CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END;

  FOR s IN
    SELECT r.slot_name, r.slot_type, r.database, r.active, r.wal_status,
           pg_wal_lsn_diff(pos, r.restart_lsn)::bigint AS retained,
           (to_jsonb(r) ->> 'inactive_since')::timestamptz AS inactive_at
    FROM pg_replication_slots AS r
    WHERE r.slot_name LIKE drop_stale_slots.slot_name_like
      AND (r.slot_type = 'logical' OR drop_stale_slots.include_physical)
      AND (pg_wal_lsn_diff(pos, r.restart_lsn) >= drop_stale_slots.min_retained_bytes
           OR r.wal_status = 'lost')
    ORDER BY r.slot_name
  LOOP
    slot_name := s.slot_name;
    slot_type := s.slot_type;
    database := s.database;
    retained_bytes := s.retained;
    inactive_since := s.inactive_at;
    why := CASE WHEN s.wal_status = 'lost'
                THEN 'lost: the WAL it needs has been removed, it can never be read again'
                ELSE format('inactive and retaining %s of WAL (min_retained_bytes %s)',
                            pg_size_pretty(s.retained), pg_size_pretty(min_retained_bytes)) END;
    action := 'skipped';

    IF s.active THEN
      reason := 'active: a consumer is using it';
    ELSIF min_inactive > interval '0' AND s.inactive_at IS NULL THEN
      reason := 'inactive for an unknown time: pg_replication_slots.inactive_since needs'
                || ' PostgreSQL 17 (pass min_inactive => NULL to decide on retained WAL alone)';
    ELSIF min_inactive > interval '0' AND now() - s.inactive_at < min_inactive THEN
      reason := format('inactive for less than min_inactive (%s)', min_inactive);
    ELSIF dry_run THEN
      action := 'would drop';
      reason := why;
    ELSE
      BEGIN
        PERFORM pg_drop_replication_slot(s.slot_name);
        action := 'dropped';
        reason := why;
        RAISE LOG USING
          MESSAGE = format('pgcdc: dropped replication slot "%s"', s.slot_name),
          DETAIL = format('The %s slot%s was %s; dropped by role "%s" with pgcdc.drop_stale_slots().',
                          s.slot_type, ' of database "' || s.database || '"', why, current_user);
      EXCEPTION
        WHEN object_in_use THEN
          reason := 'became active before it could be dropped';
        WHEN undefined_object THEN
          reason := 'was dropped by another session in the meantime';
      END;
      IF action = 'skipped' THEN
        RAISE LOG USING
          MESSAGE = format('pgcdc: did not drop replication slot "%s": it %s', s.slot_name, reason);
      END IF;
    END IF;
    RETURN NEXT;
  END LOOP;
END
$$;

COMMENT ON FUNCTION pgcdc.drop_stale_slots(bigint, interval, boolean, boolean, text) IS
  'drops (dry_run => false) or lists inactive slots retaining at least min_retained_bytes of WAL, and lost slots; never drops an active slot';

-- ---------------------------------------------------------------------------------------------
-- advance_slot: a deliberate, logged skip of a slot's backlog
-- ---------------------------------------------------------------------------------------------
-- The slot's consumer never receives the changes between the slot's position and to_lsn: they
-- are lost for it. Only forward, never past the current position, only for a slot that is not
-- in use; a logical slot is advanced from its own database (PostgreSQL decodes, without output,
-- all the WAL it skips, so a large skip takes a while). The server may stop short of to_lsn at
-- the last flushed position; end_lsn says where the slot ended.
CREATE FUNCTION pgcdc.advance_slot(slot name, to_lsn pg_lsn, reason text DEFAULT NULL)
RETURNS TABLE (
    slot_name name,
    slot_type text,
    previous_lsn pg_lsn,
    end_lsn pg_lsn,
    skipped_bytes bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  s record;
  pos pg_lsn;
  start_lsn pg_lsn;
  new_lsn pg_lsn;
BEGIN
  IF slot IS NULL OR to_lsn IS NULL THEN
    RAISE EXCEPTION 'slot and to_lsn must not be null'
      USING ERRCODE = 'null_value_not_allowed',
            HINT = 'To skip everything written so far, pass pg_current_wal_lsn().';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles AS a
                 WHERE a.rolname = current_user AND (a.rolsuper OR a.rolreplication)) THEN
    RAISE EXCEPTION 'permission denied to advance replication slots'
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'Only superusers and roles with the REPLICATION attribute may advance replication slots.';
  END IF;

  SELECT r.slot_name, r.slot_type, r.database, r.active, r.active_pid, r.wal_status,
         r.restart_lsn, r.confirmed_flush_lsn
    INTO s
  FROM pg_replication_slots AS r
  WHERE r.slot_name = advance_slot.slot;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'replication slot "%" does not exist', slot
      USING ERRCODE = 'undefined_object';
  END IF;
  IF s.restart_lsn IS NULL THEN
    RAISE EXCEPTION 'replication slot "%" cannot be advanced', slot
      USING ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = CASE WHEN s.wal_status = 'lost'
                          THEN 'It is lost: the WAL it needs has been removed. Drop and recreate it.'
                          ELSE 'It has never reserved WAL.' END;
  END IF;
  IF s.slot_type = 'logical' AND s.database <> current_database() THEN
    RAISE EXCEPTION 'replication slot "%" belongs to database "%"', slot, s.database
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'A logical slot can only be advanced from a session in its own database.';
  END IF;
  IF s.active AND s.active_pid <> pg_backend_pid() THEN
    RAISE EXCEPTION 'replication slot "%" is active', slot
      USING ERRCODE = 'object_in_use',
            HINT = 'Stop its consumer first; a slot in use cannot be advanced.';
  END IF;

  start_lsn := CASE WHEN s.slot_type = 'logical' THEN s.confirmed_flush_lsn ELSE s.restart_lsn END;
  pos := CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END;
  IF to_lsn < start_lsn THEN
    RAISE EXCEPTION 'cannot move replication slot "%" back to %', slot, to_lsn
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = format('The slot is already at %s; a slot only moves forward.', start_lsn);
  END IF;
  IF to_lsn > pos THEN
    RAISE EXCEPTION 'cannot advance replication slot "%" to %: that is beyond the current WAL position',
                    slot, to_lsn
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = format('The current WAL position is %s.', pos);
  END IF;

  SELECT a.end_lsn INTO new_lsn FROM pg_replication_slot_advance(slot, to_lsn) AS a;

  RAISE LOG USING
    MESSAGE = format('pgcdc: advanced replication slot "%s"; its consumer will not receive the changes it skipped',
                     slot),
    DETAIL = format('Moved from %s to %s (%s bytes of WAL) by role "%s"%s.', start_lsn, new_lsn,
                    pg_wal_lsn_diff(new_lsn, start_lsn), current_user,
                    coalesce(': ' || reason, ''));

  RETURN QUERY SELECT s.slot_name, s.slot_type, start_lsn, new_lsn,
                      pg_wal_lsn_diff(new_lsn, start_lsn)::bigint;
END
$$;

COMMENT ON FUNCTION pgcdc.advance_slot(name, pg_lsn, text) IS
  'moves a slot forward to to_lsn: its consumer LOSES the changes skipped; logged';

-- ---------------------------------------------------------------------------------------------
-- heartbeat: a non-transactional logical message, so slots on a quiet database advance
-- ---------------------------------------------------------------------------------------------
-- The content is the time of the call (ISO 8601, UTC); the result is the message's LSN. Like an
-- asynchronous commit, the message reaches disk (and consumers) when the calling transaction
-- ends, through the WAL writer, within wal_writer_delay: call it in a transaction of its own.
-- It writes WAL, so it is not granted to pg_monitor.
CREATE FUNCTION pgcdc.heartbeat(prefix text DEFAULT 'pgcdc.heartbeat')
RETURNS pg_lsn
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF prefix IS NULL THEN
    RAISE EXCEPTION 'heartbeat prefix must not be null' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF pg_is_in_recovery() THEN
    RAISE EXCEPTION 'cannot emit a heartbeat on a standby'
      USING ERRCODE = 'read_only_sql_transaction',
            HINT = 'Run pgcdc.heartbeat() on the primary; the standby''s slots see it through replication.';
  END IF;
  RETURN pg_logical_emit_message(false, prefix,
           to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'));
END
$$;

COMMENT ON FUNCTION pgcdc.heartbeat(text) IS
  'emits a non-transactional logical message (content: the time, UTC) and returns its LSN';

-- ---------------------------------------------------------------------------------------------
-- preflight: can this server and this role run change data capture?
-- ---------------------------------------------------------------------------------------------
-- One row per check, status ok, warning or error; hints say what to change and quote the error
-- a failing setup gives. The captured tables are the tables listed plus those of the
-- publication, or with neither every permanent table outside the system schemas; a partitioned
-- table stands for its partitions (changes are decoded per partition).
CREATE FUNCTION pgcdc.preflight(
    plugin text DEFAULT 'pgcdc',
    tables regclass[] DEFAULT NULL,
    publication name DEFAULT NULL)
RETURNS TABLE ("check" text, status text, detail text, hint text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  me name := current_user;
  -- Amazon RDS and Aurora define rds.logical_replication; elsewhere it is at most an empty
  -- placeholder.
  on_rds boolean := coalesce(current_setting('rds.logical_replication', true), '') <> '';
  allowed text[];
  plugin_ok boolean;
  n_used integer;
  n_max integer;
  setting_value bigint;
  who record;
  pub record;
  captured oid[];
  leaves oid[];
BEGIN
  IF plugin IS NULL THEN
    RAISE EXCEPTION 'plugin must not be null' USING ERRCODE = 'null_value_not_allowed';
  END IF;

  -- wal_level
  RETURN QUERY SELECT 'wal_level',
    CASE WHEN current_setting('wal_level') = 'logical' THEN 'ok' ELSE 'error' END,
    format('wal_level is %s', current_setting('wal_level')),
    CASE WHEN current_setting('wal_level') <> 'logical' THEN
      'Set wal_level = logical and restart the server (on Amazon RDS and Aurora: set'
      || ' rds.logical_replication = 1 in the parameter group and reboot); until then creating'
      || ' a slot fails with "ERROR: logical decoding requires wal_level >= logical".' END;

  -- replication slots
  SELECT count(*) INTO n_used FROM pg_replication_slots;
  n_max := current_setting('max_replication_slots')::integer;
  RETURN QUERY SELECT 'replication_slots',
    CASE WHEN n_used < n_max THEN 'ok' ELSE 'error' END,
    format('%s of max_replication_slots = %s in use', n_used, n_max),
    CASE WHEN n_max = 0 THEN
      'Set max_replication_slots (it needs a restart); until then creating a slot fails with'
      || ' "ERROR: replication slots can only be used if max_replication_slots > 0".'
    WHEN n_used >= n_max THEN
      'Drop unused slots (see pgcdc.slot_health() and pgcdc.drop_stale_slots()) or raise'
      || ' max_replication_slots (it needs a restart); until then creating a slot fails with'
      || ' "ERROR: all replication slots are in use".' END;

  -- wal senders: a streaming consumer occupies one (the SQL slot functions do not)
  SELECT count(*) INTO n_used FROM pg_stat_replication;
  n_max := current_setting('max_wal_senders')::integer;
  RETURN QUERY SELECT 'wal_senders',
    CASE WHEN n_used < n_max THEN 'ok' ELSE 'error' END,
    format('%s of max_wal_senders = %s in use', n_used, n_max),
    CASE WHEN n_used >= n_max THEN
      'Raise max_wal_senders (it needs a restart) or close an unused replication connection;'
      || ' until then a streaming consumer fails with "FATAL: number of requested standby'
      || ' connections exceeds max_wal_senders".' END;

  -- output_plugin_libraries (PostgreSQL 15.19, 16.15, 17.11, 18.6 and later)
  allowed := pgcdc.allowed_output_plugins();
  plugin_ok := allowed IS NULL OR plugin = ANY (allowed);
  RETURN QUERY SELECT 'output_plugin_libraries',
    CASE WHEN plugin_ok THEN 'ok' ELSE 'error' END,
    CASE WHEN allowed IS NULL THEN
      'this server has no output_plugin_libraries setting: every installed output plugin may be used'
    ELSE format('output_plugin_libraries is ''%s'', which %s %s',
                current_setting('output_plugin_libraries', true),
                CASE WHEN plugin_ok THEN 'lists' ELSE 'does not list' END, plugin) END,
    CASE WHEN NOT plugin_ok THEN
      format('Add %s to output_plugin_libraries and reload the configuration; until then'
             || ' creating or reading a slot fails with "ERROR: library \"%s\" may not be used as'
             || ' an output plugin".', quote_ident(plugin), plugin)
      -- The trap of list settings: ALTER SYSTEM SET x = 'a, b' makes one name, "a, b".
      || CASE WHEN EXISTS (SELECT FROM unnest(allowed) AS a(name) WHERE a.name LIKE '%,%') THEN
           ' The setting holds a single quoted name with commas in it: give the names as a list,'
           || ' ALTER SYSTEM SET output_plugin_libraries = pgoutput, ' || quote_ident(plugin)
           || ' (not one quoted string).'
         ELSE '' END END;

  -- the role can replicate (REPLICATION is an attribute of the role itself, not inherited)
  SELECT a.rolsuper, a.rolreplication,
         CASE WHEN EXISTS (SELECT FROM pg_roles AS g WHERE g.rolname = 'rds_replication')
              THEN pg_has_role(me, 'rds_replication', 'MEMBER') ELSE false END AS rds_member
    INTO who
  FROM pg_roles AS a WHERE a.rolname = me;
  RETURN QUERY SELECT 'replication_privilege',
    CASE WHEN who.rolsuper OR who.rolreplication OR (who.rds_member AND on_rds)
         THEN 'ok' ELSE 'error' END,
    CASE WHEN who.rolsuper THEN format('role "%s" is a superuser', me)
         WHEN who.rolreplication THEN format('role "%s" has the REPLICATION attribute', me)
         WHEN who.rds_member AND on_rds THEN
           format('role "%s" is a member of rds_replication (Amazon RDS and Aurora)', me)
         WHEN who.rds_member THEN
           format('role "%s" lacks the REPLICATION attribute; it is a member of rds_replication,'
                  || ' but that role grants replication only on Amazon RDS and Aurora', me)
         ELSE format('role "%s" is not a superuser and lacks the REPLICATION attribute', me) END,
    CASE WHEN NOT (who.rolsuper OR who.rolreplication OR (who.rds_member AND on_rds)) THEN
      format('ALTER ROLE %1$I WITH REPLICATION (on Amazon RDS and Aurora: GRANT rds_replication'
             || ' TO %1$I); until then connecting fails with "FATAL: must be superuser or'
             || ' replication role to start walsender" and the slot functions with "ERROR: must'
             || ' be superuser or replication role to use replication slots".', me) END;

  -- wal_sender_timeout (pg_settings reports milliseconds); under 10s is short for a consumer
  SELECT g.setting::bigint INTO setting_value FROM pg_settings AS g WHERE g.name = 'wal_sender_timeout';
  RETURN QUERY SELECT 'wal_sender_timeout',
    CASE WHEN setting_value < 10000 THEN 'warning' ELSE 'ok' END,
    CASE WHEN setting_value = 0 THEN
      'wal_sender_timeout is 0: a consumer that vanishes without closing its connection keeps'
      || ' its slot active, and its WAL retained, until the operating system drops the connection'
    WHEN setting_value < 10000 THEN
      format('wal_sender_timeout is %s: a consumer that sends no feedback for that long is'
             || ' disconnected', current_setting('wal_sender_timeout'))
    ELSE format('wal_sender_timeout is %s', current_setting('wal_sender_timeout')) END,
    CASE WHEN setting_value = 0 THEN
      'Set wal_sender_timeout (default 60s) so that dead consumers are disconnected and their'
      || ' slots become inactive.'
    WHEN setting_value < 10000 THEN
      'Raise wal_sender_timeout (default 60s); a busy consumer is otherwise cut off with'
      || ' "terminating walsender process due to replication timeout".' END;

  -- max_slot_wal_keep_size (pg_settings reports megabytes; -1 is unlimited)
  SELECT g.setting::bigint INTO setting_value FROM pg_settings AS g WHERE g.name = 'max_slot_wal_keep_size';
  RETURN QUERY SELECT 'max_slot_wal_keep_size',
    CASE WHEN setting_value < 0 THEN 'warning' ELSE 'ok' END,
    CASE WHEN setting_value < 0 THEN
      'max_slot_wal_keep_size is -1 (unlimited): a slot nobody reads retains WAL until the disk is full'
    ELSE format('max_slot_wal_keep_size is %s: a slot retaining more WAL is invalidated'
                || ' (wal_status lost) instead of filling the disk',
                current_setting('max_slot_wal_keep_size')) END,
    CASE WHEN setting_value < 0 THEN
      'Set max_slot_wal_keep_size below the free space of the WAL volume (a reload is enough);'
      || ' a slot that falls further behind is then lost, rather than the whole server.' END;

  -- logical_decoding_work_mem (pg_settings reports kilobytes); below the default 64MB
  SELECT g.setting::bigint INTO setting_value FROM pg_settings AS g WHERE g.name = 'logical_decoding_work_mem';
  RETURN QUERY SELECT 'logical_decoding_work_mem',
    CASE WHEN setting_value < 65536 THEN 'warning' ELSE 'ok' END,
    CASE WHEN setting_value < 65536 THEN
      format('logical_decoding_work_mem is %s: decoding spills each transaction larger than'
             || ' that to disk (pg_replslot)', current_setting('logical_decoding_work_mem'))
    ELSE format('logical_decoding_work_mem is %s', current_setting('logical_decoding_work_mem')) END,
    CASE WHEN setting_value < 65536 THEN
      'Raise logical_decoding_work_mem (default 64MB); the spill counters of pgcdc.slot_health()'
      || ' show how often decoding spills.' END;

  -- the publication, if one is named (pgoutput streams the tables of publications only)
  IF publication IS NOT NULL THEN
    SELECT p.puballtables,
           array_to_string(ARRAY[CASE WHEN p.pubinsert THEN 'insert' END,
                                 CASE WHEN p.pubupdate THEN 'update' END,
                                 CASE WHEN p.pubdelete THEN 'delete' END,
                                 CASE WHEN p.pubtruncate THEN 'truncate' END], ', ') AS actions,
           (SELECT count(*) FROM pg_publication_tables AS pt WHERE pt.pubname = p.pubname) AS n
      INTO pub
    FROM pg_publication AS p WHERE p.pubname = publication;
    IF FOUND THEN
      RETURN QUERY SELECT 'publication', 'ok',
        format('publication "%s" publishes %s (%s)', publication,
               CASE WHEN pub.puballtables THEN 'all tables' ELSE pub.n || ' table(s)' END,
               pub.actions),
        NULL::text;
    ELSE
      RETURN QUERY SELECT 'publication', 'error',
        format('publication "%s" does not exist', publication),
        format('CREATE PUBLICATION %I FOR TABLE ...; until then pgoutput fails with "ERROR:'
               || ' publication \"%s\" does not exist".', publication, publication);
    END IF;
  ELSIF plugin = 'pgoutput' THEN
    RETURN QUERY SELECT 'publication', 'warning',
      'pgoutput streams the tables of the publications its consumer names, and none was given',
      'Pass publication => ''name'' to check that publication and its tables.';
  END IF;

  -- the captured tables
  IF tables IS NULL AND publication IS NULL THEN
    captured := ARRAY(
      SELECT c.oid FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND c.relpersistence = 'p'
        AND n.nspname NOT IN ('pg_catalog', 'information_schema'));
  ELSE
    captured := ARRAY(
      SELECT t.relid::oid FROM unnest(tables) AS t(relid) WHERE t.relid IS NOT NULL
      UNION
      SELECT c.oid
      FROM pg_publication_tables AS pt
      JOIN pg_namespace AS n ON n.nspname = pt.schemaname
      JOIN pg_class AS c ON c.relnamespace = n.oid AND c.relname = pt.tablename
      WHERE pt.pubname = publication);
  END IF;

  RETURN QUERY SELECT 'captured_tables', 'error',
    format('%s is not a table', c.oid::regclass),
    'List tables and partitioned tables only.'
  FROM pg_class AS c WHERE c.oid = ANY (captured) AND c.relkind NOT IN ('r', 'p')
  ORDER BY c.oid::regclass::text;
  RETURN QUERY SELECT 'captured_tables', 'warning',
    format('%s is %s: its changes are not written to WAL and never reach a slot', c.oid::regclass,
           CASE c.relpersistence WHEN 'u' THEN 'unlogged' ELSE 'temporary' END),
    'Capture permanent tables (ALTER TABLE ... SET LOGGED makes an unlogged one permanent).'
  FROM pg_class AS c WHERE c.oid = ANY (captured) AND c.relkind IN ('r', 'p') AND c.relpersistence <> 'p'
  ORDER BY c.oid::regclass::text;

  -- From here on: permanent plain tables, partitions standing in for their parents
  -- (pg_partition_tree() lists nothing for a table outside any partition tree).
  leaves := ARRAY(
    SELECT DISTINCT l.relid
    FROM (SELECT t.relid FROM unnest(captured) AS t(relid)
          UNION ALL
          SELECT tree.relid FROM unnest(captured) AS t(relid)
          CROSS JOIN LATERAL pg_partition_tree(t.relid) AS tree) AS l
    JOIN pg_class AS c ON c.oid = l.relid
    WHERE c.relkind = 'r' AND c.relpersistence = 'p');

  -- Without a usable replica identity an UPDATE or DELETE record carries no key; in a
  -- publication that publishes them, PostgreSQL refuses the UPDATE or DELETE itself.
  RETURN QUERY
  WITH ident AS (
    SELECT c.oid::regclass AS rel, c.relname, c.relreplident,
           EXISTS (SELECT FROM pg_index AS i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_pk,
           EXISTS (SELECT FROM pg_index AS i WHERE i.indrelid = c.oid AND i.indisreplident) AS has_index,
           EXISTS (SELECT FROM pg_publication AS p
                   WHERE (p.pubupdate OR p.pubdelete)
                     AND (p.puballtables OR EXISTS (
                           SELECT FROM pg_publication_tables AS pt
                           JOIN pg_namespace AS n ON n.nspname = pt.schemaname
                           JOIN pg_class AS pc ON pc.relnamespace = n.oid AND pc.relname = pt.tablename
                           WHERE pt.pubname = p.pubname AND pc.oid = c.oid))) AS published
    FROM pg_class AS c WHERE c.oid = ANY (leaves)
  )
  SELECT 'replica_identity',
    CASE WHEN i.published THEN 'error' ELSE 'warning' END,
    format('%s has %s: its UPDATE and DELETE changes carry no key', i.rel,
           CASE i.relreplident
             WHEN 'n' THEN 'REPLICA IDENTITY NOTHING'
             WHEN 'i' THEN 'REPLICA IDENTITY USING INDEX, but that index is gone'
             ELSE 'no primary key (and REPLICA IDENTITY DEFAULT)' END),
    format('Add a primary key, or ALTER TABLE %s REPLICA IDENTITY FULL (or USING INDEX on a unique'
           || ' index of NOT NULL columns)%s', i.rel,
           CASE WHEN i.published THEN
             format('; until then, since a publication publishes its updates or deletes, an UPDATE'
                    || ' fails with "ERROR: cannot update table \"%s\" because it does not have a'
                    || ' replica identity and publishes updates".', i.relname)
           ELSE '.' END)
  FROM ident AS i
  WHERE NOT (i.relreplident = 'f' OR (i.relreplident = 'd' AND i.has_pk)
             OR (i.relreplident = 'i' AND i.has_index))
  ORDER BY i.rel::text;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'replica_identity',
      CASE WHEN cardinality(leaves) = 0 THEN 'warning' ELSE 'ok' END,
      CASE WHEN cardinality(leaves) = 0 THEN 'no permanent tables to capture'
           ELSE format('all %s captured table(s) have a primary key or a usable replica identity',
                       cardinality(leaves)) END,
      NULL::text;
  END IF;

  -- An initial snapshot reads the tables with SELECT.
  RETURN QUERY SELECT 'table_privilege', 'warning',
    format('role "%s" cannot read %s: a snapshot of it fails with "ERROR: permission denied for'
           || ' table %s"', me, c.oid::regclass, c.relname),
    format('GRANT SELECT ON %s TO %I (or GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I).',
           c.oid::regclass, me, n.nspname, me)
  FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
  WHERE c.oid = ANY (leaves) AND NOT has_table_privilege(me, c.oid, 'SELECT')
  ORDER BY c.oid::regclass::text;
  IF NOT FOUND AND cardinality(leaves) > 0 THEN
    RETURN QUERY SELECT 'table_privilege', 'ok',
      format('role "%s" can read all %s captured table(s)', me, cardinality(leaves)), NULL::text;
  END IF;
END
$$;

COMMENT ON FUNCTION pgcdc.preflight(text, regclass[], name) IS
  'checks settings, privileges and captured tables for change data capture: one row per check (ok, warning, error) with a hint';

-- ---------------------------------------------------------------------------------------------
-- Privileges: nothing for PUBLIC; the read-only functions for pg_monitor.
-- ---------------------------------------------------------------------------------------------
REVOKE ALL ON FUNCTION pgcdc.allowed_output_plugins() FROM PUBLIC;
REVOKE ALL ON FUNCTION pgcdc.slot_health(bigint, bigint, bigint, bigint, bigint, bigint, bigint, text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION pgcdc.metrics() FROM PUBLIC;
REVOKE ALL ON FUNCTION pgcdc.preflight(text, regclass[], name) FROM PUBLIC;
REVOKE ALL ON FUNCTION pgcdc.drop_stale_slots(bigint, interval, boolean, boolean, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION pgcdc.advance_slot(name, pg_lsn, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION pgcdc.heartbeat(text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION pgcdc.allowed_output_plugins() TO pg_monitor;
GRANT EXECUTE ON FUNCTION pgcdc.slot_health(bigint, bigint, bigint, bigint, bigint, bigint, bigint, text[]) TO pg_monitor;
GRANT EXECUTE ON FUNCTION pgcdc.metrics() TO pg_monitor;
GRANT EXECUTE ON FUNCTION pgcdc.preflight(text, regclass[], name) TO pg_monitor;
