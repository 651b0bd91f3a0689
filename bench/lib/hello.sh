# The bare Vert.x baseline for a bench script (source it after env.sh): bench/lib/Hello.java run with the project's
# JDK and the vertx-core, Netty and jackson-core jars of our built registry (registry-runtime/target/quarkus-app), so
# both run the same Vert.x.
# start_hello PORT: starts it and waits until it answers; sets hello_pid.  stop_hello: stops it.
start_hello() {
  local lib="$root/registry-runtime/target/quarkus-app/lib/main" cp
  cp=$(ls "$lib"/io.vertx.vertx-core-*.jar "$lib"/io.netty.netty-*.jar "$lib"/com.fasterxml.jackson.core.jackson-core-*.jar | paste -sd:)
  "$JAVA_HOME/bin/java" -cp "$cp" "$root/bench/lib/Hello.java" "$1" > "$out/hello.log" 2>&1 &
  hello_pid=$!
  for _ in $(seq 300); do curl -fsS "http://127.0.0.1:$1/" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "the hello server did not start; see $out/hello.log" >&2; return 1
}
stop_hello() {
  kill "$hello_pid" 2>/dev/null || true; wait "$hello_pid" 2>/dev/null || true
}
