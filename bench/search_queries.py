"""Times 300 distinct searches on one node, one after another, and prints "median_ms p99_ms".

The queries are pairs of twenty words common in a press office's news (and in the generated
corpus), with page 2 for a third of them, so no answer comes from the page cache. Used by
bench/cluster-million.sh; usable on its own against any node: search_queries.py BASE_URL [--warm].

With --warm, each of the twenty words is searched alone first, untimed: the index is memory-
mapped, and the first search of a word after a start reads its postings into the process
(tens of milliseconds for the longest lists at a million articles), as a node that has been
serving for a while has long done. Without it, those first reads are in the figures.
"""
import http.client
import itertools
import statistics
import sys
import time

WORDS = ["conference", "security", "meeting", "exercise", "cooperation", "summit", "council", "ministers",
         "training", "agreement", "border", "crisis", "terrorism", "migration", "delegation", "experts",
         "information", "peacekeeping", "transport", "infrastructure"]


def main() -> None:
    base = sys.argv[1].replace("http://", "").rstrip("/")
    pairs = list(itertools.combinations(WORDS, 2))
    queries = [f"{a}+{b}" for a, b in pairs] + [f"{a}+{b}&page=2" for a, b in pairs[:110]]
    conn = http.client.HTTPConnection(base)
    if "--warm" in sys.argv[2:]:
        for word in WORDS:
            conn.request("GET", f"/en/search?q={word}")
            conn.getresponse().read()
    times = []
    for q in queries:
        started = time.perf_counter()
        conn.request("GET", f"/en/search?q={q}")
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"/en/search?q={q} answered {response.status}")
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(f"{statistics.median(times):.2f} {times[int(len(times) * 0.99) - 1]:.2f}")


if __name__ == "__main__":
    main()
