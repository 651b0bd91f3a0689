#!/usr/bin/env bash
# Manifest GET by tag (cache hits), two or more builds or settings of our registry taken in turns, REPS rounds, so the
# machine's drift falls on every variant alike. Each variant: LABEL=JAR[,VAR=value...] (JAR: a quarkus-run.jar, e.g. a
# copy of registry-runtime/target/quarkus-app; VAR=value: environment for the registry, e.g.
# QUARKUS_LOG_CONSOLE_ASYNC=false). Prints req/s, p50/p90/p99/p99.9 and the registry JVM's CPU per request (utime +
# stime of the launcher's child over the wrk run), then each variant's medians.
# usage: bench/manifest-get-ab.sh LABEL=JAR[,VAR=v...] LABEL=JAR[,VAR=v...] ...   Env: REPS (3), SECS (10), CONNS (16 64)
source "$(dirname "$0")/lib/env.sh" manifest-get-ab
source "$root/bench/lib/ours.sh"
REPS=${REPS:-3}; SECS=${SECS:-10}; CONNS=${CONNS:-16 64}
ACC='Accept: application/vnd.oci.image.manifest.v1+json'
[ $# -ge 1 ] || { sed -n 2,7p "$0"; exit 2; }
trap stop_ours EXIT
img="$BENCH_WORK/img"; mkdir -p "$BENCH_WORK"; "$shared/bench/lib/mkimage.sh" "$img" v1 4K 64K >/dev/null
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$ours_pid/stat"; }

run_variant() { # LABEL=JAR[,VAR=v...] ROUND
  local label=${1%%=*} spec=${1#*=} jar envs=()
  IFS=, read -r jar rest <<< "$spec"
  [ -z "${rest:-}" ] || IFS=, read -ra envs <<< "$rest"
  rm -rf "$out/ab"
  for e in ${envs[@]+"${envs[@]}"}; do export "$e"; done
  start_ours ab "-Dregfleet.runtime.jar=$jar"
  for e in ${envs[@]+"${envs[@]}"}; do unset "${e%%=*}"; done
  "$shared/bench/lib/push-image-curl.sh" "$img" http://127.0.0.1:5000 bench/ab v1 >/dev/null
  wrk -t2 -c16 -d5s -H "$ACC" http://127.0.0.1:5000/v2/bench/ab/manifests/v1 >/dev/null   # warm up (JIT, cache)
  for c in $CONNS; do
    local before after line requests
    before=$(cpu)
    line=$(wrk -t2 -c"$c" -d"${SECS}s" --latency -s "$root/bench/lib/percentiles.lua" -H "$ACC" \
      http://127.0.0.1:5000/v2/bench/ab/manifests/v1 | grep -E 'Requests/sec|percentiles-ms' | tr -s ' \n' ' ')
    after=$(cpu)
    requests=$(sed 's/.*requests \([0-9]*\).*/\1/' <<< "$line")
    printf '%s round %d c=%d: %s cpu %.1f us/req\n' "$label" "$2" "$c" "$line" \
      "$(bc -l <<< "($after - $before) * 1000000 / $ticks / $requests")"
  done
  stop_ours
}

median() { sort -n | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { awk -v f="$1" '{ for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }'; }

exec > >(tee "$results.raw") 2>&1
echo "== manifest GET by tag, variants in turns: $* ; REPS=$REPS SECS=$SECS CONNS=$CONNS; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$REPS"); do
  for variant in "$@"; do run_variant "$variant" "$round"; done
done
echo "-- medians over $REPS rounds"
for variant in "$@"; do
  label=${variant%%=*}
  for c in $CONNS; do
    lines=$(grep "^$label round [0-9]* c=$c:" "$results.raw")
    printf '%s c=%s: %.0f req/s, p99 %.2f ms, cpu %.1f us/req (median of %d)\n' "$label" "$c" \
      "$(field Requests/sec: <<< "$lines" | median)" "$(field p99 <<< "$lines" | median)" \
      "$(field cpu <<< "$lines" | median)" "$(wc -l <<< "$lines")"
  done
done
sleep 0.5
mv "$results.raw" "$results"
echo "results in $results"
