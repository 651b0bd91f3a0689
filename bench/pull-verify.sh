#!/usr/bin/env bash
# Blob pull throughput with read verification on and off, in one run: the registry (filesystem driver, embedded
# PostgreSQL) started twice on 127.0.0.1:5000, ../shared/bench/blob-pull.sh against each, then the ratio.
# usage: bench/pull-verify.sh [OUTDIR]   Env: MIB (default 512), REPS (5). Results in bench/results/pull-verify-<time>.txt
source "$(dirname "$0")/lib/env.sh" pull-verify "$@"
MIB=${MIB:-512}; REPS=${REPS:-5}
cp=$(cat "$root/dev-support/target/classpath.txt")

measure() { # VERIFY
  local verify=$1 launcher
  "$JAVA_HOME/bin/java" -Dregfleet.home="$out/regfleet-$verify" -Dregfleet.port=5000 -Dregfleet.management.port=9000 \
    -Dregfleet.blob.verify-reads="$verify" -cp "$root/dev-support/target/classes:$cp" io.regfleet.dev.LocalRegistry \
    > "$out/regfleet-$verify.log" 2>&1 &
  launcher=$!
  for _ in $(seq 600); do curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && break; sleep 0.2; done
  # the registry JVM is the launcher's child: its PID, not any quarkus-run.jar on the machine
  export REG_PID=$(pgrep -P "$launcher" -f quarkus-run.jar | head -1)
  echo "verify-reads=$verify: $("$shared/bench/blob-pull.sh" http://127.0.0.1:5000 "$MIB" "$REPS")" | tee -a "$out/pull.txt"
  kill "$launcher"; wait "$launcher" 2>/dev/null || true
}

: > "$out/pull.txt"
measure true
measure false
on=$(grep 'verify-reads=true' "$out/pull.txt" | grep -oE 'median [0-9.]+' | cut -d' ' -f2)
off=$(grep 'verify-reads=false' "$out/pull.txt" | grep -oE 'median [0-9.]+' | cut -d' ' -f2)
echo "verified / unverified pull: $(echo "scale=2; $on / $off" | bc)" | tee -a "$out/pull.txt"
cp "$out/pull.txt" "$results"
echo "results in $results"
