#!/bin/bash
# The HTTP client workload of issue 13, every client in one run against one server.
#
# Usage: jasyncio-bench/scripts/http-client-bench.sh [--requests N] [--concurrency C] [--rounds R]
#   (defaults 20000, 64, 3; passed to every client)
# The server is W7's hello server of jasyncio-bench (io.jasyncio.bench.HttpHello serve), pinned to cpu 0; each
# client is pinned to cpu 1 and runs one warm-up round, then R measured rounds: jasyncio's HttpClient and the
# JDK's java.net.http.HttpClient (both io.jasyncio.bench.HttpClientWorkloads), then aiohttp's ClientSession
# (scripts/http_client_aiohttp.py, Debian's /usr/bin/python3 with python3-aiohttp).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
jar="$repo/jasyncio-bench/target/jasyncio-bench.jar"
case "${1:-}" in -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0;; esac
[ -f "$jar" ] || { echo "http-client-bench: $jar is missing: run mvn -pl jasyncio-bench -am package -DskipTests" >&2; exit 2; }
/usr/bin/python3 -c 'import aiohttp' 2>/dev/null || { echo "http-client-bench: aiohttp is missing (apt-get install python3-aiohttp)" >&2; exit 2; }
port=${HTTP_CLIENT_BENCH_PORT:-9351}
url="http://127.0.0.1:$port/"
taskset -c 0 "$java" -Xms2g -Xmx2g --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -cp "$jar" \
    io.jasyncio.bench.HttpHello serve "$port" > /tmp/http-client-bench-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
for _ in $(seq 1 200); do curl -s -m 1 -o /dev/null "$url" && break; sleep 0.1; done
# the server's JIT warms on a first burst so that the first client measured is not the one that pays for it
command -v wrk >/dev/null && taskset -c 1 wrk -t1 -c64 -d10s "$url" > /dev/null
taskset -c 1 "$java" -Xms1g -Xmx1g --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -cp "$jar" \
    io.jasyncio.bench.HttpClientWorkloads --url "$url" "$@"
taskset -c 1 /usr/bin/python3 "$here/http_client_aiohttp.py" --url "$url" "$@"
