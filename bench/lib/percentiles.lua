-- wrk script: prints the latency percentiles wrk --latency leaves out (p99.9) on one line, for the bench scripts
-- usage: wrk -s bench/lib/percentiles.lua ...   (any request headers with -H as usual)
done = function(summary, latency, requests)
  local p = function(q) return latency:percentile(q) / 1000.0 end
  io.write(string.format("percentiles-ms p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f requests %d non2xx %d\n",
    p(50), p(90), p(99), p(99.9), latency.max / 1000.0, summary.requests, summary.errors.status))
end
