"""Generates an import file of N posts in one of the formats Newsdesk reads, for
bench/import-formats.sh: `jsonl`, `ghost` (a Ghost 5 JSON export, its tag and author tables
after the posts as Ghost writes them) or `rss` (RSS 2.0 with full text). English and Russian
text, Cyrillic titles, a tag and an author per post.

    python3 bench/formats_generate.py FORMAT POSTS > FILE
"""
import json
import sys

fmt, posts = sys.argv[1], int(sys.argv[2])
out = sys.stdout
PARAGRAPHS = [
    "Министры иностранных дел обсудили «дорожную карту» сотрудничества на 2026–2030 годы.",
    "The ministers discussed a roadmap for cooperation in 2026–2030, the press service said.",
    "Стороны договорились продолжить консультации на уровне заместителей министров.",
    "The parties agreed to continue consultations at the level of deputy ministers.",
]


def body(i):
    return "".join(f"<p>{PARAGRAPHS[(i + k) % 4]} ({i}.{k})</p>" for k in range(6))


def title(i):
    return f"Заседание Совета министров № {i}" if i % 2 else f"Council of Ministers meeting no. {i}"


def date(i):
    day = i % 28 + 1
    month = i // 28 % 12 + 1
    year = 2000 + i // (28 * 12) % 26
    return year, month, day


if fmt == "jsonl":
    for i in range(1, posts + 1):
        y, m, d = date(i)
        out.write(json.dumps({
            "external_id": f"bench-{i}", "lang": "ru" if i % 2 else "en", "title": title(i),
            "lead": PARAGRAPHS[i % 4], "body_html": body(i), "published_at": f"{y}-{m:02}-{d:02} 10:00",
            "tags": [f"Тема {i % 50}"], "bylines": ["Пресс-служба"],
        }, ensure_ascii=False) + "\n")
elif fmt == "ghost":
    out.write('{"db":[{"meta":{"exported_on":1735725600000,"version":"5.130.4"},"data":{"posts":[')
    for i in range(1, posts + 1):
        y, m, d = date(i)
        out.write(("," if i > 1 else "") + json.dumps({
            "id": f"{i:024x}", "uuid": f"00000000-0000-4000-8000-{i:012x}", "title": title(i),
            "slug": f"post-{i}", "html": body(i), "status": "published", "visibility": "public",
            "type": "post", "custom_excerpt": PARAGRAPHS[i % 4],
            "published_at": f"{y}-{m:02}-{d:02}T10:00:00.000Z", "created_at": f"{y}-{m:02}-{d:02}T09:00:00.000Z",
        }, ensure_ascii=False))
    out.write('],"tags":[')
    out.write(",".join(json.dumps({"id": f"{10**9 + k:024x}", "name": f"Тема {k}", "slug": f"tema-{k}",
                                   "visibility": "public"}, ensure_ascii=False) for k in range(50)))
    out.write('],"posts_tags":[')
    out.write(",".join(f'{{"id":"t{i}","post_id":"{i:024x}","tag_id":"{10**9 + i % 50:024x}","sort_order":0}}'
                       for i in range(1, posts + 1)))
    out.write('],"users":[{"id":"1","name":"Пресс-служба","slug":"press","email":"press@example.org"}],"posts_authors":[')
    out.write(",".join(f'{{"id":"a{i}","post_id":"{i:024x}","author_id":"1","sort_order":0}}'
                       for i in range(1, posts + 1)))
    out.write('],"settings":[{"key":"locale","value":"ru"}]}}]}\n')
elif fmt == "rss":
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
              'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
              '<channel><title>Press</title><link>https://old.example/</link><description>News</description>'
              '<language>ru</language>\n')
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    for i in range(1, posts + 1):
        y, m, d = date(i)
        out.write(f"<item><title>{title(i)}</title><link>https://old.example/news/{i}</link>"
                  f"<guid>https://old.example/news/{i}</guid><pubDate>{d:02} {months[m - 1]} {y} 10:00:00 +0300</pubDate>"
                  f"<category>Тема {i % 50}</category><dc:creator>Пресс-служба</dc:creator>"
                  f"<description>{PARAGRAPHS[i % 4]}</description>"
                  f"<content:encoded><![CDATA[{body(i)}]]></content:encoded></item>\n")
    out.write("</channel></rss>\n")
else:
    sys.exit(f"unknown format {fmt}: jsonl, ghost or rss")
