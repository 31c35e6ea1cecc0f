#!/usr/bin/env bash
# The SQL workloads of issue 14 (S1 point selects, S2 bulk fetch) against a throw-away local PostgreSQL,
# jasyncio-sql beside plain JDBC on virtual threads and asyncpg, in one session.
#   jasyncio-bench/scripts/sql-bench.sh [--queries N] [--tasks N] [--rows N] [--rounds N]   (--help)
# Needs: Debian's postgresql (binaries only; no system cluster is used), python3-asyncpg for the peer,
# and the bench jar (mvn -DskipTests package -pl jasyncio-bench -am).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JAR="$ROOT/jasyncio-bench/target/jasyncio-bench.jar"
case "${1:-}" in -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$BIN/initdb" ] || { echo "sql-bench: no PostgreSQL binaries: apt-get install postgresql" >&2; exit 1; }
[ -f "$JAR" ] || { echo "sql-bench: $JAR missing: mvn -DskipTests package -pl jasyncio-bench -am" >&2; exit 1; }
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAVA_FEATURE="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
[ "${JAVA_FEATURE:-0}" -ge 21 ] || { echo "sql-bench: $JAVA is not Java 21 or newer: set JAVA_HOME to a JDK >= 21" >&2; exit 1; }

DIR="$(mktemp -d /tmp/jasyncio-sqlbench.XXXXXX)"
AS=()
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$DIR"; AS=(runuser -u postgres --); fi
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
stop() {
  (cd /tmp && "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1) || true
  rm -rf "$DIR"
}
trap stop EXIT
echo "sql-bench: starting PostgreSQL on 127.0.0.1:$PORT ..." >&2
(cd /tmp && "${AS[@]}" "$BIN/initdb" -D "$DIR/data" -U bench -A trust -E UTF8 --no-sync >/dev/null)
(cd /tmp && "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null)
URL="postgresql://bench@127.0.0.1:$PORT/postgres"

PIN=()
command -v taskset >/dev/null 2>&1 && PIN=(taskset -c 0)
echo "sql-bench: jasyncio-sql and plain JDBC ..." >&2
"${PIN[@]}" "$JAVA" -Xms1g -Xmx1g ${BENCH_JAVA_OPTS:-} --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -cp "$JAR" io.jasyncio.bench.SqlWorkloads --url "$URL" "$@"
if /usr/bin/python3 -c 'import asyncpg' 2>/dev/null; then
  echo "sql-bench: asyncpg ..." >&2
  "${PIN[@]}" /usr/bin/python3 "$HERE/sql_asyncpg.py" --url "$URL" "$@"
else
  echo "sql-bench: python3-asyncpg is not installed (apt-get install python3-asyncpg): asyncpg skipped" >&2
fi
