#!/usr/bin/env python3
"""Freshness of a tag across replicas: every INTERVAL s, PUT a new manifest under TAG on WRITER, then HEAD it on
READER (one keep-alive connection) until READER answers the new digest; freshness = time from the PUT's reply (the
write committed) until READER first serves the new digest.
usage: freshness.py WRITER_URL READER_URL REPO TAG SECONDS [INTERVAL=1]
The manifest already under TAG on WRITER is the template: each push adds an annotation, so every push is a new digest.
Prints: fleet-freshness pushes=N p50 .. p99 .. max .. ms (and every figure to stderr when FRESHNESS_VERBOSE=1)."""
import hashlib, http.client, json, os, sys, time, urllib.parse

MT = "application/vnd.oci.image.manifest.v1+json"

def conn(url):
    u = urllib.parse.urlparse(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=30)

def main():
    writer, reader, repo, tag, seconds = sys.argv[1:6]
    interval = float(sys.argv[6]) if len(sys.argv) > 6 else 1.0
    w, r = conn(writer), conn(reader)
    w.request("GET", f"/v2/{repo}/manifests/{tag}", headers={"Accept": MT})
    resp = w.getresponse(); template = json.loads(resp.read())
    if resp.status != 200:
        sys.exit(f"GET template manifest -> {resp.status}")
    figures, end, seq = [], time.monotonic() + float(seconds), 0
    while time.monotonic() < end:
        started = time.monotonic(); seq += 1
        m = dict(template); m["annotations"] = dict(template.get("annotations") or {}, **{"bench.seq": f"{seq}-{time.time_ns()}"})
        body = json.dumps(m, separators=(",", ":")).encode()
        digest = "sha256:" + hashlib.sha256(body).hexdigest()
        w.request("PUT", f"/v2/{repo}/manifests/{tag}", body=body, headers={"Content-Type": MT})
        resp = w.getresponse(); resp.read()
        if resp.status != 201:
            sys.exit(f"PUT manifest -> {resp.status}")
        committed = time.monotonic()
        while True:
            r.request("HEAD", f"/v2/{repo}/manifests/{tag}", headers={"Accept": MT})
            resp = r.getresponse(); resp.read()
            if resp.getheader("Docker-Content-Digest") == digest:
                break
            if time.monotonic() - committed > 60:
                sys.exit(f"reader never served {digest}")
        figures.append((time.monotonic() - committed) * 1000)
        if os.environ.get("FRESHNESS_VERBOSE") == "1":
            print(f"push {seq}: {figures[-1]:.2f} ms", file=sys.stderr)
        time.sleep(max(0.0, interval - (time.monotonic() - started)))
    figures.sort()
    pct = lambda q: figures[min(len(figures) - 1, int(round(q / 100 * (len(figures) - 1))))]
    print(f"fleet-freshness pushes={len(figures)} every {interval:g}s: p50 {pct(50):.2f} ms, p99 {pct(99):.2f} ms, "
          f"max {figures[-1]:.2f} ms (PUT reply on one replica -> the other serves the new digest)")

if __name__ == "__main__":
    main()
