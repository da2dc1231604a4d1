//! The source beside a translation in the editor: its title, lead and paragraphs as reference
//! text (never copied into the translation's fields), with the paragraphs that changed since the
//! translation was last saved marked, so the translator sees what to bring up to date.

use crate::domain::markup;
use minijinja::{Value, context};
use similar::{Algorithm, DiffOp, capture_diff_slices};

/// The block elements a body is read in: each is one paragraph of reference text.
const BLOCK_ENDS: &[&str] = &[
    "</p>",
    "</h2>",
    "</h3>",
    "</h4>",
    "</li>",
    "</blockquote>",
    "</figcaption>",
    "</td>",
    "</th>",
    "</pre>",
];

/// A body's paragraphs as plain text, in order; empty ones left out.
pub fn paragraphs(body_html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body_html;
    loop {
        let next = BLOCK_ENDS.iter().filter_map(|end| rest.find(end).map(|at| at + end.len())).min();
        let (block, tail) = match next {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        let text = markup::plain_text(block);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            out.push(text);
        }
        if tail.is_empty() {
            return out;
        }
        rest = tail;
    }
}

/// The paragraphs of `now`, each marked changed when it is new or different since `then` (the
/// source as it was when the translation was last saved; `None`: nothing to compare with).
pub fn marked(then: Option<&str>, now: &str) -> Vec<(String, bool)> {
    let new = paragraphs(now);
    let Some(then) = then else { return new.into_iter().map(|p| (p, false)).collect() };
    let old = paragraphs(then);
    let mut changed = vec![false; new.len()];
    for op in capture_diff_slices(Algorithm::Myers, &old, &new) {
        match op {
            DiffOp::Insert { new_index, new_len, .. } | DiffOp::Replace { new_index, new_len, .. } => {
                changed[new_index..new_index + new_len].iter_mut().for_each(|c| *c = true);
            }
            DiffOp::Equal { .. } | DiffOp::Delete { .. } => {}
        }
    }
    new.into_iter().zip(changed).collect()
}

/// What the editor shows of the source: `then` is its title, lead and body when the
/// translation was last saved.
pub fn source_view(id: i64, lang: &str, now: (&str, &str, &str), then: Option<(&str, &str, &str)>) -> Value {
    let (title, lead, body) = now;
    let paragraphs: Vec<Value> = marked(then.map(|t| t.2), body)
        .into_iter()
        .map(|(text, changed)| context! { text, changed })
        .collect();
    context! {
        id, lang, title, lead, paragraphs,
        title_changed => then.is_some_and(|t| t.0 != title),
        lead_changed => then.is_some_and(|t| t.1 != lead),
        any_changed => then.is_some_and(|t| t.0 != title || t.1 != lead || t.2 != body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_reads_as_paragraphs() {
        let body = "<h2>Results</h2><p>One <b>bold</b> word.</p><ul><li>First</li><li>Second</li></ul>\
                    <blockquote><p>A quote.</p></blockquote><p> </p>";
        assert_eq!(paragraphs(body), vec!["Results", "One bold word.", "First", "Second", "A quote."]);
    }

    #[test]
    fn only_new_and_changed_paragraphs_are_marked() {
        let then = "<p>Opening.</p><p>The minister spoke.</p><p>Closing.</p>";
        let now = "<p>Opening.</p><p>The minister spoke twice.</p><p>A new paragraph.</p><p>Closing.</p>";
        let marks: Vec<bool> = marked(Some(then), now).into_iter().map(|(_, c)| c).collect();
        assert_eq!(marks, vec![false, true, true, false]);
        assert!(marked(None, now).iter().all(|(_, c)| !c), "nothing to compare: nothing marked");
        assert!(marked(Some(now), now).iter().all(|(_, c)| !c), "unchanged: nothing marked");
    }
}
