"""Publications through one node, watched on the others, for bench/converge.sh (standard
library only).

    converge_writer.py --writer http://127.0.0.1:A --readers http://127.0.0.1:B,http://127.0.0.1:C \
                       --token TOKEN --section SLUG --count N --out summary.json

Publishes N English articles one after another through the writer's editorial API (POST
/api/v1/articles, status "published"), and for each, from the moment its 201 arrives, polls on
every reader node the article's own page and the language's home page until the new title is
there, every 2 ms. It records the milliseconds per node and page and writes their median, p90,
p99 and maximum. A publication not seen within --timeout seconds on some node stops the run
(exit status 3); any unexpected API answer stops it too (exit status 2).
"""

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
import urllib.parse


def conn_for(base):
    u = urllib.parse.urlsplit(base)
    return http.client.HTTPConnection(u.hostname, u.port or 80, timeout=10)


def fetch(conn, path):
    conn.request("GET", path, headers={"Accept-Encoding": "identity"})
    r = conn.getresponse()
    return r.status, r.read()


def percentile(values, p):
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


def watch(base, path, needle, started, timeout, out, key):
    conn = conn_for(base)
    while True:
        try:
            status, body = fetch(conn, path)
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = conn_for(base)
            status, body = 0, b""
        if status == 200 and needle in body:
            out[key] = (time.perf_counter() - started) * 1000
            return
        if time.perf_counter() - started > timeout:
            out[key] = None
            return
        time.sleep(0.002)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--writer", required=True)
    ap.add_argument("--readers", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--section", required=True)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--timeout", type=float, default=10)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    readers = [r for r in a.readers.split(",") if r]
    writer = conn_for(a.writer)
    seen = {}  # (reader, page) -> [ms]
    for n in range(a.count):
        title = f"Convergence check {n} {time.time_ns()}"
        body = {"lang": "en", "title": title, "lead": "Seen everywhere at once.",
                "body_html": "<p>Published through one node, read on the others.</p>",
                "section": a.section, "status": "published"}
        writer.request("POST", "/api/v1/articles", body=json.dumps(body).encode(),
                       headers={"Authorization": f"Bearer {a.token}",
                                "Content-Type": "application/json", "Accept": "application/json"})
        r = writer.getresponse()
        raw = r.read()
        started = time.perf_counter()
        if r.status != 201:
            print(f"converge_writer: POST answered {r.status}: {raw[:300]!r}", file=sys.stderr)
            sys.exit(2)
        doc = json.loads(raw)
        path = urllib.parse.urlsplit(doc["url"]).path
        needle = title.encode()
        results, threads = {}, []
        for base in readers:
            for page, p in (("article", path), ("home", "/en/")):
                t = threading.Thread(target=watch, args=(base, p, needle, started, a.timeout, results, (base, page)))
                t.start()
                threads.append(t)
        for t in threads:
            t.join()
        for key, ms in results.items():
            if ms is None:
                print(f"converge_writer: publication {n} not on {key} within {a.timeout} s", file=sys.stderr)
                sys.exit(3)
            seen.setdefault(key, []).append(ms)
        time.sleep(0.05)
    summary = {"publications": a.count, "nodes": {}}
    every = []
    for (base, page), values in sorted(seen.items()):
        every.extend(values)
        summary["nodes"].setdefault(base, {})[page] = {
            "median_ms": round(statistics.median(values), 1), "p90_ms": round(percentile(values, 90), 1),
            "p99_ms": round(percentile(values, 99), 1), "max_ms": round(max(values), 1)}
    summary["all"] = {"median_ms": round(statistics.median(every), 1), "p90_ms": round(percentile(every, 90), 1),
                      "p99_ms": round(percentile(every, 99), 1), "max_ms": round(max(every), 1)}
    with open(a.out, "w") as f:
        json.dump(summary, f, indent=2)
    print(json.dumps(summary["all"]))


if __name__ == "__main__":
    main()
