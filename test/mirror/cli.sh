#!/usr/bin/env bash
# test/mirror/cli.sh: the pgcdc-mirror command as a user meets it: help and usage errors (exit 2),
# a mirror's life (creation, its folder and the modes of its files, status, stop, start on another
# port, destroy), env and psql, the roles and databases Aurora has and what the master user may not
# do, the parameter group (engine defaults, rds.logical_replication off until set and rebooted,
# static parameters pending reboot, dynamic ones at once), TLS (verify-full against the mirror's
# CA) and rds.force_ssl.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"
. "$top/test/client/common.sh"
. "$top/test/mirror/common.sh"

start_mirror cli
m=$PGCDC_MIRROR_DIR

# run NAME EXPECTED_CODE ARGS...: runs pgcdc-mirror (see run_command).
run() { run_command "$MIRROR" 120 "$@"; }
q() { psql_q -c "$1"; }

# 1. Help and usage errors: exit 2, the message and a pointer to --help; nothing is changed.
run help 0 --help
check "--help lists every command" bash -c "for c in start stop status destroy psql env set reboot show; do grep -q \"pgcdc-mirror \$c\" '$dir/help.out' || exit 1; done"
run no-command 2
check "no command: says so" err_has no-command "no command given"
run unknown-command 2 strat
check "an unknown command is named" err_has unknown-command 'unknown command "strat"'
check "... with a pointer to --help" err_has unknown-command 'pgcdc-mirror --help'
run bad-flag 2 status --bogus
check "an unknown option is named" err_has bad-flag 'unrecognized option "--bogus"'
run port-not-start 2 stop --port 6000
check "--port applies to start only" err_has port-not-start '--port applies to "start" only'
run bad-port 2 start --dir "$dir/other" --port 70000
check "a bad port" err_has bad-port 'invalid port "70000"'
check "... created nothing" test ! -e "$dir/other"
run extra-arg 2 status extra
check "an argument a command does not take" err_has extra-arg 'unexpected argument "extra" for "status"'
run set-nothing 2 set
check "set without an assignment" err_has set-nothing "set needs NAME=VALUE"
run set-unknown 2 set bogus=1
check "set: an unknown parameter is named" err_has set-unknown 'unknown parameter "bogus"'
# Streamkap's guides say "Set the logical_replication parameter value to 1": the parameter group
# has no such name (neither has Aurora's); it is rds.logical_replication.
run set-streamkap-name 2 set logical_replication=1
check "set logical_replication (Streamkap's wording) is an unknown parameter" err_has set-streamkap-name 'unknown parameter "logical_replication"'
run set-bad-int 2 set max_wal_senders=abc
check "set: PostgreSQL's own check of a value" err_has set-bad-int 'invalid value for parameter "max_wal_senders": "abc"'
run set-bad-unit 2 set wal_sender_timeout=5x
check "set: a bad unit, with PostgreSQL's hint" err_has set-bad-unit 'Valid units for this parameter are'
run set-bad-rds 2 set rds.force_ssl=2
check "set: rds.force_ssl takes 0 or 1" err_has set-bad-rds 'invalid value "2" for parameter "rds.force_ssl"'
run set-fixed 2 set ssl=0
check "set: ssl is not modifiable (as on Aurora)" err_has set-fixed 'parameter "ssl" is not modifiable'
check "the refused assignments left the parameter group empty" test ! -s "$m/parameter-group"
run dir-quote 2 status --dir "$dir/it's"
check "a folder path with a quote is refused" err_has dir-quote "may not hold quotes"
run dir-long 2 status --dir "$dir/$(printf 'x%.0s' $(seq 1 90))"
check "a folder path too long for the server's socket is refused" err_has dir-long "too long for the server's Unix socket"
run status-none 4 status --dir "$dir/none"
check "status of a folder without a mirror: exit 4" out_has status-none "no mirror in $dir/none"
run env-none 1 env --dir "$dir/none"
check "env of a folder without a mirror" err_has env-none "no mirror in $dir/none"
mkdir "$dir/notamirror" && touch "$dir/notamirror/precious"
run destroy-foreign 1 destroy --dir "$dir/notamirror"
check "destroy refuses a folder that is not a mirror's" err_has destroy-foreign "is not a mirror's folder"
check "... and leaves it alone" test -f "$dir/notamirror/precious"
run start-foreign 1 start --dir "$dir/notamirror" --port "$(free_port 58432)"
check "start refuses a folder that holds something else" err_has start-foreign "is not a mirror's folder (not empty)"

# 2. The mirror as created: its folder, its status, how to connect.
check "start said how to connect" grep -q "sslmode=verify-full sslrootcert=$m/ca.pem" "$dir/start.out"
check "start said logical replication is off" grep -q "logical replication is off" "$dir/start.out"
mode_owner() { stat -c '%a %U' "$1"; }
me=$(id -un)
check "master-password: 0600, the caller's" test "$(mode_owner "$m/master-password")" = "600 $me"
check "pgpass: 0600" test "$(mode_owner "$m/pgpass")" = "600 $me"
check "the CA's key: 0600" test "$(mode_owner "$m/ca.key")" = "600 $me"
check "the server's key: 0600, the server user's" test "$(mode_owner "$m/server.key")" = "600 $PGCDC_SERVER_USER"
check "the server's certificate: the server user's" test "$(mode_owner "$m/server.crt")" = "600 $PGCDC_SERVER_USER"
check "the data directory is the server user's" test "$(mode_owner "$m/data")" = "700 $PGCDC_SERVER_USER"
check "the folder remembers the port" grep -qx "port=$port" "$m/mirror"
check "the server certificate names localhost and 127.0.0.1, signed by ca.pem" \
	bash -c "openssl verify -CAfile '$m/ca.pem' -verify_hostname localhost '$m/server.crt' >/dev/null && openssl verify -CAfile '$m/ca.pem' -verify_ip 127.0.0.1 '$m/server.crt' >/dev/null"
run status 0 status
check "status: running, the port, the mode" out_has status "running (pid"
check "... on localhost:$port, default mode" out_has status "on localhost:$port, default mode"
run env 0 env
check "env prints the seven export lines" test "$(grep -c '^export PG' "$dir/env.out")" -eq 7
check "env: PGSSLMODE=verify-full and the mirror's CA" \
	bash -c "grep -qx 'export PGSSLMODE=verify-full' '$dir/env.out' && grep -qx 'export PGSSLROOTCERT=$m/ca.pem' '$dir/env.out'"
check "env: a password file, no password" \
	bash -c "grep -qx 'export PGPASSFILE=$m/pgpass' '$dir/env.out' && ! grep -q PGPASSWORD '$dir/env.out'"
check "the master user connects with TLS (verify-full)" test "$(q "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")" = t
run psql 0 psql -X -At -c "SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
check "pgcdc-mirror psql: the master user, over TLS" test "$(cat "$dir/psql.out")" = "postgres|t"
run psql-dir 0 psql --dir "$m" -X -At -c "SELECT 1"
check "pgcdc-mirror psql --dir DIR passes the rest to psql" test "$(cat "$dir/psql-dir.out")" = 1

# 3. Roles and databases, as on Aurora.
check "rdsadmin is the superuser" test "$(rdsadmin_sql "SELECT rolsuper FROM pg_roles WHERE rolname = 'rdsadmin'")" = t
check "the master user: NOSUPERUSER CREATEDB CREATEROLE, valid until infinity" \
	test "$(q "SELECT rolsuper, rolcreatedb, rolcreaterole, rolcanlogin, rolvaliduntil FROM pg_roles WHERE rolname = current_user")" = "f|t|t|t|infinity"
check "the master user is a member of rds_superuser" test "$(q "SELECT pg_has_role('rds_superuser', 'MEMBER')")" = t
check "rds_superuser is a member of pg_monitor, pg_signal_backend, rds_replication, rds_password" \
	test "$(q "SELECT string_agg(r.rolname, ',' ORDER BY r.rolname) FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid WHERE a.member = 'rds_superuser'::regrole")" = "pg_monitor,pg_signal_backend,rds_password,rds_replication"
check "the master user owns database postgres" test "$(q "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'postgres'")" = "$master"
check "rdsadmin's database holds rds_heartbeat2 (id 1)" test "$(rdsadmin_sql "SELECT count(*) FROM rds_heartbeat2 WHERE id = 1" rdsadmin)" = 1
check "rdsadmin cannot log in over TCP" fails_with rdsadmin-tcp 'pg_hba.conf rejects connection' psql -X -U rdsadmin -c "SELECT 1"
check "the master user cannot connect to database rdsadmin" fails_with rdsadmin-db 'database "rdsadmin"' psql -X -d rdsadmin -c "SELECT 1"
check "the local socket is rdsadmin's only" fails_with socket-master 'pg_hba.conf rejects connection for host "[local]"' psql -X -h "$m/run" -c "SELECT 1"
check "the master user cannot ALTER SYSTEM" fails_with alter-system 'permission denied to set parameter "wal_level"' psql -X -c "ALTER SYSTEM SET wal_level = logical"
check "the master user cannot become superuser" fails_with become-super 'must be superuser to alter superuser roles' psql -X -c "ALTER ROLE $master SUPERUSER"
check "... nor create one" fails_with create-super 'must be superuser to create superusers' psql -X -c "CREATE ROLE s SUPERUSER"
check "... nor change rdsadmin" fails_with alter-rdsadmin 'must be superuser to alter superuser roles' psql -X -c "ALTER ROLE rdsadmin PASSWORD 'x'"
q "CREATE ROLE plain LOGIN PASSWORD 'plain-pw'"
check "ALTER USER ... WITH REPLICATION is refused, by PostgreSQL" \
	fails_with with-replication 'must be superuser to alter replication roles or change replication attribute' psql -X -c "ALTER USER plain WITH REPLICATION"

# 4. The parameter group. rds.logical_replication is a real setting, static, off by default: until
#    it is set and the mirror rebooted, wal_level is replica and logical slots are refused.
run show 0 show
check "show lists rds.logical_replication: 0, static, engine default" grep -Eq '^rds\.logical_replication +0 +off +static +in-sync +engine-default$' "$dir/show.out"
check "show lists rds.force_ssl: 0 for PostgreSQL 15 (as Aurora 15)" grep -Eq '^rds\.force_ssl +0 +off +dynamic ' "$dir/show.out"
check "show lists Aurora's max_replication_slots and max_wal_senders" \
	bash -c "grep -Eq '^max_replication_slots +20 +20 +static' '$dir/show.out' && grep -Eq '^max_wal_senders +20 +20 +static' '$dir/show.out'"
check "rds.logical_replication is a server setting (pg_settings: postmaster context, default off)" \
	test "$(q "SELECT setting, context, boot_val FROM pg_settings WHERE name = 'rds.logical_replication'")" = "off|postmaster|off"
check "wal_level is replica" test "$(q "SHOW wal_level")" = replica
check "a logical slot is refused: PostgreSQL's own error" \
	fails_with slot-replica 'logical decoding requires wal_level >= logical' psql -X -c "SELECT pg_create_logical_replication_slot('s', 'pgoutput')"
run set-logical 0 set "rds.logical_replication = 1"
check "set rds.logical_replication=1: static, pending reboot" out_has set-logical "rds.logical_replication = 1 (static: pending reboot)"
check "the parameter group file has it" grep -qx "rds.logical_replication=1" "$m/parameter-group"
run status-pending 0 status
check "status: pending reboot" out_has status-pending "pending reboot: rds.logical_replication"
run show-pending 0 show
check "show: pending-reboot, set by the user" grep -Eq '^rds\.logical_replication +1 +off +static +pending-reboot +user$' "$dir/show-pending.out"
check "without a reboot, wal_level is still replica" test "$(q "SHOW wal_level")" = replica
check "... and slots are still refused" fails_with slot-pending 'logical decoding requires wal_level >= logical' psql -X -c "SELECT pg_create_logical_replication_slot('s', 'pgoutput')"
run set-dynamic 0 set wal_sender_timeout=0 max_wal_senders=25
check "a dynamic parameter is applied at once" out_has set-dynamic "wal_sender_timeout = 0 (dynamic: applied)"
check "... SHOW has it without a reboot" test "$(q "SHOW wal_sender_timeout")" = 0
check "a static one waits for the reboot" test "$(q "SHOW max_wal_senders")" = 20
run reboot 0 reboot
check "reboot applies the group" out_has reboot "wal_level = logical"
check "after the reboot: rds.logical_replication is on" test "$(q "SHOW rds.logical_replication")" = on
check "... wal_level is logical" test "$(q "SHOW wal_level")" = logical
check "... max_wal_senders is 25" test "$(q "SHOW max_wal_senders")" = 25
check "... wal_sender_timeout is still 0" test "$(q "SHOW wal_sender_timeout")" = 0
check "... a logical slot can be created" test "$(q "SELECT slot_name FROM pg_create_logical_replication_slot('s', 'pgoutput')")" = s
run status-after 0 status
check "... nothing is pending" bash -c "! grep -q 'pending' '$dir/status-after.out'"
check "the master user cannot change rds.logical_replication itself" \
	fails_with set-rds 'parameter "rds.logical_replication" cannot be changed without restarting the server' psql -X -c "SET rds.logical_replication = off"
run set-interval 0 set pgcdc_mirror.rdsadmin_write_interval=7
check "the mirror's own parameter: rdsadmin's write interval" test "$(q "SHOW pgcdc_mirror.rdsadmin_write_interval")" = 7s

# 5. TLS: verify-full against the mirror's CA (as against AWS's RDS bundle), for localhost and
#    127.0.0.1; rds.force_ssl=1 refuses connections without TLS, at once (dynamic, as on Aurora).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "/CN=another CA" \
	-keyout "$dir/other-ca.key" -out "$dir/other-ca.pem" >/dev/null 2>&1
check "verify-full against another CA fails" \
	fails_with other-ca 'certificate verify failed' env PGSSLROOTCERT="$dir/other-ca.pem" psql -X -c "SELECT 1"
check "verify-full to 127.0.0.1 (the certificate names the address)" test "$(PGHOST=127.0.0.1 q "SELECT 1")" = 1
check "verify-ca (DBConvert's choice) works" test "$(PGSSLMODE=verify-ca q "SELECT 1")" = 1
check "with rds.force_ssl=0, a connection without TLS is accepted" test "$(PGSSLMODE=disable q "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")" = f
run force-ssl 0 set rds.force_ssl=1
check "rds.force_ssl is dynamic: applied at once" out_has force-ssl "rds.force_ssl = 1 (dynamic: applied)"
check "rds.force_ssl reads on" test "$(q "SHOW rds.force_ssl")" = on
check "without TLS: no pg_hba.conf entry (DBConvert's listed error)" \
	fails_with no-tls 'no pg_hba.conf entry for host "127.0.0.1", user "postgres", database "postgres", no encryption' env PGSSLMODE=disable psql -X -c "SELECT 1"
check "... nor a replication connection" \
	fails_with no-tls-repl 'no pg_hba.conf entry for host "127.0.0.1"' env PGSSLMODE=disable psql -X "dbname=postgres replication=database" -c "IDENTIFY_SYSTEM"
check "with TLS, connections still work" test "$(q "SELECT 1")" = 1
"$MIRROR" set rds.force_ssl=0 >/dev/null
check "rds.force_ssl=0 again: accepted without TLS" test "$(PGSSLMODE=disable q "SELECT 1")" = 1

# 6. Stop, start on another port (remembered, the password file follows), destroy.
run start-running 0 start
check "start when running: says so" out_has start-running "already running"
run strict-running 1 start --strict
check "the mode cannot change while running" err_has strict-running "stop it to change its port or mode"
run stop 0 stop
run status-stopped 3 status
check "status when stopped: exit 3" out_has status-stopped "stopped"
run psql-stopped 1 psql -c "SELECT 1"
check "psql when stopped says so" err_has psql-stopped "not running"
newport=$(free_port $((port + 1)))
run start-port 0 start --port "$newport"
check "start --port moves a stopped mirror" out_has start-port "on localhost:$newport"
eval "$("$MIRROR" env)"
port=$newport
check "env follows the new port" test "$PGPORT" = "$newport"
check "the master user connects on it (the password file followed)" test "$(q "SELECT current_setting('port')")" = "$newport"
check "the data survived: the slot is there" test "$(q "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 's'")" = 1
check "... and the parameter group: wal_level is logical" test "$(q "SHOW wal_level")" = logical
run destroy 0 destroy
check "destroy removes the folder" test ! -e "$m"
check "... and the server is gone" fails_with gone 'connection to server' psql -X -c "SELECT 1"
run status-destroyed 4 status

finish
