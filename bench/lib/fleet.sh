# A 2-replica local fleet for a bench script (source it after env.sh), and what a fleet run measures besides wrk.
# start_fleet: LocalFleetMain with 2 replicas on one embedded PostgreSQL (port $fleet_pg_port), front on :5000, data in
# $out/fleet; sets fleet_launcher, fleet_pids (the replicas' JVMs: the launcher's children), replica_1 and replica_2
# (their API addresses).
fleet_pg_port=54349
start_fleet() {
  "$JAVA_HOME/bin/java" -Dregfleet.replicas=2 -Dregfleet.max-replicas=2 -Dregfleet.home="$out/fleet" -Dregfleet.port=5000 \
    -Dregfleet.postgres.port=$fleet_pg_port -Dregfleet.interval=5s \
    -cp "$root/local-fleet/target/classes:$(cat "$root/local-fleet/target/classpath.txt")" io.regfleet.fleet.local.LocalFleetMain \
    > "$out/fleet.log" 2>&1 &
  fleet_launcher=$!
  for _ in $(seq 900); do grep -q 'allocation tables every' "$out/fleet.log" && break; sleep 0.2; done
  replica_1=$(awk '$1 == "replica-1" && $2 == "api" {print $3}' "$out/fleet.log" | head -1); replica_1=${replica_1%/}
  replica_2=$(awk '$1 == "replica-2" && $2 == "api" {print $3}' "$out/fleet.log" | head -1); replica_2=${replica_2%/}
  fleet_pids=$(pgrep -P "$fleet_launcher" -f quarkus-run.jar | paste -sd, -)
  [ -n "$replica_2" ] && [ -n "$fleet_pids" ] || { echo "fleet did not start; see $out/fleet.log" >&2; return 1; }
}
stop_fleet() {
  kill "$fleet_launcher" 2>/dev/null || true; wait "$fleet_launcher" 2>/dev/null || true
}
# sample_connections PORT FILE: every 0.25 s, the registries' open connections (pool and listener) to the PostgreSQL
# on PORT, one count a line, until killed
sample_connections() {
  while :; do
    PGPASSWORD=postgres psql -h 127.0.0.1 -p "$1" -U postgres -d postgres -Atc \
      "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'regfleet/%'" >> "$2" 2>/dev/null || true
    sleep 0.25
  done
}
# mean_of FILE: the mean of its numbers
mean_of() { awk '{s+=$1; n++} END{printf "%.2f", n ? s/n : 0}' "$1"; }
