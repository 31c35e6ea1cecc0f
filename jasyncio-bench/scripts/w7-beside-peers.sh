#!/bin/bash
# W7 HTTP hello: jasyncio-http's server beside the peers' servers, in one run.
#
# Usage: jasyncio-bench/scripts/w7-beside-peers.sh [PEERS_DIR] [SERVER...]
#   PEERS_DIR  the peers' kit after its scripts/build.sh (default ../shared/benchmarks/peers)
#   SERVER     jasyncio netty vertx aiohttp-uvloop aiohttp-asyncio node jdk-httpserver-vt (default: the first four)
# Environment: W7_WARMUP (default 10s: the JIT needs longer than the kit's 3 s), W7_DUR (10s), W7_RUNS (3).
#
# Every server is pinned to cpu 0 and wrk (-t1 -c64 --latency) to cpu 1, as the kit's w7-http.sh does;
# the only difference is the longer warm-up, applied to every server alike. Prints one line per run, with
# the server's CPU time per request (user + system, from /proc; at ~130k req/s wrk's single thread can be
# the limit, and then CPU per request is what tells the servers apart), and a median line per server.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
peers="${1:-$repo/../shared/benchmarks/peers}"; [ $# -gt 0 ] && shift
servers=${*:-"jasyncio netty vertx aiohttp-uvloop"}
warmup=${W7_WARMUP:-10s}; dur=${W7_DUR:-10s}; runs=${W7_RUNS:-3}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
jar="$repo/jasyncio-bench/target/jasyncio-bench.jar"
[ -f "$jar" ] || { echo "w7: $jar is missing: run mvn -pl jasyncio-bench -am package -DskipTests" >&2; exit 2; }
[ -f "$peers/jvm/cp.txt" ] || { echo "w7: build the peers' kit first: $peers/scripts/build.sh" >&2; exit 2; }
command -v wrk >/dev/null || { echo "w7: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
cp="$peers/jvm/target/classes:$(cat "$peers/jvm/cp.txt")"
port=9300; pid=
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime of one process
stop() { [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=; }; }
trap stop EXIT
for s in $servers; do
  port=$((port + 1))
  case $s in
    jasyncio) cmd=("$java" -Xms2g -Xmx2g --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -cp "$jar" io.jasyncio.bench.HttpHello serve $port);;
    netty)    cmd=("$java" -Xms2g -Xmx2g -cp "$cp" peers.NettyServers http $port);;
    vertx)    cmd=("$java" -Xms2g -Xmx2g -cp "$cp" peers.VertxServers http $port);;
    jdk-httpserver-vt) cmd=("$java" -Xms2g -Xmx2g -cp "$cp" peers.VtServers http $port);;
    aiohttp-uvloop)  cmd=(/usr/bin/python3 "$peers/python/servers.py" http-aiohttp-uvloop $port);;
    aiohttp-asyncio) cmd=(/usr/bin/python3 "$peers/python/servers.py" http-aiohttp-asyncio $port);;
    node)     cmd=(node "$peers/node/servers.js" http $port);;
    *) echo "w7: unknown server $s" >&2; continue;;
  esac
  taskset -c 0 "${cmd[@]}" > "/tmp/w7-$s.log" 2>&1 & pid=$!
  for _ in $(seq 1 200); do curl -s -m 1 -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
  taskset -c 1 wrk -t1 -c64 -d"$warmup" "http://127.0.0.1:$port/" > /dev/null
  all=(); cpus=()
  for r in $(seq 1 "$runs"); do
    c0=$(cpu_ticks "$pid")
    out=$(taskset -c 1 wrk -t1 -c64 -d"$dur" --latency "http://127.0.0.1:$port/")
    c1=$(cpu_ticks "$pid")
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    total=$(awk '/requests in/ {print $1}' <<<"$out")
    cpu=$(awk -v d=$((c1 - c0)) -v t="$ticks" -v n="$total" 'BEGIN {printf "%.2f", (n > 0 ? d / t * 1e6 / n : 0)}')
    p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    errs=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ')
    echo "$s run $r: $rps req/s  p50 $p50  p99 $p99  server CPU ${cpu} us/request $errs"
    all+=("$rps"); cpus+=("$cpu")
  done
  med=$(printf '%s\n' "${all[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  medcpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$s median: $med req/s, server CPU $medcpu us/request"
  stop
done
