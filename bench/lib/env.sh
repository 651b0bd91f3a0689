# The set-up every bench script shares; source it first: source "$(dirname "$0")/lib/env.sh" NAME "$@"
# Sets root (this checkout), shared (SHARED, default ../shared beside it), stamp, out (the script's first argument,
# default target/bench-NAME-<time>: the run's working files), results (RESULTS, default bench/results/NAME-<time>.txt),
# JAVA_HOME (bin/java-home unless set) and BENCH_WORK (for ../shared/bench).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
shared=${SHARED:-$root/../shared}
[ -d "$shared" ] || [ -n "${SHARED:-}" ] || shared=$root/../../shared  # a git worktree one level deeper
stamp=$(date +%Y%m%d-%H%M%S)
out=${2:-$root/target/bench-$1-$stamp}; mkdir -p "$out"
results=${RESULTS:-$root/bench/results/$1-$stamp.txt}; mkdir -p "$(dirname "$results")"
export JAVA_HOME=${JAVA_HOME:-$("$root/bin/java-home")}
export BENCH_WORK=$out/work
