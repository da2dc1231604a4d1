#!/usr/bin/env python3
"""Writes a WordPress export (WXR 1.2) of N generated posts to standard output, streaming.

Posts alternate English and Russian (Cyrillic titles, slugs and tags), a fifth are drafts, a
tenth scheduled, each has a category, two tags, three paragraphs with curly quotes and a
caption shortcode, and every hundredth carries a comment. Used by bench/import-million.sh.
"""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
out = sys.stdout
out.write('''<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Generated press office</title><link>http://old.example.org</link><language>ru-RU</language>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>http://old.example.org</wp:base_site_url>
<wp:author><wp:author_login><![CDATA[press]]></wp:author_login><wp:author_display_name><![CDATA[Пресс-служба]]></wp:author_display_name></wp:author>
''')
categories = [("statements", "Statements"), ("novosti", "Новости"), ("events", "Events")]
for i in range(1, n + 1):
    year = 2015 + i % 10
    month = 1 + i % 12
    day = 1 + i % 28
    ru = i % 2 == 0
    title = f"Заявление «номер {i}» о сотрудничестве" if ru else f"Statement “number {i}” on cooperation"
    slug = f"%d0%b7%d0%b0%d1%8f%d0%b2%d0%bb%d0%b5%d0%bd%d0%b8%d0%b5-{i}" if ru else f"statement-{i}"
    status = "draft" if i % 5 == 0 else ("future" if i % 10 == 1 else "publish")
    cat = categories[i % 3]
    tag = ("Москва", "%d0%bc%d0%be%d1%81%d0%ba%d0%b2%d0%b0") if ru else ("climate finance", "climate-finance")
    comment = "<wp:comment><wp:comment_id>1</wp:comment_id></wp:comment>" if i % 100 == 0 else ""
    out.write(f'''<item><title><![CDATA[{title}]]></title><link>http://old.example.org/{year}/{month:02}/{day:02}/{slug}/</link>
<dc:creator><![CDATA[press]]></dc:creator><guid isPermaLink="false">http://old.example.org/?p={i}</guid>
<content:encoded><![CDATA[<!-- wp:paragraph --><p>The “first” paragraph of post {i}, with a <a href="https://example.org/{i}">link</a>.</p><!-- /wp:paragraph -->
[caption id="" align="alignnone" width="300"]<img src="http://old.example.org/wp-content/uploads/2020/01/photo-{i}.jpg" alt="" /> A caption[/caption]
Second paragraph — with ‘quotes’ and more words to make a realistic length of text for a news item.

Third paragraph of the text.]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{i}</wp:post_id>
<wp:post_date><![CDATA[{year}-{month:02}-{day:02} 10:00:00]]></wp:post_date><wp:post_date_gmt><![CDATA[{year + (10 if status == "future" else 0)}-{month:02}-{day:02} 07:00:00]]></wp:post_date_gmt>
<wp:post_name><![CDATA[{slug}]]></wp:post_name><wp:status><![CDATA[{status}]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
<category domain="category" nicename="{cat[0]}"><![CDATA[{cat[1]}]]></category>
<category domain="post_tag" nicename="{tag[1]}"><![CDATA[{tag[0]}]]></category>
<category domain="post_tag" nicename="tag-{i % 50}"><![CDATA[Tag {i % 50}]]></category>
{comment}</item>
''')
out.write("</channel>\n</rss>\n")
