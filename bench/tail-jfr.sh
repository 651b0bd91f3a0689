#!/usr/bin/env bash
# Where the tail of manifest GET at 16 connections comes from: our registry alone, wrk for SECONDS (20) with a JFR
# recording of the registry JVM (the launcher's child) over the same time; prints the wrk line (p50/p90/p99/p99.9),
# GC pauses, safepoints, monitor waits and the busiest stacks of the event-loop threads.
# usage: bench/tail-jfr.sh [OUTDIR]   Env: SECONDS_PER_GET (20), CONNS (16)
source "$(dirname "$0")/lib/env.sh" tail-jfr "$@"
source "$root/bench/lib/ours.sh"
SECS=${SECONDS_PER_GET:-20}; CONNS=${CONNS:-16}
ACC='Accept: application/vnd.oci.image.manifest.v1+json'
trap stop_ours EXIT
start_ours regfleet
img="$BENCH_WORK/img"; mkdir -p "$BENCH_WORK"; "$shared/bench/lib/mkimage.sh" "$img" v1 4K 64K >/dev/null
"$shared/bench/lib/push-image-curl.sh" "$img" http://127.0.0.1:5000 bench/tail v1
wrk -t2 -c"$CONNS" -d5s -H "$ACC" http://127.0.0.1:5000/v2/bench/tail/manifests/v1 >/dev/null   # warm up (JIT, cache)
"$JAVA_HOME/bin/jcmd" "$ours_pid" JFR.start name=tail settings=profile duration="${SECS}s" filename="$out/tail.jfr" >/dev/null
{
  echo "== manifest GET by tag, c=$CONNS ${SECS}s, load: $(cut -d' ' -f1-3 /proc/loadavg)"
  wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s "$root/bench/lib/percentiles.lua" -H "$ACC" \
    http://127.0.0.1:5000/v2/bench/tail/manifests/v1 | grep -E 'Requests/sec|percentiles-ms'
  sleep 2
  jfr=("$JAVA_HOME/bin/jfr")
  echo "-- GC pauses (ms): count, sum, max"
  "${jfr[@]}" print --events jdk.GCPhasePause "$out/tail.jfr" | awk '/duration =/{v=$3; u=$4; if (u ~ /^s/) v*=1000; if (u ~ /us/) v/=1000; n++; s+=v; if (v>m) m=v} END{printf "%d pauses, %.1f ms total, max %.2f ms\n", n, s, m}'
  echo "-- safepoints (ms): count, sum, max"
  "${jfr[@]}" print --events jdk.SafepointBegin "$out/tail.jfr" | awk '/duration =/{v=$3; u=$4; if (u ~ /^s/) v*=1000; if (u ~ /us/) v/=1000; n++; s+=v; if (v>m) m=v} END{printf "%d safepoints, %.1f ms total, max %.2f ms\n", n, s, m}'
  echo "-- monitor waits over 10 ms on any thread"
  "${jfr[@]}" print --events jdk.JavaMonitorEnter "$out/tail.jfr" | grep -c "startTime" || true
  echo "-- top frames of event-loop samples"
  "${jfr[@]}" print --events jdk.ExecutionSample "$out/tail.jfr" | awk '/sampledThread/{t=$0} /stackTrace = \[/{getline; if (t ~ /vert.x-eventloop/) print $1}' | sort | uniq -c | sort -rn | awk 'NR <= 12'
  echo "-- CPU: the machine's and this JVM's (mean of jdk.CPULoad)"
  "${jfr[@]}" print --events jdk.CPULoad "$out/tail.jfr" | awk '/jvmUser/{u+=$3} /jvmSystem/{s+=$3} /machineTotal/{m+=$3; n++} END{printf "jvm user %.0f%%, jvm system %.0f%%, machine %.0f%% (%d samples)\n", u/n, s/n, m/n, n}'
} 2>&1 | tee "$results"
echo "results in $results"
