//! Marks the words a reader searched for in titles and snippets.
//!
//! The output is HTML built here from plain text: every piece of the text is escaped, and the
//! only markup added is `<mark>`. Nothing stored is trusted as HTML.
//!
//! Matching uses the query's own terms (already stemmed by the language's analyzer), so a
//! search for "conference" marks "conferences" too. To stay fast on long bodies, a word is only
//! stemmed when it begins like one of the terms (Snowball stemmers change endings only), and a
//! snippet scans at most [`MAX_SCAN`] bytes.

use crate::domain::markup::escape;
use std::ops::Range;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// How far into a text a snippet looks for matches, in bytes.
pub const MAX_SCAN: usize = 64 * 1024;
/// At most this many matches are considered when choosing a snippet's window.
const MAX_MATCHES: usize = 32;
/// Characters of context shown before the first match in a snippet (at most a quarter of it).
const CONTEXT_BEFORE: usize = 60;

/// Finds and marks query terms in text, for one query.
pub struct Highlighter {
    analyzer: TextAnalyzer,
    terms: Vec<String>,
    /// For each term, what a word must begin with (lowercased, «ё» as «е») to possibly stem to
    /// it: the term without its last letter, which English may change (y→i), or only its first
    /// letter for short terms, where a few irregular words differ more (dying→die).
    prefixes: Vec<String>,
}

impl Highlighter {
    /// `terms` are the query's terms as the index stores them (lowercased and stemmed by
    /// `analyzer`).
    pub fn new(analyzer: TextAnalyzer, terms: impl IntoIterator<Item = String>) -> Highlighter {
        let mut terms: Vec<String> = terms.into_iter().filter(|t| !t.is_empty()).collect();
        terms.sort();
        terms.dedup();
        let prefixes = terms
            .iter()
            .map(|t| {
                let n = t.chars().count();
                t.chars().take(if n <= 3 { 1 } else { n - 1 }).collect()
            })
            .collect();
        Highlighter { analyzer, terms, prefixes }
    }

    /// Whether one word (a run of letters and digits) is a form of a query term. Only words
    /// that begin like a term are stemmed, which keeps long texts cheap to scan.
    fn matches(&mut self, word: &str) -> bool {
        let plausible = self.prefixes.iter().any(|prefix| {
            let mut lower = word.chars().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c });
            prefix.chars().all(|c| lower.next() == Some(c))
        });
        if !plausible {
            return false;
        }
        let mut stream = self.analyzer.token_stream(word);
        stream.advance() && self.terms.iter().any(|t| *t == stream.token().text)
    }

    /// Byte ranges of matching words in `text[..limit]`, at most `max` of them; with `span`,
    /// the search also stops `span` bytes after the first match.
    fn find(&mut self, text: &str, mut limit: usize, max: usize, span: Option<usize>) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        if self.terms.is_empty() {
            return found;
        }
        for range in words(text) {
            if range.start >= limit || found.len() >= max {
                break;
            }
            if self.matches(&text[range.clone()]) {
                if let (None, Some(span)) = (found.first(), span) {
                    limit = limit.min(range.start.saturating_add(span));
                }
                found.push(range);
            }
        }
        found
    }

    /// The whole text, escaped, with every match marked (for titles).
    pub fn mark_all(&mut self, text: &str) -> String {
        let found = self.find(text, text.len(), usize::MAX, None);
        render(text, 0..text.len(), &found)
    }

    /// About `length` characters of `text` around its best run of matches, escaped and marked,
    /// with "…" where it was cut. Without matches, the beginning of the text.
    pub fn snippet(&mut self, text: &str, length: usize) -> String {
        // Windows starting a little after the first match are enough to choose from; the
        // bound is in bytes, generous for two-byte letters.
        let found = self.find(text, MAX_SCAN.min(text.len()), MAX_MATCHES, Some(length * 8));
        let before = CONTEXT_BEFORE.min(length / 4);
        // The window holding the most distinct matched words wins; the earliest among equals.
        let mut best: Option<(usize, usize)> = None; // (distinct matches, index of the first)
        for (i, first) in found.iter().enumerate() {
            let end = advance_chars(text, first.start, length - before);
            let mut seen: Vec<String> = Vec::new();
            for m in found[i..].iter().take_while(|m| m.end <= end) {
                let w = text[m.clone()].to_lowercase();
                if !seen.contains(&w) {
                    seen.push(w);
                }
            }
            if best.is_none_or(|(n, _)| seen.len() > n) {
                best = Some((seen.len(), i));
            }
        }
        let anchor = best.map(|(_, i)| found[i].start).unwrap_or(0);
        let mut start = if anchor == 0 { 0 } else { back_chars(text, anchor, before) };
        if start > 0 {
            // Begin at a word: skip the partial one the cut landed in.
            start = text[start..anchor].find(char::is_whitespace).map(|i| start + i + 1).unwrap_or(anchor);
        }
        let mut end = advance_chars(text, start, length);
        if end < text.len()
            && let Some(space) = text[start..end].rfind(char::is_whitespace)
            && start + space > anchor
        {
            end = start + space;
        }
        let mut out = String::with_capacity(end - start + 64);
        if start > 0 {
            out.push_str("… ");
        }
        out.push_str(&render(text, start..end, &found));
        if end < text.len() {
            out.push_str(" …");
        }
        out
    }
}

/// Escapes `text[window]`, wrapping the given ranges (where inside the window) in `<mark>`.
fn render(text: &str, window: Range<usize>, marks: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(window.len() + marks.len() * 13);
    let mut at = window.start;
    for m in marks.iter().filter(|m| m.start >= window.start && m.end <= window.end) {
        out.push_str(&escape(&text[at..m.start]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[m.clone()]));
        out.push_str("</mark>");
        at = m.end;
    }
    out.push_str(&escape(&text[at..window.end]));
    out
}

/// Byte ranges of the words in `text`, split exactly as the index's tokenizer splits them
/// (runs of alphanumeric characters).
fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let start = loop {
            let (i, c) = chars.next()?;
            if is_word_char(c) {
                break i;
            }
        };
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if !is_word_char(c) {
                end = i;
                break;
            }
            chars.next();
        }
        Some(start..end)
    })
}

/// `char::is_alphanumeric`, with shortcuts for ASCII and the Cyrillic letters (U+0400–U+04FF
/// less the signs and combining marks U+0482–U+0489), which make up nearly all our text.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{400}'..='\u{4FF}').contains(&c) {
        !('\u{482}'..='\u{489}').contains(&c)
    } else {
        c.is_alphanumeric()
    }
}

/// The byte offset `n` characters after `from` (or the end).
fn advance_chars(text: &str, from: usize, n: usize) -> usize {
    text[from..].char_indices().nth(n).map(|(i, _)| from + i).unwrap_or(text.len())
}

/// The byte offset `n` characters before `from` (or the start).
fn back_chars(text: &str, from: usize, n: usize) -> usize {
    text[..from].char_indices().rev().nth(n.saturating_sub(1)).map(|(i, _)| i).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analysis::{Analyzer, terms};

    fn highlighter(analyzer: Analyzer, query: &str) -> Highlighter {
        let mut a = analyzer.build();
        let t = terms(&mut a, query);
        Highlighter::new(a, t)
    }

    #[test]
    fn marks_every_form_and_escapes_the_rest() {
        let mut h = highlighter(Analyzer::English, "conference");
        assert_eq!(
            h.mark_all("Conferences & <b>the</b> conference"),
            "<mark>Conferences</mark> &amp; &lt;b&gt;the&lt;/b&gt; <mark>conference</mark>"
        );
        let mut h = highlighter(Analyzer::Russian, "конференция");
        assert_eq!(h.mark_all("О конференции «Ёлка»"), "О <mark>конференции</mark> «Ёлка»");
        let mut h = highlighter(Analyzer::Russian, "елка");
        assert_eq!(h.mark_all("Ёлки"), "<mark>Ёлки</mark>");
    }

    #[test]
    fn irregular_and_changed_endings_are_still_marked() {
        let mut h = highlighter(Analyzer::English, "dying happiness skies");
        assert_eq!(h.mark_all("Die, happy sky"), "<mark>Die</mark>, <mark>happy</mark> <mark>sky</mark>");
        let mut h = highlighter(Analyzer::English, "happy");
        assert_eq!(
            h.mark_all("Happiness, happily, happy"),
            "<mark>Happiness</mark>, happily, <mark>happy</mark>"
        );
        let mut h = highlighter(Analyzer::Russian, "длинный");
        assert_eq!(h.mark_all("Длинная длинной"), "<mark>Длинная</mark> <mark>длинной</mark>");
    }

    #[test]
    fn snippets_show_the_match_in_context() {
        let filler = "Lorem ipsum dolor sit amet. ".repeat(20);
        let text = format!("{filler}The delegates met at the annual conference in Minsk. {filler}");
        let mut h = highlighter(Analyzer::English, "conferences");
        let s = h.snippet(&text, 160);
        assert!(s.starts_with("… ") && s.ends_with(" …"), "{s}");
        assert!(s.contains("annual <mark>conference</mark> in Minsk"), "{s}");
        assert!(s.chars().count() < 180, "{s}");
        let mut none = highlighter(Analyzer::English, "zebra");
        let s = none.snippet(&text, 40);
        assert!(s.starts_with("Lorem ipsum") && s.ends_with(" …") && !s.contains("<mark>"), "{s}");
        assert_eq!(none.snippet("short", 40), "short");
    }

    #[test]
    fn snippets_prefer_the_window_with_more_terms() {
        let text = format!("Security first. {} Security council meets today.", "word ".repeat(80));
        let mut h = highlighter(Analyzer::English, "security council");
        let s = h.snippet(&text, 60);
        assert!(s.contains("<mark>Security</mark> <mark>council</mark>"), "{s}");
    }

    #[test]
    fn word_characters_agree_with_the_standard_library() {
        for c in ('\0'..='\u{2FFF}').chain(['\u{1F600}', '\u{4E2D}', '\u{FF10}']) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?} U+{:04X}", c as u32);
        }
    }

    #[test]
    fn words_split_like_the_tokenizer() {
        let text = "Пресс-служба: ОДКБ, 2025 г.";
        let w: Vec<&str> = words(text).map(|r| &text[r]).collect();
        assert_eq!(w, vec!["Пресс", "служба", "ОДКБ", "2025", "г"]);
    }
}
