# test/lib.sh: shared helpers for the suites and scripts that need a PostgreSQL server.
#
# Source it from bash. It finds the server binaries through pg_config ($PG_CONFIG picks the
# server; pg_config on the PATH by default), runs the server side as an unprivileged user when
# called as root (initdb and postgres refuse root), and writes the logical decoding settings every
# pgcdc cluster needs, including output_plugin_libraries on the minor versions that have it
# (15.19+, 16.15+, 17.11+, 18.6+; older ones refuse to start with it).

PG_CONFIG=${PG_CONFIG:-pg_config}
PG_BINDIR=$("$PG_CONFIG" --bindir)
PG_PKGLIBDIR=$("$PG_CONFIG" --pkglibdir)
PG_REGRESS="$(dirname "$("$PG_CONFIG" --pgxs)")/../test/regress/pg_regress"
PGCDC_SERVER_USER=${PGCDC_SERVER_USER:-postgres}
# That server's own client programs (psql, pg_recvlogical, pg_basebackup) come first, so a suite
# run with another PG_CONFIG uses them and not whichever version Debian's pg_wrapper would pick.
export PATH="$PG_BINDIR:$PATH"

# Runs a command as the server user (directly when we are not root).
as_server_user() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$PGCDC_SERVER_USER" -- "$@"
	else
		"$@"
	fi
}

# Makes a fresh directory the server user owns; prints its path.
server_tmpdir() {
	local dir
	dir=$(mktemp -d "${TMPDIR:-/tmp}/pgcdc-$1.XXXXXX")
	chmod 755 "$dir"
	if [ "$(id -u)" -eq 0 ]; then
		chown "$PGCDC_SERVER_USER" "$dir"
	fi
	echo "$dir"
}

# True when this server knows the output_plugin_libraries setting.
has_output_plugin_libraries() {
	local settings
	settings=$(as_server_user "$PG_BINDIR/postgres" --describe-config 2>/dev/null) || return 1
	grep -q '^output_plugin_libraries[[:space:]]' <<<"$settings"
}

# Prints the settings of a logical decoding cluster; $1 lists the output plugins it must allow.
logical_conf() {
	local plugins=${1:-pgoutput, test_decoding, pgcdc}
	cat <<CONF
wal_level = logical
max_replication_slots = 20
max_wal_senders = 20
max_prepared_transactions = 10
logical_decoding_work_mem = 64kB
fsync = off
CONF
	if has_output_plugin_libraries; then
		echo "output_plugin_libraries = '$plugins'"
	fi
}

# start_cluster DIR PORT [PLUGINS] [EXTRA_CONF_FILE]: initdb and start a throw-away cluster
# whose socket lives in DIR; sets PGHOST/PGPORT/PGUSER for the caller. With PGCDC_LISTEN_TCP set it
# also listens on 127.0.0.1 (trust authentication, like the socket).
start_cluster() {
	local dir=$1 port=$2 plugins=${3:-} extra=${4:-}
	as_server_user "$PG_BINDIR/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log"; return 1; }
	{
		logical_conf "$plugins"
		echo "port = $port"
		echo "unix_socket_directories = '$dir'"
		if [ -n "${PGCDC_LISTEN_TCP:-}" ]; then
			echo "listen_addresses = '127.0.0.1'"
		else
			echo "listen_addresses = ''"
		fi
		if [ -n "$extra" ]; then cat "$extra"; fi
	} | as_server_user tee -a "$dir/data/postgresql.conf" >/dev/null
	as_server_user "$PG_BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
		{ cat "$dir/server.log"; return 1; }
	export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=postgres
}

stop_cluster() {
	local dir=$1
	[ -f "$dir/data/postmaster.pid" ] && as_server_user "$PG_BINDIR/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
	return 0
}

# A free TCP port number (the clusters listen on Unix sockets, but the port names the socket).
free_port() {
	local port
	for port in $(seq "${1:-55432}" 65000); do
		if ! ls "${TMPDIR:-/tmp}"/pgcdc-*/.s.PGSQL."$port" >/dev/null 2>&1 && ! (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	return 1
}

# check DESCRIPTION COMMAND...: runs the command and prints "ok - ..." or "not ok - ...", counting
# failures in $failures (the suites exit non-zero when it is not 0).
failures=0
check() {
	local name=$1
	shift
	if "$@"; then
		echo "ok - $name"
	else
		echo "not ok - $name"
		failures=$((failures + 1))
	fi
}
