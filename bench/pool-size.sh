#!/usr/bin/env bash
# Manifest GET by tag with a pool maximum of 2, then of 8 (same machine, same run): a request holds a connection
# for one short query, so a small pool should serve nearly as much as a large one.
# usage: bench/pool-size.sh [OUTDIR]   (needs wrk, curl, jq, bc, skopeo; uses ../shared/bench/manifest-get-wrk.sh)
# OUTDIR (default target/bench-pool-size-<time>) keeps the run's working files; the results go to RESULTS
# (default bench/results/pool-size-<time>.txt).
source "$(dirname "$0")/lib/env.sh" pool-size "$@"
cp=$(cat "$root/dev-support/target/classpath.txt")
for size in ${SIZES:-2 8}; do
  REGFLEET_POOL_MAX_SIZE=$size "$JAVA_HOME/bin/java" -Dregfleet.home="$out/home-$size" -Dregfleet.port=5000 \
    -Dregfleet.management.port=9000 -cp "$root/dev-support/target/classes:$cp" io.regfleet.dev.LocalRegistry \
    > "$out/registry-$size.log" 2>&1 &
  launcher=$!
  for _ in $(seq 600); do curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && break; sleep 0.2; done
  export REG_PID=$(pgrep -f 'quarkus-run.jar' | head -1)
  echo "== pool max $size" | tee -a "$results"
  "$shared/bench/manifest-get-wrk.sh" http://127.0.0.1:5000 "${CONNS:-16 64}" "${SECS:-15}" 2 | tee -a "$results"
  kill "$launcher"; wait "$launcher" 2>/dev/null || true
done
echo "results in $results (working files in $out)"
