#!/usr/bin/env bash
# Side by side in one run: the peer (CNCF distribution 2.8, ../shared/peer) and Regfleet's registry (filesystem
# driver, embedded PostgreSQL), the same ../shared/bench scripts against each, then the ratios.
# usage: bench/side-by-side.sh [OUTDIR]   (needs: docker-registry wrk jq bc skopeo; see ../shared/README.md)
# OUTDIR (default target/bench-side-by-side-<time>) keeps the run's working files; the results go to RESULTS
# (default bench/results/side-by-side-<time>.txt).
# Then ours as a 2-replica local fleet on one PostgreSQL (fleet.txt): manifest GET by tag through the front while the
# tag is re-pushed every second on replica 1, with its freshness on replica 2 (PUT reply -> replica 2 serves the new
# digest: p50/p99/max), and requests per second per open database connection (pools and listeners, sampled from
# pg_stat_activity). Server CPU counts the launchers' children (the registry JVMs of this run, never another
# quarkus-run.jar on the machine).
# Then a bare Vert.x server answering a fixed small body (bench/lib/Hello.java, the same Vert.x as ours) under the
# same wrk settings as the manifest GET, and the ratio ours / hello (hello.txt).
# The small images are pushed four times, 16 workers each time, fresh images each time: the first run is a cold start
# (our JVM still compiles its push path: the JIT took about a quarter of its CPU there); by the fourth, 600 images
# later, it is close to the steady state a long-running registry is in. Every line is kept, for both registries, and
# every ratio printed.
# Env: MIB (default 512), LIMITS_MIB (1024; limits.sh needs 4x it of free disk), SECONDS_PER_GET (15), IMAGES (200),
# SKIP_PEER=1 to measure only ours, SKIP_SUITES=1 for the hello and fleet parts alone, SKIP_FLEET=1 to leave the fleet
# part out, PUSH_ONLY=1 for the pushes alone (monolithic, chunked, small images; no pull, GETs, hello or fleet). Each registry's data is deleted once its suite is done (KEEP_DATA=1 keeps it).
source "$(dirname "$0")/lib/env.sh" side-by-side "$@"
source "$root/bench/lib/ours.sh"
source "$root/bench/lib/fleet.sh"
source "$root/bench/lib/hello.sh"
MIB=${MIB:-512}; SECS=${SECONDS_PER_GET:-15}; IMAGES=${IMAGES:-200}
ACC='Accept: application/vnd.oci.image.manifest.v1+json'
ours_pg_port=54329

# WARM_SECONDS (5) of the manifest GET's own load before each measured GET series, on another repository: a JVM's
# first seconds under load are its JIT's (cold, the c=16 run measured 28-29k req/s and p99 8-9 ms; warmed, 47-64k and
# 4-5 ms). The peer, the bare hello server and the fleet get the same warm-up; the numbers are a running server's.
warm_get() { # URL [REPO: push a small image there first; without it, GET the URL itself]
  local url=$1 repo=${2:-} target=$1
  if [ -n "$repo" ]; then
    local img="$BENCH_WORK/warm-img-$$"; rm -rf "$img"; "$shared/bench/lib/mkimage.sh" "$img" v1 4K 64K >/dev/null
    "$shared/bench/lib/push-image-curl.sh" "$img" "$url" "$repo" v1 >/dev/null; rm -rf "$img"
    target="$url/v2/$repo/manifests/v1"
  fi
  wrk -t2 -c16 -d"${WARM_SECONDS:-5}s" -H "$ACC" "$target" >/dev/null
}

run_suite() { # NAME URL PIDS [POSTGRES_PORT: sample its connections during the manifest GETs]
  local name=$1 url=$2; export REG_PID=$3
  {
    echo "== $name ($url) load: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$shared/bench/blob-push-mono.sh" "$url" "$MIB" 3
    "$shared/bench/blob-push-chunked.sh" "$url" "$MIB" 16 3
    if [ "${PUSH_ONLY:-0}" != 1 ]; then
      "$shared/bench/blob-pull.sh" "$url" "$MIB" 5
      warm_get "$url" bench/warm-get
      if [ -n "${4:-}" ]; then : > "$out/$name-conns.txt"; sample_connections "$4" "$out/$name-conns.txt" & sampler=$!; fi
      "$shared/bench/manifest-get-wrk.sh" "$url" "16 64" "$SECS" 2
      if [ -n "${4:-}" ]; then
        kill $sampler; wait $sampler 2>/dev/null || true
        echo "manifest-get db connections open (mean over both runs, pg_stat_activity): $(mean_of "$out/$name-conns.txt")"
      fi
    fi
    "$shared/bench/push-many.sh" "$url" "$IMAGES" "16 16 16 16"   # cold first, then warmer (fresh images each time)
  } 2>&1 | tee "$out/$name.txt"
}

"$shared/bench/limits.sh" "${LIMITS_MIB:-1024}" 2>&1 | tee "$out/limits.txt"

if [ "${SKIP_PEER:-0}" != 1 ] && [ "${SKIP_SUITES:-0}" != 1 ]; then
  "$shared/peer/start.sh" "$out/peer" | tee "$out/peer-start.txt"
  run_suite peer http://127.0.0.1:5055 "$(cat "$out/peer/peer.pid")"
  "$shared/peer/stop.sh" "$out/peer" || true
  [ "${KEEP_DATA:-0}" = 1 ] || rm -rf "$out/peer/data"   # GBs of pushed blobs: the next suite needs the disk
fi

# ours: embedded PostgreSQL + the registry JVM (pool 8), on 127.0.0.1:5000
if [ "${SKIP_SUITES:-0}" != 1 ]; then
  trap stop_ours EXIT
  start_ours regfleet -Dregfleet.postgres.port=$ours_pg_port
  # server CPU counts the registry JVM and PostgreSQL's postmaster (its backends are children; see the note in README)
  run_suite regfleet http://127.0.0.1:5000 "$ours_pid${ours_pg:+,$ours_pg}" $ours_pg_port
  stop_ours; trap - EXIT
  [ "${KEEP_DATA:-0}" = 1 ] || rm -rf "$out/regfleet/blobs" "$out/regfleet/pgdata"
fi

# a bare Vert.x server with a fixed body, under the manifest GET's wrk settings: what the machine allows a Vert.x server
hello_suite() {
  source "$shared/bench/common.sh"   # srv_cpu, srv_note
  trap stop_hello EXIT
  start_hello 5077
  export REG_PID=$hello_pid
  warm_get http://127.0.0.1:5077/
  echo "== bare Vert.x hello (http://127.0.0.1:5077, $(wc -c < <(curl -s http://127.0.0.1:5077/)) bytes) load: $(cut -d' ' -f1-3 /proc/loadavg)"
  local c
  for c in 16 64; do
    local c0; c0=$(srv_cpu)
    wrk -t2 -c$c -d${SECS}s --latency -s "$root/bench/lib/percentiles.lua" -H "$ACC" http://127.0.0.1:5077/ > "$out/hello-wrk-c$c.txt"
    local c1; c1=$(srv_cpu)
    awk -v c=$c -v d=$SECS -v sn="$(srv_note "$(echo "($c1 - $c0)*1000" | bc -l)"         "$(awk '/requests in/{print $1}' "$out/hello-wrk-c$c.txt")" ms/req)" -v la="$(cut -d' ' -f1-3 /proc/loadavg)" '
      /^Requests\/sec/{rps=$2} /^percentiles-ms/{p50=$3; p90=$5; p99=$7; p999=$9; n2=$15}
      END{printf "hello wrk t=2 c=%s %ss: %.0f req/s, p50 %s ms, p90 %s ms, p99 %s ms, p99.9 %s ms, non2xx=%s%s load=%s\n",
             c, d, rps, p50, p90, p99, p999, n2, sn, la}' "$out/hello-wrk-c$c.txt"
    if [ -f "$out/regfleet.txt" ]; then
      awk -v c=$c '$1 == "manifest-get-by-tag" && $4 == "c=" c {print $6}' "$out/regfleet.txt" | head -1 |
        awk -v c=$c -v h="$(awk '/^Requests\/sec/{print $2}' "$out/hello-wrk-c$c.txt")" \
          '{printf "manifest GET by tag / bare Vert.x hello, c=%s: %.0f / %.0f req/s, ratio %.2f\n", c, $1, h, (h > 0 ? $1 / h : 0)}'
    fi
  done
  stop_hello; trap - EXIT
}
[ "${PUSH_ONLY:-0}" = 1 ] || hello_suite 2>&1 | tee "$out/hello.txt"

# ours as a 2-replica fleet: GETs of a tag re-pushed every second, its freshness across replicas, req/s per connection
fleet_suite() {
  source "$shared/bench/common.sh"   # srv_cpu, srv_note
  trap stop_fleet EXIT
  start_fleet
  export REG_PID=$fleet_pids
  local img="$BENCH_WORK/fleet-img"; rm -rf "$img"; "$shared/bench/lib/mkimage.sh" "$img" live 4K 64K >/dev/null
  "$shared/bench/lib/push-image-curl.sh" "$img" "$replica_1" bench/fresh live
  echo "== regfleet fleet: 2 replicas ($replica_1 $replica_2) behind http://127.0.0.1:5000, one PostgreSQL; load: $(cut -d' ' -f1-3 /proc/loadavg)"
  warm_get http://127.0.0.1:5000/v2/bench/fresh/manifests/live
  python3 "$root/bench/lib/freshness.py" "$replica_1" "$replica_2" bench/fresh live $((2 * SECS + 4)) 1 > "$out/freshness.txt" &
  local fresh=$! c
  for c in 16 64; do
    : > "$out/fleet-conns-c$c.txt"; sample_connections $fleet_pg_port "$out/fleet-conns-c$c.txt" & local sampler=$!
    local c0; c0=$(srv_cpu)
    wrk -t2 -c$c -d${SECS}s --latency -s "$root/bench/lib/percentiles.lua" -H "$ACC" \
      http://127.0.0.1:5000/v2/bench/fresh/manifests/live > "$out/fleet-wrk-c$c.txt"
    local c1; c1=$(srv_cpu)
    kill $sampler; wait $sampler 2>/dev/null || true
    local conns; conns=$(mean_of "$out/fleet-conns-c$c.txt")
    awk -v c=$c -v d=$SECS -v conns="$conns" -v sn="$(srv_note "$(echo "($c1 - $c0)*1000" | bc -l)" \
        "$(awk '/requests in/{print $1}' "$out/fleet-wrk-c$c.txt")" ms/req)" -v la="$(cut -d' ' -f1-3 /proc/loadavg)" '
      /^Requests\/sec/{rps=$2} /^percentiles-ms/{p50=$3; p90=$5; p99=$7; p999=$9; n2=$15}
      END{printf "fleet manifest-get-by-tag (re-pushed every 1s) wrk t=2 c=%s %ss: %.0f req/s, p50 %s ms, p90 %s ms, p99 %s ms, p99.9 %s ms, non2xx=%s; db connections open %s: %.0f req/s per connection%s load=%s\n",
             c, d, rps, p50, p90, p99, p999, n2, conns, (conns > 0 ? rps / conns : 0), sn, la}' "$out/fleet-wrk-c$c.txt"
  done
  wait $fresh; cat "$out/freshness.txt"
  stop_fleet; trap - EXIT
}
[ "${SKIP_FLEET:-0}" = 1 ] || [ "${PUSH_ONLY:-0}" = 1 ] || fleet_suite 2>&1 | tee "$out/fleet.txt"

if [ "${SKIP_PEER:-0}" != 1 ] && [ "${SKIP_SUITES:-0}" != 1 ]; then
  echo "== ratios (regfleet / peer)"
  paste -d'|' <(grep -E 'MiB/s|req/s|images/s' "$out/regfleet.txt") <(grep -E 'MiB/s|req/s|images/s' "$out/peer.txt") |
    awk -F'|' '{ match($1, /[0-9.]+ (MiB|req|images)\/s/); a=substr($1, RSTART, RLENGTH)+0;
                 match($2, /[0-9.]+ (MiB|req|images)\/s/); b=substr($2, RSTART, RLENGTH)+0;
                 printf "%-70s ratio %.2f\n", $1, (b > 0 ? a / b : 0) }' | tee "$out/ratios.txt"
fi
parts=(limits regfleet hello fleet); [ "${SKIP_PEER:-0}" = 1 ] || parts=(limits peer regfleet hello fleet ratios)
[ "${SKIP_SUITES:-0}" != 1 ] || parts=(limits hello fleet)
for part in "${parts[@]}"; do [ ! -f "$out/$part.txt" ] || cat "$out/$part.txt"; done > "$results"
echo "results in $results (working files in $out)"
