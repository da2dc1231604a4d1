//! The index layout and what goes into it: the schema's fields, and an article's document
//! (its searchable text, HTML reduced to words).

use super::Analyzer;
use crate::domain::Article;
use crate::domain::markup::plain_text;
use tantivy::TantivyDocument;
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Bumped whenever analysis or the document layout changes without changing the schema: an
/// index written by another format is rebuilt on start.
pub(super) const FORMAT: u32 = 3;
/// How many times the title is written into the words field: its words count that many
/// times in an article's score, so title matches rank first while the query stays one
/// field (and so one postings list per word, ranked with pruning).
pub const TITLE_COPIES: usize = 3;

/// The schema's fields. Title and words exist once per [`Analyzer`], indexed by
/// [`Analyzer::index`]; an article fills only those of its language's analyzer.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fields {
    pub(super) id: Field,
    pub(super) lang: Field,
    pub(super) section: Field,
    /// The slugs of the article's tags, for filtering.
    pub(super) tag: Field,
    pub(super) publish_at: Field,
    pub(super) slug: Field,
    /// The title alone: stored for result headings, and searched by related news.
    pub(super) title: [Field; 3],
    /// Every searchable word of the article, title included: what a query must match. One
    /// field rather than title-or-text per word: at a million articles the union of two
    /// postings lists per word, intersected and scored for every match, cost 20-30 ms a query.
    pub(super) words: [Field; 3],
}

pub(super) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Fast fields (columns) let related news rank candidates without reading documents.
    let id = b.add_i64_field("id", INDEXED | STORED | tantivy::schema::FAST);
    let lang = b.add_text_field("lang", STRING | STORED);
    let section = b.add_i64_field("section", INDEXED | STORED | tantivy::schema::FAST);
    let publish_at = b.add_i64_field("publish_at", INDEXED | STORED | tantivy::schema::FAST);
    let slug = b.add_text_field("slug", STORED);
    let tag = b.add_text_field("tag", STRING);
    let text_options = |a: Analyzer, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(&a.tokenizer_name()).set_index_option(record),
        )
    };
    // Titles are stored for result pages; words only indexed: snippets are cut from the text
    // read from the database, so the index's document store stays small and its pages (mapped
    // into memory) do not grow with every distinct search. Phrases are matched in the words
    // field, so only it keeps positions.
    let title = Analyzer::ALL.map(|a| {
        b.add_text_field(
            &format!("title_{}", a.suffix()),
            text_options(a, IndexRecordOption::WithFreqs).set_stored(),
        )
    });
    let words = Analyzer::ALL.map(|a| {
        b.add_text_field(
            &format!("words_{}", a.suffix()),
            text_options(a, IndexRecordOption::WithFreqsAndPositions),
        )
    });
    (b.build(), Fields { id, lang, section, tag, publish_at, slug, title, words })
}

/// What the index remembers between commits (its commit payload).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(super) struct Payload {
    pub(super) format: u32,
    /// Every change up to this id is in the index.
    pub(super) done: i64,
}

pub(super) fn payload(done: i64) -> String {
    serde_json::json!({ "format": FORMAT, "done": done }).to_string()
}

/// The index document of an article, in the fields of its language's analyzer.
pub(super) fn document(f: &Fields, a: &Article) -> TantivyDocument {
    let k = Analyzer::for_lang(a.lang.as_str()).index();
    let mut doc = TantivyDocument::new();
    doc.add_i64(f.id, a.id);
    doc.add_text(f.lang, a.lang.as_str());
    doc.add_i64(f.section, a.section_id);
    doc.add_i64(f.publish_at, a.publish_at.as_second());
    doc.add_text(f.slug, &a.slug);
    for name in &a.tags {
        doc.add_text(f.tag, crate::domain::tag::slug_of(name));
    }
    doc.add_text(f.title[k], &a.title);
    for _ in 0..TITLE_COPIES {
        doc.add_text(f.words[k], &a.title);
    }
    doc.add_text(f.words[k], searchable_text(&a.lead, &a.body_html));
    if !a.tags.is_empty() {
        // Tag names are found like the text's words.
        doc.add_text(f.words[k], a.tags.join(", "));
    }
    doc
}

/// The text searched besides the title, and cut into snippets: the lead, then the body's text.
pub(super) fn searchable_text(lead: &str, body_html: &str) -> String {
    let body = body_text(body_html);
    match (lead.trim(), body.is_empty()) {
        ("", _) => body,
        (lead, true) => lead.to_string(),
        (lead, false) => format!("{lead}\n{body}"),
    }
}

/// Tags after which words must not run together once the markup is gone.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "li",
    "figure",
    "figcaption",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "pre",
    "dl",
    "dt",
    "dd",
    "div",
    "img",
];

/// The body's text. `plain_text` drops tags without leaving a gap, so "<p>end.</p><p>Start"
/// would become "end.Start"; a space is put before every block-level tag first.
fn body_text(html: &str) -> String {
    let mut spaced = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        spaced.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let name = after.trim_start_matches('/');
        let len = name.bytes().take_while(u8::is_ascii_alphanumeric).count();
        if BLOCK_TAGS.iter().any(|t| t.eq_ignore_ascii_case(&name[..len])) {
            spaced.push(' ');
        }
        spaced.push('<');
        rest = after;
    }
    spaced.push_str(rest);
    plain_text(&spaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_tags_keep_words_apart() {
        assert_eq!(
            body_text("<p>end.</p><p>Start <b>bold</b>ly</p><ul><li>one</li><li>two</li></ul>"),
            "end. Start boldly one two"
        );
    }
}
