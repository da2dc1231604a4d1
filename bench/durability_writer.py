#!/usr/bin/env python3
"""Helper of bench/durability.sh (Python standard library only).

Subcommands:

  write        the back-office writer: signs in, creates and publishes articles (and edits some
               of them) as fast as the server answers, and logs every attempt; a write is
               logged as ACK only after the server's success answer (303 to the editor)
  gen-import   writes a Newsdesk JSON Lines file: one new section and N articles
  batch-count  how many articles (and sections) of one import batch are in the database
  integrity    PRAGMA integrity_check and foreign_key_check on a SQLite file (read-only)
  wait-healthz waits until /healthz answers 200
  verify       after the run: every acknowledged write is in the database, imports are whole
               and present exactly once, the database is intact, and (with --port) search
               agrees with the database

The writer's log has one tab-separated line per event: time, state, op (create/edit), token,
article id, detail. States: TRY (about to send), then ACK (303 to the editor: acknowledged),
NACK (any other answer), DOUBT (sent, no answer: may or may not be committed), DOWN (connection
refused: never sent) or HANGUP (sent, then abandoned on purpose); SIGNIN and SKIP are
bookkeeping. Only ACK obliges the server.

Every token written is a single lowercase word (`zc<run><kind>...`) so that one search for it
must find exactly one article; every article also carries the word MARK so that one search
counts them all.
"""

import argparse
import http.client
import json
import os
import random
import re
import socket
import sqlite3
import struct
import subprocess
import sys
import time
import urllib.parse

MARK = "kestrelmark"
SESSION_COOKIE = "newsdesk_session"


# --------------------------------------------------------------------------------------------
# HTTP with a cookie jar


class Client:
    """One keep-alive connection to 127.0.0.1 with a tiny cookie jar; reconnects after errors."""

    def __init__(self, host, port, timeout=15.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn = None
        self.cookies = {}

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
        self.conn = None

    def request(self, method, path, form=None):
        headers = {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            data = resp.read()
        except Exception:
            self.close()
            raise
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                self._set_cookie(value)
        if (resp.getheader("Connection") or "").lower() == "close":
            self.close()
        return resp.status, resp.getheader("Location"), data.decode("utf-8", "replace")

    def send_and_hang_up(self, method, path, form, after):
        """Sends a form on a connection of its own, then closes it without reading the answer."""
        body = urllib.parse.urlencode(form)
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            time.sleep(after)
            # SO_LINGER 0: the close sends a reset, as a client that is killed or times out does.
            conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        finally:
            conn.close()

    def _set_cookie(self, header):
        parts = [p.strip() for p in header.split(";")]
        if not parts or "=" not in parts[0]:
            return
        name, value = parts[0].split("=", 1)
        expired = any(p.lower() == "max-age=0" for p in parts[1:])
        if expired or value == "":
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value


def hidden(html, name):
    m = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), html)
    return m.group(1) if m else None


# --------------------------------------------------------------------------------------------
# write


class Log:
    def __init__(self, path):
        self.f = open(path, "a", buffering=1, encoding="utf-8")

    def line(self, *fields):
        self.f.write("\t".join([f"{time.time():.3f}"] + [str(x) for x in fields]) + "\n")
        self.f.flush()


def cmd_write(a):
    rng = random.Random(a.seed)
    log = Log(a.log)
    client = Client("127.0.0.1", a.port)
    signed_in = False
    csrf = section = None
    acked = []  # (id, title) of acknowledged creations, for edits
    seq = 0
    errors_in_a_row = 0

    def backoff():
        time.sleep(min(0.5, 0.02 * (1 + errors_in_a_row)))

    while not os.path.exists(a.stop):
        if not signed_in:
            try:
                client.cookies.pop(SESSION_COOKIE, None)
                st, _, html = client.request("GET", "/admin/login")
                login_csrf = hidden(html, "csrf")
                st, loc, _ = client.request(
                    "POST",
                    "/admin/login",
                    {"csrf": login_csrf or "", "next": "/admin", "email": a.email, "password": a.password},
                )
                if st != 303:
                    raise RuntimeError(f"sign-in answered {st}")
                st, _, html = client.request("GET", "/admin/articles/new")
                csrf = hidden(html, "csrf")
                m = re.search(r'name="section">\s*<option value="(\d+)"', html)
                if st != 200 or not csrf or not m:
                    raise RuntimeError(f"editor answered {st}")
                section = m.group(1)
                signed_in = True
                errors_in_a_row = 0
                log.line("SIGNIN", "-", "-", "-", "ok")
            except Exception as e:  # server down or restarting: try again shortly
                errors_in_a_row += 1
                log.line("SIGNIN", "-", "-", "-", f"failed: {type(e).__name__}: {e}")
                backoff()
                continue

        seq += 1
        edit = acked and a.edit_every > 0 and seq % a.edit_every == 0
        if edit:
            art_id, title = rng.choice(acked)
            token = f"zc{a.run}w{a.writer}e{seq:06d}"
            try:
                st, loc, html = client.request("GET", f"/admin/articles/{art_id}")
            except Exception as e:
                errors_in_a_row += 1
                log.line("SKIP", "edit", token, art_id, f"{type(e).__name__}: {e}")
                backoff()
                continue
            version = hidden(html, "version")
            if st != 200 or version is None:
                errors_in_a_row += 1
                if st == 303 and (loc or "").startswith("/admin/login"):
                    signed_in = False
                log.line("SKIP", "edit", token, art_id, f"editor answered {st}")
                backoff()
                continue
            path = f"/admin/articles/{art_id}"
            form = {
                "csrf": csrf,
                "version": version,
                "title": title,
                "lead": f"Edited {token} {MARK}",
                "body": f"<p>Edited body {token} {MARK}</p>",
                "section": section,
                "publish_at": "",
                "action": "publish",
            }
            op = "edit"
        else:
            token = f"zc{a.run}w{a.writer}c{seq:06d}"
            title = f"Durability {MARK} {token}"
            path = "/admin/articles"
            form = {
                "csrf": csrf,
                "lang": "en",
                "title": title,
                "lead": f"Lead {token} {MARK}",
                "body": f"<p>Body {token} {MARK}</p>",
                "section": section,
                "publish_at": "",
                "action": "publish",
            }
            art_id = "-"
            op = "create"

        log.line("TRY", op, token, art_id, "-")
        if op == "create" and a.hangup_pct > 0 and rng.random() * 100 < a.hangup_pct:
            # A client that gives up: the request is sent whole, then the connection is closed
            # after 0-30 ms without reading the answer. Never acknowledged; in doubt.
            try:
                client.send_and_hang_up("POST", path, form, rng.random() * 0.03)
                log.line("HANGUP", op, token, art_id, "-")
            except ConnectionRefusedError as e:
                log.line("DOWN", op, token, art_id, f"{type(e).__name__}: {e}")
            except Exception as e:
                log.line("DOUBT", op, token, art_id, f"{type(e).__name__}: {e}")
            continue
        try:
            st, loc, _ = client.request("POST", path, form)
        except ConnectionRefusedError as e:
            # Nobody listening (the server is down): the request was never sent.
            errors_in_a_row += 1
            log.line("DOWN", op, token, art_id, f"{type(e).__name__}: {e}")
            backoff()
            continue
        except Exception as e:
            # Sent, but no answer: the write may or may not have been committed.
            errors_in_a_row += 1
            log.line("DOUBT", op, token, art_id, f"{type(e).__name__}: {e}")
            backoff()
            continue
        m = re.match(r"^/admin/articles/(\d+)\?saved=1$", loc or "")
        if st == 303 and m:
            errors_in_a_row = 0
            log.line("ACK", op, token, m.group(1), st)
            if op == "create":
                acked.append((int(m.group(1)), title))
        else:
            # Refused or failed: not acknowledged (a 500 may still have committed, so it is
            # only "not acknowledged", never "must be absent").
            errors_in_a_row += 1
            log.line("NACK", op, token, art_id, st)
            if st == 303 and (loc or "").startswith("/admin/login"):
                signed_in = False
            backoff()
        if a.pace > 0:
            time.sleep(a.pace)
    client.close()


# --------------------------------------------------------------------------------------------
# database access: SQLite (read-only) or PostgreSQL through psql


class Db:
    def __init__(self, sqlite_path=None, postgres_url=None):
        self.sqlite_path, self.postgres_url = sqlite_path, postgres_url

    def rows(self, sql):
        if self.postgres_url:
            out = subprocess.run(
                ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-F", "\x1f", "-R", "\x1e",
                 "-d", self.postgres_url, "-c", sql],
                check=True, capture_output=True, text=True,
            ).stdout
            out = out.rstrip("\n")
            return [tuple(r.split("\x1f")) for r in out.split("\x1e") if r != ""]
        con = sqlite3.connect(f"file:{self.sqlite_path}?mode=ro", uri=True, timeout=30)
        try:
            return [tuple("" if v is None else str(v) for v in r) for r in con.execute(sql).fetchall()]
        finally:
            con.close()


def db_from(a):
    if a.postgres:
        return Db(postgres_url=a.postgres)
    return Db(sqlite_path=a.sqlite)


def cmd_batch_count(a):
    db = db_from(a)
    prefix = f"dur-{a.run}-b{a.batch}-"
    n = db.rows(f"SELECT count(*), count(DISTINCT external_id) FROM articles WHERE external_id LIKE '{prefix}%'")[0]
    s = db.rows(f"SELECT count(*) FROM sections WHERE slug = 'dur-{a.run}-b{a.batch}'")[0][0]
    print(f"{n[0]} {n[1]} {s}")


def integrity(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        ic = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        con.close()
    result = "ok" if ic == ["ok"] else "; ".join(ic[:5])
    if fk:
        result += f"; foreign_key_check: {len(fk)} rows, e.g. {fk[:3]}"
    return result


def cmd_integrity(a):
    result = integrity(a.sqlite)
    print(result)
    sys.exit(0 if result == "ok" else 1)


# --------------------------------------------------------------------------------------------
# gen-import


def cmd_gen_import(a):
    slug = f"dur-{a.run}-b{a.batch}"
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(json.dumps({"type": "section", "slug": slug,
                            "names": {"en": f"Durability {a.batch}", "ru": f"Надёжность {a.batch}"},
                            "position": 100 + a.batch}) + "\n")
        for i in range(a.count):
            token = f"zc{a.run}i{a.batch:03d}x{i:05d}"
            day = 1 + i % 28
            f.write(json.dumps({
                "external_id": f"{slug}-{i:05d}",
                "lang": "en",
                "section": slug,
                "title": f"Imported {MARK} {token}",
                "lead": f"Imported lead {token} {MARK}",
                "body_html": f"<p>Imported body {token} {MARK}. " + "Filler text of a news item. " * 8 + "</p>",
                "status": "published",
                "published_at": f"2025-{1 + i % 12:02d}-{day:02d}T{i % 24:02d}:{i % 60:02d}:00+00:00",
            }, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------------------------
# wait-healthz


def healthy(port, timeout=2.0):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        c.request("GET", "/healthz")
        ok = c.getresponse().status == 200
        c.close()
        return ok
    except Exception:
        return False


def cmd_wait_healthz(a):
    deadline = time.time() + a.timeout
    while time.time() < deadline:
        if healthy(a.port):
            return
        time.sleep(0.05)
    sys.exit(1)


# --------------------------------------------------------------------------------------------
# verify


def read_log(path):
    ops = []  # (state, op, token, id, detail) in order
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 6:
                continue
            _, state, op, token, art_id, detail = parts[:6]
            ops.append((state, op, token, art_id, detail))
    return ops


def search_count(client, q):
    st, _, html = client.request("GET", "/en/search?q=" + urllib.parse.quote(q))
    if st != 200:
        return None
    m = re.search(r'<p class="search-count" role="status">(\d+) result', html)
    if m:
        return int(m.group(1))
    if 'class="search-empty"' in html:
        return 0
    return None


def cmd_verify(a):
    db = db_from(a)
    run = a.run
    problems = []
    out = {}
    ops = [o for path in a.log for o in read_log(path)]
    final = {}  # token -> (state, op, id) ; TRY followed by ACK/NACK/DOUBT
    order = []
    for state, op, token, art_id, detail in ops:
        if state == "TRY":
            final[token] = ("DOUBT", op, art_id)  # a TRY with no outcome line counts as doubt
            order.append(token)
        elif state in ("ACK", "NACK", "DOUBT", "HANGUP"):
            final[token] = (state, op, art_id)
        elif state == "DOWN":
            final[token] = (state, op, art_id)
    down = [t for t in order if final[t][0] == "DOWN"]
    out["refused_connection"] = len(down)
    order = [t for t in order if final[t][0] != "DOWN"]
    creates = [t for t in order if final[t][1] == "create"]
    edits = [t for t in order if final[t][1] == "edit"]
    count = lambda toks, st: sum(1 for t in toks if final[t][0] == st)
    out["writes_attempted"] = len(order)
    out["creates_acked"] = count(creates, "ACK")
    out["creates_nack"] = count(creates, "NACK")
    out["creates_doubt"] = count(creates, "DOUBT")
    out["creates_hung_up"] = count(creates, "HANGUP")
    out["edits_acked"] = count(edits, "ACK")
    out["edits_nack"] = count(edits, "NACK")
    out["edits_doubt"] = count(edits, "DOUBT")
    out["signins"] = sum(1 for o in ops if o[0] == "SIGNIN" and o[4] == "ok")
    nack_statuses = {}
    for state, op, token, art_id, detail in ops:
        if state == "NACK":
            nack_statuses[detail] = nack_statuses.get(detail, 0) + 1
    out["nack_statuses"] = nack_statuses

    rows = db.rows(
        "SELECT id, external_id, title, lead, status, CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END, lang "
        f"FROM articles WHERE title LIKE '%zc{run}%'"
    )
    tok_re = re.compile(r"\b(zc%s[0-9a-z]+)\b" % re.escape(run))
    by_title = {}
    by_id = {}
    for r in rows:
        art_id, ext, title, lead, status, deleted, lang = r
        by_id[art_id] = r
        for t in tok_re.findall(title):
            by_title.setdefault(t, []).append(r)

    # Every acknowledged creation: present once, with the acknowledged id, published.
    lost = []
    for t in creates:
        st, _, art_id = final[t]
        found = by_title.get(t, [])
        if len(found) > 1:
            problems.append(f"creation {t} is present {len(found)} times")
        if st == "ACK":
            if not found:
                lost.append(t)
            elif found[0][0] != art_id or found[0][4] != "published" or found[0][5] != "0":
                problems.append(f"acknowledged creation {t} (id {art_id}) is {found[0][:1] + found[0][4:6]}")
    ghosts = [t for t in down if by_title.get(t)]
    if ghosts:
        problems.append(f"{len(ghosts)} writes refused at connect are present anyway, e.g. {ghosts[:5]}")
    out["creates_lost"] = len(lost)
    out["creates_unacked_present"] = sum(1 for t in creates if final[t][0] != "ACK" and by_title.get(t))
    out["creates_doubt_present"] = sum(1 for t in creates if final[t][0] == "DOUBT" and by_title.get(t))
    out["creates_hung_up_present"] = sum(1 for t in creates if final[t][0] == "HANGUP" and by_title.get(t))
    if lost:
        problems.append(f"{len(lost)} acknowledged creations are missing, e.g. {lost[:5]}")

    # Every acknowledged edit: the article's lead is that edit's, or a later unacknowledged one's.
    per_article = {}
    for t in edits:
        st, _, art_id = final[t]
        per_article.setdefault(art_id, []).append((t, st))
    lost_edits = []
    for art_id, seq in per_article.items():
        last_ack = max((i for i, (_, st) in enumerate(seq) if st == "ACK"), default=None)
        if last_ack is None:
            continue
        allowed = [seq[last_ack][0]] + [t for t, st in seq[last_ack + 1:]]
        row = by_id.get(art_id)
        lead = row[3] if row else ""
        if not any(t in lead.split() for t in allowed):
            lost_edits.append((art_id, seq[last_ack][0], lead[:60]))
    out["edits_lost"] = len(lost_edits)
    if lost_edits:
        problems.append(f"{len(lost_edits)} acknowledged edits are missing, e.g. {lost_edits[:3]}")

    # Imports: each batch whole, exactly once.
    batches = [int(b) for b in a.batches.split(",") if b] if a.batches else []
    bad_batches = []
    for b in batches:
        prefix = f"dur-{run}-b{b}-"
        n, distinct = db.rows(
            f"SELECT count(*), count(DISTINCT external_id) FROM articles WHERE external_id LIKE '{prefix}%'")[0]
        toks = sum(len(v) for k, v in by_title.items() if k.startswith(f"zc{run}i{b:03d}x"))
        distinct_toks = sum(1 for k in by_title if k.startswith(f"zc{run}i{b:03d}x"))
        sec = db.rows(f"SELECT count(*) FROM sections WHERE slug = 'dur-{run}-b{b}'")[0][0]
        if not (int(n) == int(distinct) == toks == distinct_toks == a.import_count and sec == "1"):
            bad_batches.append(f"batch {b}: rows {n}, distinct ids {distinct}, titles {toks}/{distinct_toks}, section {sec}")
    out["import_batches"] = len(batches)
    out["import_items_expected"] = len(batches) * a.import_count
    out["import_batches_bad"] = len(bad_batches)
    if bad_batches:
        problems.append("imports not whole or not exactly once: " + "; ".join(bad_batches[:5]))

    # The database itself.
    if a.sqlite:
        out["integrity_check"] = integrity(a.sqlite)
        if out["integrity_check"] != "ok":
            problems.append(f"integrity_check: {out['integrity_check']}")
    else:
        out["integrity_check"] = "n/a (PostgreSQL)"

    published = db.rows(
        "SELECT count(*) FROM articles WHERE lang = 'en' AND status = 'published' AND deleted_at IS NULL "
        f"AND title LIKE '%{MARK}%'")[0][0]
    out["published_marked_in_db"] = int(published)

    # Search against the database (needs a running server).
    if a.port:
        client = Client("127.0.0.1", a.port)
        deadline = time.time() + a.search_timeout
        got = None
        started = time.time()
        while time.time() < deadline:
            try:
                got = search_count(client, MARK)
            except Exception:
                got = None
            if got == int(published):
                break
            time.sleep(0.5)
        out["search_marked_count"] = got
        out["search_caught_up_s"] = round(time.time() - started, 1)
        if got != int(published):
            problems.append(f"search finds {got} articles with '{MARK}', the database has {published}")
        # Tokens: every present article's own token, plus the current edit token of edited ones.
        candidates = sorted(t for t, rs in by_title.items() if any(r[4] == "published" for r in rs))
        edit_tokens = sorted({w for r in rows for w in r[3].split() if re.fullmatch(r"zc%sw\d+e\d+" % re.escape(run), w)})
        rng = random.Random(a.seed)
        if a.search_sample and len(candidates) > a.search_sample:
            candidates = rng.sample(candidates, a.search_sample)
        if a.search_sample and len(edit_tokens) > a.search_sample // 3:
            edit_tokens = rng.sample(edit_tokens, max(1, a.search_sample // 3))
        mismatched = []
        for t in candidates + edit_tokens:
            try:
                n = search_count(client, t)
            except Exception as e:
                n = f"error {e}"
            if n != 1:
                mismatched.append((t, n))
        # A token that was never acknowledged and is absent must not be found either.
        absent = [t for t in creates if not by_title.get(t)]
        for t in absent[: a.search_sample or None]:
            try:
                n = search_count(client, t)
            except Exception as e:
                n = f"error {e}"
            if n != 0:
                mismatched.append((t, n))
        out["search_tokens_checked"] = len(candidates) + len(edit_tokens) + len(absent[: a.search_sample or None])
        out["search_tokens_mismatched"] = len(mismatched)
        if mismatched:
            problems.append(f"search disagrees on {len(mismatched)} tokens, e.g. {mismatched[:5]}")
        client.close()

    out["problems"] = problems
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=1, ensure_ascii=False)
    for k, v in out.items():
        if k != "problems":
            print(f"{k}={json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v}")
    for p in problems:
        print(f"PROBLEM: {p}")
    sys.exit(1 if problems else 0)


# --------------------------------------------------------------------------------------------


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    w = sub.add_parser("write")
    w.add_argument("--port", type=int, required=True)
    w.add_argument("--email", required=True)
    w.add_argument("--password", required=True)
    w.add_argument("--log", required=True)
    w.add_argument("--writer", type=int, default=1, help="this writer's number, part of its tokens")
    w.add_argument("--hangup-pct", type=float, default=0,
                   help="percent of creations sent and then abandoned (connection closed) without reading the answer")
    w.add_argument("--stop", required=True, help="stop once this file exists")
    w.add_argument("--run", required=True)
    w.add_argument("--seed", type=int, default=1)
    w.add_argument("--edit-every", type=int, default=5, help="every Nth write edits an earlier article (0: never)")
    w.add_argument("--pace", type=float, default=0.0, help="seconds to wait between writes")

    def db_args(sp):
        sp.add_argument("--sqlite")
        sp.add_argument("--postgres")
        sp.add_argument("--run", required=True)

    g = sub.add_parser("gen-import")
    g.add_argument("--out", required=True)
    g.add_argument("--run", required=True)
    g.add_argument("--batch", type=int, required=True)
    g.add_argument("--count", type=int, required=True)

    b = sub.add_parser("batch-count")
    db_args(b)
    b.add_argument("--batch", type=int, required=True)

    i = sub.add_parser("integrity")
    i.add_argument("--sqlite", required=True)

    h = sub.add_parser("wait-healthz")
    h.add_argument("--port", type=int, required=True)
    h.add_argument("--timeout", type=float, default=60)

    v = sub.add_parser("verify")
    db_args(v)
    v.add_argument("--log", action="append", required=True, help="a writer's log (repeat for several)")
    v.add_argument("--batches", default="", help="comma-separated batch numbers that must be whole")
    v.add_argument("--import-count", type=int, default=0)
    v.add_argument("--port", type=int, help="a running server to check search against")
    v.add_argument("--search-sample", type=int, default=300, help="tokens to search for (0: all)")
    v.add_argument("--search-timeout", type=float, default=90)
    v.add_argument("--seed", type=int, default=1)
    v.add_argument("--json")

    a = p.parse_args()
    {"write": cmd_write, "gen-import": cmd_gen_import, "batch-count": cmd_batch_count,
     "integrity": cmd_integrity, "wait-healthz": cmd_wait_healthz, "verify": cmd_verify}[a.cmd](a)


if __name__ == "__main__":
    main()
