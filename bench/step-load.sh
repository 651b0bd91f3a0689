#!/usr/bin/env bash
# The worker limit under a step load, fixed (today's bulkhead) against adaptive (Gradient2 under the allocation), in
# one run on loopback: a registry with a pool of POOL connections and WORKERS workers (4 per connection, as the
# planner starts a pod) on PostgreSQL answering through a LATENCY_MS hop; manifest GETs by tag from LOW connections
# for SECS seconds, then at once from HIGH connections for SECS seconds. Per phase: requests/s, p50/p99 and non-2xx
# (503 shed or no connection in time) from wrk.
# usage: bench/step-load.sh [OUTDIR]   Env: POOL (4), WORKERS (16), LATENCY_MS (5), LOW (4), HIGH (64), SECS (15)
# needs wrk, curl, sha256sum; results in bench/results/step-load-<time>.txt
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
stamp=$(date +%Y%m%d-%H%M%S)
out=${1:-$root/target/bench-step-$stamp}; mkdir -p "$out"
results=${RESULTS:-$root/bench/results/step-load-$stamp.txt}; mkdir -p "$(dirname "$results")"
export JAVA_HOME=${JAVA_HOME:-$("$root/bin/java-home")}
POOL=${POOL:-4}; WORKERS=${WORKERS:-16}; LATENCY_MS=${LATENCY_MS:-5}; LOW=${LOW:-4}; HIGH=${HIGH:-64}; SECS=${SECS:-15}
url=http://127.0.0.1:5000
cp=$(cat "$root/dev-support/target/classpath.txt")

push() { # a small image tagged v1 in bench/app
  local config='{"architecture":"amd64","os":"linux"}' digest manifest
  digest=sha256:$(printf %s "$config" | sha256sum | cut -d' ' -f1)
  curl -fsS -o /dev/null -X POST --data-binary "$config" -H 'Content-Type: application/octet-stream' \
    "$url/v2/bench/app/blobs/uploads/?digest=$digest"
  manifest='{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"'$digest'","size":'${#config}'},"layers":[]}'
  curl -fsS -o /dev/null -X PUT --data-binary "$manifest" -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    "$url/v2/bench/app/manifests/v1"
}

phase() { # MODE NAME CONNECTIONS: one wrk run, summarised on one line
  local mode=$1 name=$2 conns=$3 log
  log=$out/$mode-$name.txt
  wrk -t2 -c"$conns" -d"${SECS}s" --latency -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "$url/v2/bench/app/manifests/v1" > "$log"
  printf '%-9s %-4s %3d conns: %8s req/s  p50 %8s  p99 %8s  non-2xx %s\n' "$mode" "$name" "$conns" \
    "$(awk '/Requests\/sec/ {print $2}' "$log")" "$(awk '$1 == "50%" {print $2}' "$log")" \
    "$(awk '$1 == "99%" {print $2}' "$log")" "$(awk '/Non-2xx/ {print $5}' "$log" | grep . || echo 0)" | tee -a "$results"
}

echo "step load $LOW -> $HIGH connections, ${SECS}s each; pool $POOL, workers $WORKERS, database hop ${LATENCY_MS} ms ($(date -u +%FT%TZ))" | tee "$results"
for mode in fixed adaptive; do
  adaptive=false; [ "$mode" = adaptive ] && adaptive=true
  "$JAVA_HOME/bin/java" -Dregfleet.home="$out/home-$mode" -Dregfleet.port=5000 -Dregfleet.management.port=9000 \
    -Dregfleet.postgres.port=54331 -Dregfleet.database-latency-ms="$LATENCY_MS" -Dregfleet.pool.max-size="$POOL" \
    -Dregfleet.workers.limit="$WORKERS" -Dregfleet.workers.adaptive="$adaptive" -Dquarkus.log.level=WARN \
    -cp "$root/dev-support/target/classes:$cp" io.regfleet.dev.LocalRegistry > "$out/registry-$mode.log" 2>&1 &
  launcher=$!
  for _ in $(seq 600); do curl -fsS "$url/v2/" >/dev/null 2>&1 && break; sleep 0.2; done
  push
  phase "$mode" low "$LOW"
  phase "$mode" high "$HIGH"
  kill "$launcher"; wait "$launcher" 2>/dev/null || true
done
echo "results in $results (working files in $out)"
