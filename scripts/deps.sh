#!/usr/bin/env bash
# scripts/deps.sh [test|bench|pg-source|all]: installs from Debian's packages what pgcdc needs to
# build and test (with bench, also the plugins the benchmark compares against; with pg-source, what
# building a PostgreSQL release from source needs, for scripts/test-pg18.sh). It only touches apt
# when a package is missing, so it is quick and offline-safe on a prepared machine.
set -euo pipefail

group=${1:-test}
# openssl makes the Aurora mirror's certificates; wal2json is one of Aurora's output plugins,
# which the mirror's tests use; locales for the stream test's lc_monetary check; gettext for the
# message lint.
pkgs=(make g++ cmake libgtest-dev pkg-config libpq-dev openssl locales gettext
	postgresql-15 postgresql-client-15 postgresql-server-dev-15 postgresql-15-wal2json)
if [ "$group" = bench ] || [ "$group" = all ]; then
	pkgs+=(postgresql-15-decoderbufs time)
fi
if [ "$group" = pg-source ] || [ "$group" = all ]; then
	# Releases from 17 on ship no generated parser files (bison, flex); libxml2 for the xml type,
	# which the suites render; zlib, which configure requires by default.
	pkgs+=(gcc bison flex perl libxml2-dev zlib1g-dev bzip2)
fi
case $group in test | bench | pg-source | all) ;; *)
	echo "deps.sh: unknown group \"$group\" (test, bench, pg-source, all)" >&2
	exit 2
	;;
esac

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -ne 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps.sh: missing packages: ${missing[*]}; run as root (or install them) first" >&2
		exit 1
	fi
	echo "deps.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# postgresql-15 is named again so an older installed minor is brought up to the one the server
	# headers (postgresql-server-dev-15) come from.
	apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi

# test/stream/run.sh writes money under lc_monetary de_DE.UTF-8, to see that pgcdc pins the
# setting: a locale that writes money otherwise than C. (Servers already running see it only
# once restarted; the tests start their own.)
if ! locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8'; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "deps.sh: making the de_DE.UTF-8 locale"
		localedef -i de_DE -f UTF-8 de_DE.UTF-8
	else
		echo "deps.sh: no de_DE.UTF-8 locale (run as root to make it); test/stream checks lc_monetary with C only" >&2
	fi
fi
