#!/usr/bin/env bash
# Manifest GET latency straight to PostgreSQL and through PgBouncer (transaction mode), in one run: make run's launcher
# (embedded PostgreSQL, filesystem blobs) serves the direct registry on $PORT; Debian's pgbouncer, configured by
# fleet-control's PgBouncerSettings as the operator configures it (bench/lib/PgBouncerIni.java), pools that
# PostgreSQL with SERVER_CONNECTIONS server connections; a second registry JVM on $PORT+4, same database and blobs,
# connects through it transaction-pooled (prepareThreshold=0, no session options). A small image is pushed once
# (skopeo), then the same wrk load on GET /v2/<repo>/manifests/v1 goes to each in turn (WARMUP s first, not counted).
# Both run without the metadata cache: every GET reaches the database, which is the path PgBouncer sits on.
# One line per registry and connection count: req/s, p50/p90/p99.
# usage: bench/pgbouncer.sh [OUTDIR]   Env: CONNS ("16 64"), DURATION (15 s), WARMUP (5 s), THREADS (2), PORT (5091),
#        SERVER_CONNECTIONS (8), POOL (8: both registries' pool max). Results in bench/results/pgbouncer-<time>.txt
source "$(dirname "$0")/lib/env.sh" pgbouncer "$@"
CONNS=${CONNS:-16 64}; DURATION=${DURATION:-15}; WARMUP=${WARMUP:-5}; THREADS=${THREADS:-2}; PORT=${PORT:-5091}
SERVER_CONNECTIONS=${SERVER_CONNECTIONS:-8}; POOL=${POOL:-8}
command -v wrk >/dev/null || { echo "wrk not installed (apt-get install wrk)" >&2; exit 1; }
[ -x /usr/sbin/pgbouncer ] || { echo "pgbouncer not installed (apt-get install pgbouncer)" >&2; exit 1; }
cp=$(cat "$root/dev-support/target/classpath.txt")
jar=$root/registry-runtime/target/quarkus-app/quarkus-run.jar
pg_port=$((PORT + 2)); pgb_port=$((PORT + 3)); pooled_port=$((PORT + 4))
home=$out/regfleet; repo=bench/manifest; accept='Accept: application/vnd.oci.image.manifest.v1+json'
pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap stop_all EXIT
await_url() { for _ in $(seq 600); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "$1 did not answer; see $out" >&2; exit 1; }

# the direct registry and its PostgreSQL
"$JAVA_HOME/bin/java" -Dregfleet.home="$home" -Dregfleet.port="$PORT" -Dregfleet.management.port=$((PORT + 1)) \
  -Dregfleet.postgres.port="$pg_port" -Dregfleet.pool.max-size="$POOL" -Dregfleet.cache.enabled=false \
  -cp "$root/dev-support/target/classes:$cp" io.regfleet.dev.LocalRegistry > "$out/direct.log" 2>&1 &
pids+=($!)
await_url "http://127.0.0.1:$PORT/v2/"

# PgBouncer in front of it (runs as nobody when we are root: it refuses root)
mkdir -p "$out/pgbouncer"; chmod 755 "$out" "$out/pgbouncer"
printf '"postgres" "postgres"\n' > "$out/pgbouncer/userlist.txt"
"$JAVA_HOME/bin/java" -cp "$root/fleet-control/target/classes" "$root/bench/lib/PgBouncerIni.java" "$pgb_port" "$pg_port" \
  "$SERVER_CONNECTIONS" "$out/pgbouncer/userlist.txt" > "$out/pgbouncer/pgbouncer.ini"
chmod 644 "$out/pgbouncer/"*
/usr/sbin/pgbouncer $([ "$(id -u)" = 0 ] && echo "-u nobody") "$out/pgbouncer/pgbouncer.ini" > "$out/pgbouncer.log" 2>&1 &
pids+=($!)

# the pooled registry: same database and blobs, through PgBouncer
"$JAVA_HOME/bin/java" -Dregfleet.http.port="$pooled_port" -Dquarkus.management.port=$((PORT + 5)) \
  -Dquarkus.datasource.jdbc.url="jdbc:postgresql://127.0.0.1:$pgb_port/regfleet?sslmode=disable" \
  -Dquarkus.datasource.username=postgres -Dquarkus.datasource.password=postgres \
  -Dregfleet.db.transaction-pooled=true -Dregfleet.schema.migrate-at-start=false -Dregfleet.pool.max-size="$POOL" \
  -Dregfleet.storage.filesystem.root="$home/blobs" -Dregfleet.registry-name=pooled -Dquarkus.log.level=WARN \
  -Dregfleet.cache.enabled=false \
  -jar "$jar" > "$out/pooled.log" 2>&1 &
pids+=($!)
await_url "http://127.0.0.1:$pooled_port/v2/"

layout=$out/image; "$shared/bench/lib/mkimage.sh" "$layout" v1 4K 64K 1M >/dev/null
skopeo --insecure-policy copy --dest-tls-verify=false "oci:$layout:v1" "docker://127.0.0.1:$PORT/$repo:v1" >/dev/null
for port in "$PORT" "$pooled_port"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "$accept" "http://127.0.0.1:$port/v2/$repo/manifests/v1")
  [ "$code" = 200 ] || { echo "GET manifest on $port -> $code" >&2; exit 1; }
done

wrk_line() { # URL CONNS SECONDS
  wrk -t"$THREADS" -c"$2" -d"${3}s" --latency -H "$accept" "$1" | awk '
    function ms(v){ if (v ~ /us$/) return substr(v,1,length(v)-2)/1000; if (v ~ /ms$/) return substr(v,1,length(v)-2)+0; if (v ~ /s$/) return substr(v,1,length(v)-1)*1000; return v }
    /^ +50%/{p50=ms($2)} /^ +90%/{p90=ms($2)} /^ +99%/{p99=ms($2)} /^Requests\/sec/{rps=$2} /Non-2xx/{bad=$NF}
    END{printf "%.0f req/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, non-2xx %d", rps, p50, p90, p99, bad}'
}
{
  echo "manifest GET (wrk t=$THREADS, ${DURATION} s each, ${WARMUP} s warm-up), pool max $POOL per registry, PgBouncer max_db_connections $SERVER_CONNECTIONS; $(/usr/sbin/pgbouncer --version | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
  for c in $CONNS; do
    for target in "direct:$PORT" "pgbouncer:$pooled_port"; do
      url="http://127.0.0.1:${target#*:}/v2/$repo/manifests/v1"
      wrk_line "$url" "$c" "$WARMUP" > /dev/null
      echo "c=$c ${target%%:*}: $(wrk_line "$url" "$c" "$DURATION")"
    done
  done
} | tee "$out/pgbouncer.txt"
cp "$out/pgbouncer.txt" "$results"
echo "results in $results"
