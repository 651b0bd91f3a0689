#!/usr/bin/env bash
# Manifest GET throughput with access control off and on, in one run: the registry (make run's launcher, embedded
# PostgreSQL, filesystem blobs) started twice on 127.0.0.1:$PORT, once open and once with AUTH=on; a small image
# pushed with skopeo (as admin when auth is on); then the same wrk load on GET /v2/<repo>/manifests/v1, with
# `Authorization: Bearer <token>` (a pull token from /token) when auth is on. One line per connection count, then the
# ratio on/off. usage: bench/manifest-get-auth.sh [OUTDIR]
# Env: CONNS ("16 64"), DURATION (15 s), WARMUP (10 s, not counted), THREADS (2), PORT (5000). Results in bench/results/manifest-get-auth-<time>.txt
source "$(dirname "$0")/lib/env.sh" manifest-get-auth "$@"
CONNS=${CONNS:-16 64}; DURATION=${DURATION:-15}; THREADS=${THREADS:-2}; PORT=${PORT:-5000}
source "$shared/bench/common.sh"
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)" >&2; exit 1; }
cp=$(cat "$root/dev-support/target/classpath.txt")
base=http://127.0.0.1:$PORT; repo=bench/manifest; accept='Accept: application/vnd.oci.image.manifest.v1+json'
layout=$out/image; "$shared/bench/lib/mkimage.sh" "$layout" v1 4K 64K 1M >/dev/null

measure() { # AUTH (on|off)
  local auth=$1 home=$out/regfleet-$1 launcher creds=() header=()
  "$JAVA_HOME/bin/java" -Dregfleet.home="$home" -Dregfleet.port="$PORT" -Dregfleet.management.port=$((PORT + 4000)) \
    -Dregfleet.postgres.port=$((PORT + 49000)) $([ "$auth" = on ] && echo "-Dregfleet.run.auth=on -Dregfleet.auth.token-ttl=30M") \
    -cp "$root/dev-support/target/classes:$cp" io.regfleet.dev.LocalRegistry > "$out/regfleet-$auth.log" 2>&1 &
  launcher=$!
  for _ in $(seq 600); do grep -q "ready at" "$out/regfleet-$auth.log" && break; sleep 0.2; done
  # the registry JVM is the launcher's child: its PID, not any quarkus-run.jar on the machine
  export REG_PID=$(pgrep -P "$launcher" -f quarkus-run.jar | head -1)
  if [ "$auth" = on ]; then
    creds=(--dest-creds "admin:$(cat "$home/admin-password")")
    token=$(curl -fsS -u "admin:$(cat "$home/admin-password")" "$base/token?scope=repository:$repo:pull" | jq -r .token)
    header=(-H "Authorization: Bearer $token")
  fi
  skopeo --insecure-policy copy --dest-tls-verify=false "${creds[@]}" "oci:$layout:v1" "docker://127.0.0.1:$PORT/$repo:v1" >/dev/null
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "$accept" "${header[@]}" "$base/v2/$repo/manifests/v1")
  [ "$code" = 200 ] || { echo "auth=$auth: GET manifest -> $code" >&2; kill "$launcher"; exit 1; }
  # warm-up, not counted: the JIT compiles the request path (with auth: verification and the token cache) first
  wrk -t"$THREADS" -c16 -d"${WARMUP:-10}s" -H "$accept" "${header[@]}" "$base/v2/$repo/manifests/v1" > /dev/null
  for c in $CONNS; do
    c0=$(srv_cpu)
    wrk -t"$THREADS" -c"$c" -d"${DURATION}s" --latency -H "$accept" "${header[@]}" "$base/v2/$repo/manifests/v1" > "$out/wrk-$auth-c$c.txt"
    c1=$(srv_cpu)
    echo "  load $(loadavg)" >> "$out/load.txt"
    awk -v a="$auth" -v c="$c" -v cpu="$(echo "$c1 - $c0" | bc -l)" '
      function ms(v){ if (v ~ /us$/) return substr(v,1,length(v)-2)/1000; if (v ~ /ms$/) return substr(v,1,length(v)-2)+0; if (v ~ /s$/) return substr(v,1,length(v)-1)*1000; return v }
      /requests in/{n=$1} /^ +50%/{p50=ms($2)} /^ +99%/{p99=ms($2)} /^Requests\/sec/{rps=$2} /Non-2xx/{bad=$NF}
      END{printf "auth=%s c=%s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, non2xx=%s, srvcpu=%.3f ms/req\n", a, c, rps, p50, p99, (bad==""?0:bad), cpu*1000/n}' \
      "$out/wrk-$auth-c$c.txt" | tee -a "$out/manifest-get.txt"
  done
  kill "$launcher"; wait "$launcher" 2>/dev/null || true
}

: > "$out/manifest-get.txt"
measure off
measure on
for c in $CONNS; do
  off=$(grep "auth=off c=$c:" "$out/manifest-get.txt" | grep -oE '[0-9]+ req/s' | cut -d' ' -f1)
  on=$(grep "auth=on c=$c:" "$out/manifest-get.txt" | grep -oE '[0-9]+ req/s' | cut -d' ' -f1)
  echo "c=$c: auth on / off = $(echo "scale=3; $on / $off" | bc)" | tee -a "$out/manifest-get.txt"
done
{ echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(loadavg); wrk -t$THREADS, ${DURATION}s per figure"; cat "$out/manifest-get.txt"; } > "$results"
echo "results in $results"
