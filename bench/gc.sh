#!/usr/bin/env bash
# Online GC figures: how fast the collector removes garbage (blobs/s, MiB/s) on its own and under manifest GET load,
# and what it costs that load (wrk latency with the collector idle vs. draining). The registry (filesystem driver,
# embedded PostgreSQL, launched by dev-support's LocalRegistry) runs on its own ports. Garbage is pushed with the
# collector off (IMAGES images of fresh random layers, so nothing is shared); the collector then runs with no review
# delay and untagged manifests collected at once.
#   phase 1  collector off: push sets A and B, tagged, and the image wrk reads
#   phase 2  collector on: A's tags deleted, A drains, no other traffic       -> "gc alone"
#   phase 3  collector on: wrk with the collector idle (DURATION); then wrk again while B's tags are deleted and B
#            drains, for as long as A took to drain alone, so that the collector works through the whole window
# Collection times run from the first tag deleted to the last blob's bytes gone (the deletes included).
# usage: bench/gc.sh [OUTDIR]   Env: IMAGES (1000), LAYERS ("8K 32K 128K"), CONNS (16), DURATION (20 s of wrk),
#        PORT (5077, +1 management, +2 PostgreSQL). Needs wrk, jq, python3, curl; results in bench/results/gc-<time>.txt
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$(for d in "$root/../shared" "$root/../../shared"; do [ -d "$d/bench" ] && echo "$d" && break; done)}
[ -d "$shared/bench" ] || { echo "the shared bench scripts are not found: set SHARED" >&2; exit 1; }
stamp=$(date +%Y%m%d-%H%M%S)
out=${1:-$root/target/bench-gc-$stamp}; mkdir -p "$out"
results=${RESULTS:-$root/bench/results/gc-$stamp.txt}; mkdir -p "$(dirname "$results")"
export JAVA_HOME=${JAVA_HOME:-$("$root/bin/java-home")}
IMAGES=${IMAGES:-1000}; LAYERS=${LAYERS:-8K 32K 128K}; CONNS=${CONNS:-16}; DURATION=${DURATION:-20}
PORT=${PORT:-5077}; MGMT=$((PORT + 1)); PG_PORT=$((PORT + 2))
BASE=http://127.0.0.1:$PORT
export BENCH_WORK=$out/work
cp=$(cat "$root/dev-support/target/classpath.txt")
nblobs=$(( IMAGES * ($(wc -w <<< "$LAYERS") + 1) ))
launcher=""

start_registry() { # GC_ENABLED
  if curl -fsS "$BASE/v2/" >/dev/null 2>&1; then echo "port $PORT is taken by another registry: set PORT" >&2; exit 1; fi
  "$JAVA_HOME/bin/java" -Dregfleet.home="$out/regfleet" -Dregfleet.port="$PORT" -Dregfleet.management.port="$MGMT" \
    -Dregfleet.postgres.port="$PG_PORT" -Dregfleet.gc.enabled="$1" -Dregfleet.gc.review-delay=0S \
    -Dregfleet.gc.untagged-manifests=0S -Dregfleet.gc.interval=1S \
    -cp "$root/dev-support/target/classes:$cp" io.regfleet.dev.LocalRegistry >> "$out/registry.log" 2>&1 &
  launcher=$!
  for _ in $(seq 600); do curl -fsS "$BASE/v2/" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fsS "$BASE/v2/" >/dev/null
  # the registry JVM is the launcher's child: its PID, not any quarkus-run.jar on the machine
  export REG_PID=$(pgrep -P "$launcher" -f quarkus-run.jar | head -1)
  [ -n "$REG_PID" ] || { echo "the registry did not start; see $out/registry.log" >&2; exit 1; }
}
stop_registry() { [ -z "$launcher" ] || { kill "$launcher" 2>/dev/null || true; wait "$launcher" 2>/dev/null || true; }; launcher=""; }
trap stop_registry EXIT
metric() { # NAME{LABELS -> value summed over matching lines
  curl -fsS "http://127.0.0.1:$MGMT/q/metrics" | awk -v p="$1" 'index($0, p) == 1 {s += $NF} END {printf "%.0f", s}'
}

push_set() { # NAME: IMAGES images of fresh random layers, tagged v1 in bench/gc-NAME-<i>
  local g="$BENCH_WORK/$1"; mkdir -p "$g"
  seq "$IMAGES" | xargs -P 2 -I{} "$shared/bench/lib/mkimage.sh" "$g/i{}" v1 $LAYERS > /dev/null
  python3 "$shared/bench/lib/pushmany.py" "$BASE" 4 "bench/gc-$1" $(seq -f "$g/i%g" "$IMAGES") > "$out/push-$1.txt"
  rm -rf "$g"
}
delete_set() { # NAME: every tag of the set, from one curl process, 8 requests at a time
  curl -fsS --no-progress-meter -Z --parallel-max 8 -X DELETE $(seq -f "$BASE/v2/bench/gc-$1-%g/manifests/v1 -o /dev/null" "$IMAGES") \
    > /dev/null
  echo "$(date +%s.%N)" > "$out/deleted-$1"
}

# Waits until the collector has removed BLOBS_BEFORE + a whole set's blobs; prints "<blobs> <bytes> <seconds since T0>"
# for that set.
await_drain() { # T0 BLOBS_BEFORE BYTES_BEFORE
  local b y
  for _ in $(seq 6000); do
    b=$(( $(metric 'regfleet_gc_collected_total{kind="blob"') - $2 ))
    [ "$b" -ge "$nblobs" ] && break
    sleep 0.05
  done
  y=$(( $(metric 'regfleet_gc_collected_bytes_total') - $3 ))
  echo "$b $y $(echo "$(date +%s.%N) - $1" | bc -l)"
}
rate() { # BLOBS BYTES SECONDS LABEL SET
  local deletes; deletes=$(echo "$(cat "$out/deleted-$5") - $t0" | bc -l)
  awk -v b="$1" -v y="$2" -v s="$3" -v l="$4" -v d="$deletes" 'BEGIN{printf "%s: %d blobs (%.1f MiB) in %.2f s (the tag deletes took %.2f s of it): %.0f blobs/s, %.1f MiB/s\n", l, b, y/1048576, s, d, b/s, y/1048576/s}'
}
# wrk on GET /v2/bench/manifest/manifests/v1: req/s and latency percentiles, one line
get_load() { # SECONDS
  wrk -t2 -c"$CONNS" -d"${1}s" --latency -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
      "$BASE/v2/bench/manifest/manifests/v1" | awk '
    function ms(v){ if (v ~ /us$/) return substr(v,1,length(v)-2)/1000; if (v ~ /ms$/) return substr(v,1,length(v)-2)+0; if (v ~ /s$/) return substr(v,1,length(v)-1)*1000; return v }
    /^ +50%/{p50=ms($2)} /^ +90%/{p90=ms($2)} /^ +99%/{p99=ms($2)} /^Requests\/sec/{rps=$2} /Non-2xx/{bad=$NF}
    END{printf "%.0f req/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, non-2xx %d", rps, p50, p90, p99, bad}'
}

: > "$out/gc.txt"
echo "gc bench: $IMAGES images per garbage set, layers [$LAYERS], $nblobs blobs per set; wrk c=$CONNS; load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/gc.txt"

start_registry false                                    # phase 1
push_set a
push_set b
l="$BENCH_WORK/manifest"; "$shared/bench/lib/mkimage.sh" "$l" v1 4K 64K 1M > /dev/null
"$shared/bench/lib/push-image-curl.sh" "$l" "$BASE" bench/manifest v1; rm -rf "$l"
stop_registry

start_registry true                                     # phase 2
t0=$(date +%s.%N)
delete_set a
read -r blobs bytes secs <<< "$(await_drain "$t0" 0 0)"
rate "$blobs" "$bytes" "$secs" "gc alone" a | tee -a "$out/gc.txt"

alone=$secs
echo "manifest GET, collector idle:     $(get_load "$DURATION")" | tee -a "$out/gc.txt"   # phase 3
before=$(metric 'regfleet_gc_collected_total{kind="blob"'); before_bytes=$(metric 'regfleet_gc_collected_bytes_total')
yields_before=$(metric 'regfleet_gc_yields_total')
window=$(awk -v s="$alone" 'BEGIN{w=int(s+0.999); print (w < 3 ? 3 : w)}')
get_load "$window" > "$out/wrk-during.txt" &
wrk_pid=$!
sleep 0.3
t0=$(date +%s.%N)
delete_set b
read -r blobs bytes secs <<< "$(await_drain "$t0" "$before" "$before_bytes")"
yields=$(( $(metric 'regfleet_gc_yields_total') - yields_before ))
wait "$wrk_pid"
rate "$blobs" "$bytes" "$secs" "gc under that load (paused $yields times for traffic)" b | tee -a "$out/gc.txt"
echo "manifest GET, collector draining: $(cat "$out/wrk-during.txt") (wrk for ${window} s)" | tee -a "$out/gc.txt"
stop_registry

cp "$out/gc.txt" "$results"
echo "results in $results"
