# Starting and stopping our registry for a bench script; source it after env.sh.
# start_ours NAME [-Dregfleet.x=y ...]: the launcher (embedded PostgreSQL + one registry JVM on 127.0.0.1:5000, data in
# $out/NAME), waits until it answers; sets ours_launcher, ours_pid (the registry JVM: the launcher's child, never another
# quarkus-run.jar on the machine) and ours_pg (PostgreSQL's postmaster of this run).
start_ours() {
  local name=$1; shift
  "$JAVA_HOME/bin/java" -Dregfleet.home="$out/$name" -Dregfleet.port=5000 -Dregfleet.management.port=9000 "$@" \
    -cp "$root/dev-support/target/classes:$(cat "$root/dev-support/target/classpath.txt")" io.regfleet.dev.LocalRegistry \
    > "$out/$name.log" 2>&1 &
  ours_launcher=$!
  for _ in $(seq 600); do curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && break; sleep 0.2; done
  ours_pid=$(pgrep -P "$ours_launcher" -f quarkus-run.jar | head -1)
  ours_pg=$(pgrep -f "postgres -D $out/$name/pgdata" | head -1 || true)
  [ -n "$ours_pid" ] || { echo "registry did not start; see $out/$name.log" >&2; return 1; }
}
stop_ours() {
  kill "$ours_launcher" 2>/dev/null || true; wait "$ours_launcher" 2>/dev/null || true
}
