# Sourced by .ci/run: a throwaway PostgreSQL cluster for the store tests.
# Installs the Debian package if needed, initialises a cluster in a temporary
# directory, starts it on a local port (unix socket in that directory too),
# exports RECOUPE_TEST_POSTGRES_URL and stops it on exit. PostgreSQL refuses to
# run as root: as root, the cluster belongs to the `postgres` user the package creates.

start_postgres() {
  local port="${RECOUPE_TEST_POSTGRES_PORT:-55432}"
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq postgresql >/dev/null; fi
  fi
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  PG_TMP="$(mktemp -d)"
  local as=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_TMP"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$PG_TMP/data" -U recoupe --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/log" -w \
    -o "-p $port -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  PG_STOP=("${as[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -m fast stop)
  trap 'stop_postgres' EXIT
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U recoupe recoupe_test
  export RECOUPE_TEST_POSTGRES_URL="postgresql://recoupe@127.0.0.1:$port/recoupe_test"
}

stop_postgres() {
  "${PG_STOP[@]}" >/dev/null 2>&1 || true
  rm -rf "$PG_TMP"
}
