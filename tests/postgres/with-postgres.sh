#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster: initdb into a fresh temporary directory (as the user
# `postgres` when run as root, since PostgreSQL refuses root), listening on loopback at a free port, then
# KNOCKNOC_TEST_POSTGRES holds the connection string while the command runs; the cluster is stopped and removed
# afterwards whatever happens. Usage: tests/postgres/with-postgres.sh dotnet test
# Needs PostgreSQL's server binaries (Debian: apt-get install postgresql); PG_BINDIR overrides where they are.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ] && command -v initdb >/dev/null 2>&1; then bindir=$(dirname "$(readlink -f "$(command -v initdb)")"); fi
if [ -z "$bindir" ] && command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir=$(pg_config --bindir)
fi
if [ -z "$bindir" ]; then
  # Debian keeps the server binaries out of PATH, one directory per major version: take the newest.
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
    [ -x "$candidate/initdb" ] && bindir=$candidate
  done
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL's initdb was not found (install the server, or set PG_BINDIR)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cluster=$(mktemp -d "${TMPDIR:-/tmp}/knocknoc-pg.XXXXXX")
chmod 755 "$cluster"
[ "$(id -u)" -eq 0 ] && chown postgres: "$cluster"
stop_cluster() {
  as_owner "$bindir/pg_ctl" -D "$cluster/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
printf '%s\n' "$password" > "$cluster/pwfile"
[ "$(id -u)" -eq 0 ] && chown postgres: "$cluster/pwfile"
as_owner "$bindir/initdb" -D "$cluster/data" -U knocknoc --pwfile="$cluster/pwfile" -A scram-sha-256 -E UTF8 --no-sync >/dev/null
rm -f "$cluster/pwfile"
# Throwaway: no fsync. Sockets only in the cluster's own directory, TCP only on loopback.
as_owner "$bindir/pg_ctl" -D "$cluster/data" -l "$cluster/log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$cluster -c fsync=off -c max_connections=200" start >/dev/null

export KNOCKNOC_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=knocknoc;Password=$password;Database=postgres"
set +e
"$@"
status=$?
set -e
exit $status
