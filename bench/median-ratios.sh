#!/usr/bin/env bash
# The ratios of several side-by-side runs, line by line, and their median: on a shared 2-core machine one run's ratio
# moves with the host's load (the peer and ours are measured minutes apart), the median of three runs much less.
# usage: bench/median-ratios.sh bench/results/side-by-side-A.txt side-by-side-B.txt ...
# Reads each file's "ratio" lines (regfleet / peer, and manifest GET / bare hello) and the p99 of our manifest GETs
# and of the bare hello server's;
# a line that repeats in a run (the four small-image pushes) is told apart by its place: "push-many #1".."#4".
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 RESULT_FILE..." >&2; exit 2; }
for f in "$@"; do
  awk -v run="$f" '
    /^== regfleet \(/ { ours = 1; next } /^== / { ours = 0 }
    ours && $1 == "manifest-get-by-tag" && match($0, /p99 [0-9.]+ ms/) {
      print "our manifest GET p99 ms, " $4 "\t" substr($0, RSTART + 4, RLENGTH - 7) "\t" run }
    $1 == "hello" && match($0, /p99 [0-9.]+ ms/) {
      print "bare hello p99 ms, " $4 "\t" substr($0, RSTART + 4, RLENGTH - 7) "\t" run }
    / ratio [0-9.]+$/ {
      label = $0; sub(/:.*/, "", label); sub(/ (size|reps|tool|wrk)=?.*/, "", label)
      if ($0 ~ /^manifest-get-by-tag/) { match($0, /c=[0-9]+/); label = label " " substr($0, RSTART, RLENGTH) }
      if ($0 ~ /bare Vert.x hello/) { match($0, /c=[0-9]+/); label = "GET / hello " substr($0, RSTART, RLENGTH) }
      seen[label]++; if (label == "push-many") label = label " #" seen[label]
      print label "\t" $NF "\t" run }' "$f"
done | awk -F'\t' '
  { if (!($1 in n)) order[++k] = $1; v[$1, ++n[$1]] = $2 }
  END {
    for (i = 1; i <= k; i++) {
      l = order[i]; m = n[l]; line = ""
      for (j = 1; j <= m; j++) { a[j] = v[l, j]; line = line sprintf(" %6.2f", a[j]) }
      for (x = 1; x <= m; x++) for (y = x + 1; y <= m; y++) if (a[y] < a[x]) { t = a[x]; a[x] = a[y]; a[y] = t }
      med = (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
      printf "%-34s runs%s   median %.2f\n", l, line, med
    }
  }'
