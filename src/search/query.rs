//! What a reader may type into the search box, and what a search asks for and returns.
//!
//! Readers get words, "quoted phrases", `-word` to exclude and `+word` to require (every word
//! is required anyway), and parentheses with `OR`. Field names, ranges, boosts and wildcards of
//! the underlying query language are not for readers: their characters become spaces, so "Note:
//! meeting" searches for two words instead of a field named "Note".

use jiff::Timestamp;

/// Longest query kept, in characters; the rest is dropped.
pub const MAX_QUERY: usize = 200;

/// The order of results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first (BM25 over all the words, a word found in the title weighing more).
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

/// One search.
#[derive(Debug, Clone)]
pub struct SearchRequest<'a> {
    /// The page's language: only articles in it are searched, with its analyzer.
    pub lang: &'a str,
    /// What the reader typed.
    pub text: &'a str,
    pub section_id: Option<i64>,
    /// A tag's slug: only articles carrying it.
    pub tag: Option<&'a str>,
    /// Inclusive lower bound on the publication time.
    pub from: Option<Timestamp>,
    /// Exclusive upper bound on the publication time.
    pub to: Option<Timestamp>,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
}

/// One page of results.
#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    /// How many articles match in all, or as many as were counted when `more` is set.
    pub total: usize,
    /// More articles match than `total` says: counting stopped at the search's cap.
    pub more: bool,
    pub hits: Vec<Hit>,
}

/// One matching article, with everything a results page shows (no database query needed).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    /// The title, escaped, with matched words in `<mark>`.
    pub title_html: String,
    /// A passage of the lead and body around the matches, escaped, matches in `<mark>`.
    pub snippet_html: String,
    pub publish_at: Timestamp,
}

/// The reader's text made safe for the query parser: trimmed, shortened, and with the syntax
/// that readers are not offered turned into spaces. Apostrophes are escaped so that
/// "organization's" stays one word (matched as the phrase the tokenizer makes of it).
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_QUERY * 4) + 8);
    for c in text.trim().chars().take(MAX_QUERY) {
        match c {
            ':' | '^' | '`' | '{' | '}' | '[' | ']' | '!' | '\\' | '*' | '~' | '<' | '>' | '=' => {
                out.push(' ')
            }
            '\'' => out.push_str("\\'"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    drop_excluded_phrases(&out)
}

/// Removes excluded phrases (`-"loss and"`): Tantivy 0.27's phrase scorer fails an internal
/// check when an excluded phrase occurs in the index (found by fuzzing; it panics in debug
/// builds, and what release builds return is not known). Ignoring the exclusion can only widen
/// the results, never hide one. Excluded single words (`-draft`) work and stay.
fn drop_excluded_phrases(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '-' && chars.peek() == Some(&'"') {
            chars.next();
            for d in chars.by_ref() {
                if d == '"' {
                    break;
                }
            }
            out.push(' ');
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_syntax_is_kept_and_the_rest_neutralized() {
        assert_eq!(sanitize("  \"climate conference\" -draft "), "\"climate conference\" -draft");
        assert_eq!(sanitize("Note: title:x^2 [a TO b] *"), "Note  title x 2  a TO b   ");
        assert_eq!(sanitize("organization's"), "organization\\'s");
        assert_eq!(sanitize(&"я".repeat(500)).chars().count(), MAX_QUERY);
        assert_eq!(sanitize("budget -\"loss and\" now"), "budget   now");
        assert_eq!(sanitize("-\"loss and\"\""), " \"");
    }
}
