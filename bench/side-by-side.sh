#!/usr/bin/env bash
# Side by side in one run: the peer (CNCF distribution 2.8, ../shared/peer) and Regfleet's registry (filesystem
# driver, embedded PostgreSQL), the same ../shared/bench scripts against each, then the ratios.
# usage: bench/side-by-side.sh [OUTDIR]   (needs: docker-registry wrk jq bc skopeo; see ../shared/README.md)
# OUTDIR (default target/bench-side-by-side-<time>) keeps the run's working files; the results go to RESULTS
# (default bench/results/side-by-side-<time>.txt).
# Env: MIB (default 512), SECONDS_PER_GET (15), IMAGES (200), SKIP_PEER=1 to measure only ours.
source "$(dirname "$0")/lib/env.sh" side-by-side "$@"
MIB=${MIB:-512}; SECS=${SECONDS_PER_GET:-15}; IMAGES=${IMAGES:-200}

run_suite() { # NAME URL PIDS
  local name=$1 url=$2; export REG_PID=$3
  {
    echo "== $name ($url) load: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$shared/bench/blob-push-mono.sh" "$url" "$MIB" 3
    "$shared/bench/blob-push-chunked.sh" "$url" "$MIB" 16 3
    "$shared/bench/blob-pull.sh" "$url" "$MIB" 5
    "$shared/bench/manifest-get-wrk.sh" "$url" "16 64" "$SECS" 2
    "$shared/bench/push-many.sh" "$url" "$IMAGES" "16"
  } 2>&1 | tee "$out/$name.txt"
}

"$shared/bench/limits.sh" 1024 2>&1 | tee "$out/limits.txt"

if [ "${SKIP_PEER:-0}" != 1 ]; then
  "$shared/peer/start.sh" "$out/peer" | tee "$out/peer-start.txt"
  run_suite peer http://127.0.0.1:5055 "$(cat "$out/peer/peer.pid")"
  "$shared/peer/stop.sh" "$out/peer" || true
fi

# ours: embedded PostgreSQL + the registry JVM (pool 8), on 127.0.0.1:5000
cp=$(cat "$root/dev-support/target/classpath.txt")
"$JAVA_HOME/bin/java" -Dregfleet.home="$out/regfleet" -Dregfleet.port=5000 -Dregfleet.management.port=9000 \
  -cp "$root/dev-support/target/classes:$cp" io.regfleet.dev.LocalRegistry > "$out/regfleet.log" 2>&1 &
launcher=$!
trap 'kill $launcher 2>/dev/null; wait $launcher 2>/dev/null || true' EXIT
for _ in $(seq 600); do curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && break; sleep 0.2; done
regpid=$(pgrep -f 'quarkus-run.jar' | head -1)
pgpid=$(pgrep -f "postgres -D $out/regfleet/pgdata" | head -1 || true)
# server CPU counts the registry JVM and PostgreSQL's postmaster (its backends are children; see the note in README)
run_suite regfleet http://127.0.0.1:5000 "$regpid${pgpid:+,$pgpid}"

if [ "${SKIP_PEER:-0}" != 1 ]; then
  echo "== ratios (regfleet / peer)"
  paste -d'|' <(grep -E 'MiB/s|req/s|images/s' "$out/regfleet.txt") <(grep -E 'MiB/s|req/s|images/s' "$out/peer.txt") |
    awk -F'|' '{ match($1, /[0-9.]+ (MiB|req|images)\/s/); a=substr($1, RSTART, RLENGTH)+0;
                 match($2, /[0-9.]+ (MiB|req|images)\/s/); b=substr($2, RSTART, RLENGTH)+0;
                 printf "%-70s ratio %.2f\n", $1, (b > 0 ? a / b : 0) }' | tee "$out/ratios.txt"
fi
parts=(limits regfleet); [ "${SKIP_PEER:-0}" = 1 ] || parts=(limits peer regfleet ratios)
for part in "${parts[@]}"; do cat "$out/$part.txt"; done > "$results"
echo "results in $results (working files in $out)"
