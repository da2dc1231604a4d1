#!/usr/bin/env python3
"""A publishing burst through the editorial API, for bench/burst.sh (standard library only).

    burst_writer.py --base http://127.0.0.1:PORT --section SLUG --duration SECONDS \
                    --tokens TOKEN[,TOKEN...] --out summary.json

For DURATION seconds it
  * creates and publishes one new English article a second (POST /api/v1/articles with
    status "published"), with the first token;
  * makes ten draft saves a second (PATCH /api/v1/articles/{id} with If-Match), spread round
    robin over one draft per remaining token (over the first token's draft if only one is given);
  * after each publication's 201, polls the home page /en/, the article's own page and its
    section's list /en/<section> until the new title is on each, and records the milliseconds
    from the moment the 201 was received.

Any answer other than the expected status stops the run: its status and body are printed and
the summary says why (exit status 2). A publication not visible on a page within
--visibility-timeout seconds also stops it (exit status 3).
"""

import argparse
import http.client
import json
import random
import statistics
import sys
import threading
import time
import urllib.parse

PAGE_KINDS = ("home", "article", "section")


class Stop(Exception):
    pass


class Run:
    def __init__(self, args):
        self.args = args
        u = urllib.parse.urlsplit(args.base)
        self.host, self.port = u.hostname, u.port or 80
        self.tokens = [t for t in args.tokens.split(",") if t]
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.failure = None
        self.publications = 0
        self.draft_saves = 0
        self.statuses = {}  # "METHOD kind status" -> count, for every API answer
        self.write_ms = {"publish": [], "draft": []}
        self.visibility = {k: [] for k in PAGE_KINDS}
        self.polls = 0
        self.pending = []  # visibility threads

    def conn(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=10)

    def fail(self, why):
        with self.lock:
            if self.failure is None:
                self.failure = why
                print(f"burst_writer: STOP: {why}", file=sys.stderr, flush=True)
        self.stop.set()

    def count(self, key):
        with self.lock:
            self.statuses[key] = self.statuses.get(key, 0) + 1

    def api(self, conn, method, path, token, body, expect, headers=None):
        """One API call on a keep-alive connection; returns (status, headers, json, ms)."""
        h = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
             "Accept": "application/json"}
        h.update(headers or {})
        data = json.dumps(body).encode()
        t = time.perf_counter()
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            raw = r.read()
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            self.count(f"{method} {path.split('/')[3]} connection-error")
            raise Stop(f"{method} {path}: {type(e).__name__}: {e}")
        ms = (time.perf_counter() - t) * 1000
        kind = "create" if method == "POST" else "patch"
        self.count(f"{method} {kind} {r.status}")
        if r.status != expect:
            raise Stop(f"{method} {path} answered {r.status} (expected {expect}); "
                       f"headers {dict(r.getheaders())}; body: {raw.decode(errors='replace')[:2000]}")
        try:
            doc = json.loads(raw)
        except ValueError:
            raise Stop(f"{method} {path} answered {r.status} with a body that is not JSON: {raw[:500]!r}")
        return r.status, r, doc, ms

    # --- publications -------------------------------------------------------------------

    def publisher(self, t0, end):
        conn = self.conn()
        token = self.tokens[0]
        n = 0
        try:
            while not self.stop.is_set():
                at = t0 + n * self.args.publish_interval
                if at >= end:
                    break
                delay = at - time.monotonic()
                if delay > 0 and self.stop.wait(delay):
                    break
                n += 1
                title = f"Burst {n} {random.getrandbits(48):012x}"
                body = {"lang": "en", "title": title, "lead": f"Lead of burst publication {n}.",
                        "body_html": f"<p>Body of burst publication {n}, published through the API.</p>",
                        "section": self.args.section, "status": "published"}
                _, _, doc, ms = self.api(conn, "POST", "/api/v1/articles", token, body, 201)
                received = time.monotonic()
                url = doc.get("url")
                if not url or doc.get("status") != "published":
                    raise Stop(f"publication {n} answered 201 without a public url or not published: {doc}")
                path = urllib.parse.urlsplit(url).path
                with self.lock:
                    self.publications += 1
                    self.write_ms["publish"].append(ms)
                for kind, page in (("home", "/en/"), ("article", path),
                                   ("section", f"/en/{self.args.section}")):
                    th = threading.Thread(target=self.watch, args=(kind, page, title, received, n),
                                          daemon=True)
                    th.start()
                    self.pending.append(th)
        except Stop as e:
            self.fail(f"publication: {e}")
        finally:
            conn.close()

    def watch(self, kind, page, title, received, n):
        """Polls one page until the title is on it; records ms since the 201 was received."""
        needle = title.encode()
        deadline = received + self.args.visibility_timeout
        conn = self.conn()
        status = None
        try:
            while True:
                try:
                    conn.request("GET", page)
                    r = conn.getresponse()
                    body = r.read()
                    status = r.status
                except (OSError, http.client.HTTPException) as e:
                    conn.close()
                    self.fail(f"polling {page} for publication {n}: {type(e).__name__}: {e}")
                    return
                now = time.monotonic()
                with self.lock:
                    self.polls += 1
                if status == 200 and needle in body:
                    with self.lock:
                        self.visibility[kind].append((now - received) * 1000)
                    return
                if status not in (200, 404):
                    self.fail(f"polling {page} for publication {n} answered {status}: "
                              f"{body.decode(errors='replace')[:1000]}")
                    return
                if now > deadline:
                    self.fail(f"publication {n} ({title!r}) not on the {kind} page {page} "
                              f"{self.args.visibility_timeout} s after its 201 (last status {status})")
                    return
                time.sleep(self.args.poll_interval)
        finally:
            conn.close()

    # --- draft saves --------------------------------------------------------------------

    def drafts(self, t0, end):
        tokens = self.tokens[1:] or self.tokens[:1]
        conn = self.conn()
        try:
            # One draft per token, each an editor working on their own article.
            state = []
            for i, token in enumerate(tokens):
                body = {"lang": "en", "title": f"Burst draft {i} {random.getrandbits(32):08x}",
                        "lead": "draft save 0", "body_html": "<p>A draft being written.</p>",
                        "section": self.args.section, "status": "draft"}
                _, r, doc, _ = self.api(conn, "POST", "/api/v1/articles", token, body, 201)
                state.append([token, doc["id"], doc["version"], r.getheader("ETag")])
            interval = 1.0 / self.args.draft_rate
            n = 0
            while not self.stop.is_set():
                at = t0 + n * interval
                if at >= end:
                    break
                delay = at - time.monotonic()
                if delay > 0 and self.stop.wait(delay):
                    break
                n += 1
                d = state[n % len(state)]
                token, aid, version, _ = d
                _, r, doc, ms = self.api(conn, "PATCH", f"/api/v1/articles/{aid}", token,
                                         {"lead": f"draft save {n}"}, 200,
                                         {"If-Match": f'"{version}"'})
                etag = r.getheader("ETag")
                new_version = doc.get("version")
                if etag is not None and etag.strip('"') != str(new_version):
                    raise Stop(f"PATCH answer's ETag {etag} differs from its version {new_version}")
                if doc.get("status") != "draft" or doc.get("url") is not None:
                    raise Stop(f"a draft save changed the draft's status or gave it a url: {doc}")
                d[2] = new_version
                with self.lock:
                    self.draft_saves += 1
                    self.write_ms["draft"].append(ms)
        except Stop as e:
            self.fail(f"draft save: {e}")
        finally:
            conn.close()


def summary_of(values):
    v = sorted(values)
    if not v:
        return {"n": 0}
    return {"n": len(v), "median": round(statistics.median(v), 2),
            "p95": round(v[max(0, int(len(v) * 0.95 + 0.5) - 1)], 2), "max": round(v[-1], 2)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--section", required=True)
    p.add_argument("--tokens", required=True, help="comma-separated; the first publishes")
    p.add_argument("--duration", type=float, required=True)
    p.add_argument("--publish-interval", type=float, default=1.0, help="seconds between publications")
    p.add_argument("--draft-rate", type=float, default=10.0, help="draft saves a second")
    p.add_argument("--poll-interval", type=float, default=0.002)
    p.add_argument("--visibility-timeout", type=float, default=5.0)
    p.add_argument("--out", required=True)
    args = p.parse_args()

    run = Run(args)
    t0 = time.monotonic() + 0.05
    end = t0 + args.duration
    threads = [threading.Thread(target=run.publisher, args=(t0, end)),
               threading.Thread(target=run.drafts, args=(t0, end))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for t in list(run.pending):
        t.join(args.visibility_timeout + 1)
    elapsed = time.monotonic() - t0

    out = {
        "duration_s": round(elapsed, 2),
        "publications": run.publications,
        "publications_per_s": round(run.publications / elapsed, 2),
        "draft_saves": run.draft_saves,
        "draft_saves_per_s": round(run.draft_saves / elapsed, 2),
        "tokens": len(run.tokens),
        "drafts": max(1, len(run.tokens) - 1),
        "api_statuses": run.statuses,
        "errors": {k: v for k, v in run.statuses.items()
                   if not (k.startswith("POST create 201") or k.startswith("PATCH patch 200"))},
        "write_ms": {k: summary_of(v) for k, v in run.write_ms.items()},
        "visibility_ms": {k: summary_of(v) for k, v in run.visibility.items()},
        "visibility_raw_ms": {k: [round(x, 2) for x in v] for k, v in run.visibility.items()},
        "write_raw_ms": {k: [round(x, 2) for x in v] for k, v in run.write_ms.items()},
        "page_polls": run.polls,
        "failure": run.failure,
    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
    if run.failure:
        sys.exit(3 if "not on the" in run.failure else 2)


if __name__ == "__main__":
    main()
