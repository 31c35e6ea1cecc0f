#!/bin/bash
# W6 TCP echo: jasyncio's protocol and streams servers beside Netty (and the kit's C epoll server), in one run.
#
# Builds nothing: it takes jasyncio-bench/target/jasyncio-bench.jar and a built peers' kit.
# Every server is pinned to cpu 0 and echoload to cpu 1. All servers are started, then each gets one long
# warm-up at C=64/S=64 (the JIT needs it: with 3-10 s the JVM servers were still compiling in the first
# measured runs); then per row (C in {1,64} x S in {64,4096}) each gets a short discarded warm-up, and the
# RUNS measured runs take turns between the servers. Each run prints
# one line (to stderr) with the server's CPU time per message (user + system from /proc/PID/stat, over the
# measured run only: at C=1 the load client's round trip is the limit and CPU per message is what tells the
# servers apart); the result is a markdown table of medians on stdout.
set -u

usage() {
  cat <<'EOF'
Usage: jasyncio-bench/scripts/w6-beside-peers.sh [OPTIONS] [SERVER...]

Runs the W6 TCP echo rows (C in {1,64} x S in {64,4096}) against each SERVER, servers pinned to cpu 0
and the kit's echoload pinned to cpu 1; prints a markdown table of medians. All servers are started and
warmed up first, then the measured runs take turns (row by row, run by run, one server after the other),
so the box's drift during the script does not favour the server measured first.

SERVER: protocol streams buffer netty epoll   (default: protocol streams netty, plus epoll when it is built)
  protocol  jasyncio EchoServers protocol (dataReceived -> transport.write)
  streams   jasyncio EchoServers streams  (one task per connection: read(65536), write, drain)
  buffer    jasyncio EchoServers buffer   (the same through one reused ByteBuffer: read(buf), write(buf))
  netty     the kit's peers.NettyServers echo (Netty 4.2 NIO, one event-loop thread)
  epoll     the kit's loadgen/epoll_echo (C, one thread, level-triggered epoll: the practical limit)

Options:
  --peers DIR     the peers' kit after its scripts/build.sh (default ../shared/benchmarks/peers,
                  then jasyncio-bench/target/peers)
  --warmup S      long warm-up per server at C=64/S=64, seconds (default 16)
  --row-warmup S  discarded warm-up before each row, seconds (default 2)
  --dur S         length of each measured run, seconds (default 3)
  --runs N        measured runs per row; the table shows their median (default 3)
  --rows LIST     rows as C:S pairs, comma-separated (default 1:64,1:4096,64:64,64:4096)
  --engine E      jasyncio engine: continuation (default) or virtual
  --smoke         1 s warm-ups and 1 s runs, 1 run per row: checks the script works; NOT a measurement
  -h, --help      this text

JVM servers run with -Xms2g -Xmx2g -XX:+AlwaysPreTouch (a steady-state heap: see the comment in the script).

Environment: JAVA_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64), W6_PORT (first port, default 9400),
W6_JVM_OPTS (more options for the JVM servers, e.g. -XX:+UseParallelGC).
EOF
}

fail() { echo "w6: $*" >&2; exit 2; }

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
peers=; warmup=16; row_warmup=2; dur=3; runs=3; rows="1:64,1:4096,64:64,64:4096"; engine=continuation
servers=()
while [ $# -gt 0 ]; do
  case $1 in
    -h|--help) usage; exit 0;;
    --peers) peers=${2:?--peers needs a directory}; shift 2;;
    --warmup) warmup=${2:?--warmup needs seconds}; shift 2;;
    --row-warmup) row_warmup=${2:?--row-warmup needs seconds}; shift 2;;
    --dur) dur=${2:?--dur needs seconds}; shift 2;;
    --runs) runs=${2:?--runs needs a count}; shift 2;;
    --rows) rows=${2:?--rows needs C:S pairs}; shift 2;;
    --engine) engine=${2:?--engine needs continuation or virtual}; shift 2;;
    --smoke) warmup=1; row_warmup=1; dur=1; runs=1; shift;;
    -*) fail "unknown option $1 (see --help)";;
    protocol|streams|buffer|netty|epoll) servers+=("$1"); shift;;
    *) fail "unknown server $1: expected protocol, streams, buffer, netty or epoll (see --help)";;
  esac
done
for v in "$warmup" "$row_warmup" "$dur"; do
  [[ $v =~ ^[0-9]+([.][0-9]+)?$ ]] || fail "durations are seconds (a number), got '$v'"
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || fail "--runs needs a positive count, got '$runs'"
[[ $rows =~ ^[0-9]+:[0-9]+(,[0-9]+:[0-9]+)*$ ]] || fail "--rows needs C:S pairs like 1:64,64:4096, got '$rows'"
case $engine in continuation|virtual) ;; *) fail "--engine is continuation or virtual, got '$engine'";; esac

if [ -z "$peers" ]; then
  for d in "$repo/../shared/benchmarks/peers" "$repo/jasyncio-bench/target/peers"; do
    [ -x "$d/loadgen/echoload" ] && { peers=$d; break; }
  done
  [ -n "$peers" ] || peers="$repo/../shared/benchmarks/peers"
fi
peers="$(cd "$peers" 2>/dev/null && pwd)" || fail "no peers' kit at $peers"
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
jar="$repo/jasyncio-bench/target/jasyncio-bench.jar"
load="$peers/loadgen/echoload"
[ -x "$load" ] || fail "$load is missing: build the peers' kit first ($peers/scripts/build.sh, or make -C loadgen in a writable copy)"
command -v taskset >/dev/null || fail "taskset is missing (apt-get install util-linux)"
if [ ${#servers[@]} -eq 0 ]; then
  servers=(protocol streams netty)
  [ -x "$peers/loadgen/epoll_echo" ] && servers+=(epoll)
fi
declare -A named
for s in "${servers[@]}"; do
  [ -z "${named[$s]:-}" ] || fail "server '$s' named twice: each SERVER once (its results are keyed by name)"
  named[$s]=1
  case $s in
    protocol|streams|buffer) [ -f "$jar" ] || fail "$jar is missing: run mvn -pl jasyncio-bench -am package -DskipTests";;
    netty) [ -f "$peers/jvm/cp.txt" ] || fail "netty needs the peers' JVM build: $peers/scripts/build.sh";;
    epoll) [ -x "$peers/loadgen/epoll_echo" ] || fail "epoll needs $peers/loadgen/epoll_echo: make -C $peers/loadgen";;
  esac
done
IFS=, read -r -a row_list <<<"$rows"

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime of one process
json() { sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" <<<"$1"; }  # one numeric field of echoload's JSON line
group() { printf '%.0f' "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }  # 135281.4 -> 135,281
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A pids
stop() { local s; for s in "${!pids[@]}"; do kill "${pids[$s]}" 2>/dev/null; wait "${pids[$s]}" 2>/dev/null; done; pids=(); }
trap stop EXIT
trap 'stop; exit 130' INT TERM

# Every server is started and warmed up first; the measured runs then take turns (row by row, run by run,
# one server after the other), so a box that slows or speeds up during the script shifts every server
# alike instead of favouring the one measured first. An idle server waits in epoll and costs nothing.
# -XX:+AlwaysPreTouch: every JVM server starts with its whole heap touched, as a server that has run
# through one young collection has. Without it a server that allocates per message (the streams echo:
# read() returns a fresh byte[], 4 KiB at S=4096) pays first-touch page faults on fresh eden pages for
# the first minutes, which a short run measures as server CPU (5-9 us per message at C=1, measured).
jvm_opts=(-Xms2g -Xmx2g -XX:+AlwaysPreTouch ${W6_JVM_OPTS:-})
engine_opts=(--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -Djasyncio.engine="$engine")
declare -A ports
live=()
port=${W6_PORT:-9400}
for s in "${servers[@]}"; do
  port=$((port + 1))
  case $s in
    protocol|streams|buffer) cmd=("$java" "${jvm_opts[@]}" "${engine_opts[@]}" -cp "$jar" io.jasyncio.bench.EchoServers "$s" "$port");;
    netty) cmd=("$java" "${jvm_opts[@]}" -cp "$peers/jvm/target/classes:$(cat "$peers/jvm/cp.txt")" peers.NettyServers echo "$port");;
    epoll) cmd=("$peers/loadgen/epoll_echo" "$port");;
  esac
  taskset -c 0 "${cmd[@]}" > "/tmp/w6-$s.log" 2>&1 &
  pids[$s]=$!
  up=
  for _ in $(seq 1 300); do
    kill -0 "${pids[$s]}" 2>/dev/null || break
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { up=1; break; }
    sleep 0.1
  done
  if [ -z "$up" ]; then
    echo "w6: $s did not start listening on 127.0.0.1:$port; its log (/tmp/w6-$s.log):" >&2
    tail -5 "/tmp/w6-$s.log" >&2
    kill "${pids[$s]}" 2>/dev/null; unset "pids[$s]"
    continue
  fi
  ports[$s]=$port
  live+=("$s")
done
for s in "${live[@]}"; do
  echo "w6: $s on port ${ports[$s]}, warming up ${warmup}s at C=64/S=64" >&2
  taskset -c 1 "$load" 127.0.0.1 "${ports[$s]}" 64 64 "$warmup" 0 > /dev/null
done

declare -A rate p50 p99 cpu rs ps qs cs
for row in "${row_list[@]}"; do
  c=${row%:*}; size=${row#*:}
  for s in "${live[@]}"; do
    taskset -c 1 "$load" 127.0.0.1 "${ports[$s]}" "$c" "$size" "$row_warmup" 0 > /dev/null
  done
  for r in $(seq 1 "$runs"); do
    for s in "${live[@]}"; do
      t0=$(cpu_ticks "${pids[$s]}")
      out=$(taskset -c 1 "$load" 127.0.0.1 "${ports[$s]}" "$c" "$size" "$dur" 0)
      t1=$(cpu_ticks "${pids[$s]}")
      n=$(json "$out" msgs); m=$(json "$out" msgs_per_s); errs=$(json "$out" errors)
      per=$(awk -v d=$((t1 - t0)) -v t="$ticks" -v n="${n:-0}" 'BEGIN {printf "%.2f", (n > 0 ? d / t * 1e6 / n : 0)}')
      echo "$s C=$c S=$size run $r: ${m:-?} msgs/s  p50 $(json "$out" p50_us) us  p99 $(json "$out" p99_us) us  server CPU $per us/msg  errors ${errs:-?}" >&2
      rs[$s,$row]+=" ${m:-0}"; ps[$s,$row]+=" $(json "$out" p50_us)"; qs[$s,$row]+=" $(json "$out" p99_us)"; cs[$s,$row]+=" $per"
    done
  done
  for s in "${live[@]}"; do
    # shellcheck disable=SC2086 # the lists are space-separated numbers
    rate[$s,$row]=$(median ${rs[$s,$row]}); p50[$s,$row]=$(median ${ps[$s,$row]})
    p99[$s,$row]=$(median ${qs[$s,$row]}); cpu[$s,$row]=$(median ${cs[$s,$row]})
  done
done
stop

label() {
  case $1 in
    protocol) echo "jasyncio protocol";; streams) echo "jasyncio streams";; buffer) echo "jasyncio streams, reused buffer";;
    netty) echo "Netty 4.2 NIO";; epoll) echo "C epoll";;
  esac
}
has() { local x; for x in "${servers[@]}"; do [ "$x" = "$1" ] && return 0; done; return 1; }
ratio=; has protocol && has streams && ratio=1
echo
echo "W6 TCP echo, $(date -u '+%Y-%m-%d %H:%M UTC'), engine $engine: msgs/s, median of $runs x ${dur}s after ${warmup}s warm-up (p50 / p99 us, server CPU us/msg)"
echo
header="| C, S |"; rule="|---|"
for s in "${servers[@]}"; do header+=" $(label "$s") |"; rule+="---|"; done
[ -n "$ratio" ] && { header+=" streams / protocol |"; rule+="---|"; }
echo "$header"; echo "$rule"
for row in "${row_list[@]}"; do
  line="| ${row%:*}, ${row#*:} |"
  for s in "${servers[@]}"; do
    if [ -n "${rate[$s,$row]:-}" ]; then
      line+=" $(group "${rate[$s,$row]}") (${p50[$s,$row]} / ${p99[$s,$row]} us, ${cpu[$s,$row]} us CPU) |"
    else
      line+=" - |"
    fi
  done
  if [ -n "$ratio" ]; then
    line+=" $(awk -v a="${rate[streams,$row]:-0}" -v b="${rate[protocol,$row]:-0}" 'BEGIN {print (b > 0 ? sprintf("%.2f", a / b) : "-")}') |"
  fi
  echo "$line"
done
