#!/usr/bin/env bash
# scripts/deps.sh [test|bench|all]: installs from Debian's packages what pgcdc needs to build and
# test (and, with bench, the plugins the benchmark compares against). It only touches apt when a
# package is missing, so it is quick and offline-safe on a prepared machine.
set -euo pipefail

group=${1:-test}
# openssl makes the Aurora mirror's certificates; wal2json is one of Aurora's output plugins,
# which the mirror's tests use.
pkgs=(make g++ cmake libgtest-dev pkg-config libpq-dev openssl
	postgresql-15 postgresql-client-15 postgresql-server-dev-15 postgresql-15-wal2json)
if [ "$group" = bench ] || [ "$group" = all ]; then
	pkgs+=(postgresql-15-decoderbufs time)
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
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
