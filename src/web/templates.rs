//! Page templates (minijinja). The defaults are embedded in the binary; a site can restyle
//! without recompiling by placing files of the same names under `DATA/theme/templates/`, which
//! take precedence. Undefined variables are errors, and every template is compiled at start, so
//! a broken theme fails at boot rather than on a reader's request.

use minijinja::{Environment, UndefinedBehavior, Value};
use std::path::Path;

const BUILTIN: &[(&str, &str)] = &[
    ("layout/base.html", include_str!("../../templates/layout/base.html")),
    ("layout/macros.html", include_str!("../../templates/layout/macros.html")),
    ("public/home.html", include_str!("../../templates/public/home.html")),
    ("public/list.html", include_str!("../../templates/public/list.html")),
    ("public/article.html", include_str!("../../templates/public/article.html")),
    ("public/error.html", include_str!("../../templates/public/error.html")),
    ("public/corrections.html", include_str!("../../templates/public/corrections.html")),
    ("public/clippings.html", include_str!("../../templates/public/clippings.html")),
    ("public/events.html", include_str!("../../templates/public/events.html")),
    ("public/documents.html", include_str!("../../templates/public/documents.html")),
    ("public/document.html", include_str!("../../templates/public/document.html")),
    ("public/page.html", include_str!("../../templates/public/page.html")),
    ("public/search.html", include_str!("../../templates/public/search.html")),
    ("api/docs.html", include_str!("../../templates/api/docs.html")),
    ("admin/base.html", include_str!("../../templates/admin/base.html")),
    ("admin/error.html", include_str!("../../templates/admin/error.html")),
    ("admin/login.html", include_str!("../../templates/admin/login.html")),
    ("admin/set_password.html", include_str!("../../templates/admin/set_password.html")),
    ("admin/login_code.html", include_str!("../../templates/admin/login_code.html")),
    ("admin/two_factor.html", include_str!("../../templates/admin/two_factor.html")),
    ("admin/password.html", include_str!("../../templates/admin/password.html")),
    ("admin/dashboard.html", include_str!("../../templates/admin/dashboard.html")),
    ("admin/articles.html", include_str!("../../templates/admin/articles.html")),
    ("admin/edit.html", include_str!("../../templates/admin/edit.html")),
    ("admin/revisions.html", include_str!("../../templates/admin/revisions.html")),
    ("admin/diff.html", include_str!("../../templates/admin/diff.html")),
    ("admin/users.html", include_str!("../../templates/admin/users.html")),
    ("admin/sections.html", include_str!("../../templates/admin/sections.html")),
    ("admin/audit.html", include_str!("../../templates/admin/audit.html")),
    ("admin/pages.html", include_str!("../../templates/admin/pages.html")),
    ("admin/page_edit.html", include_str!("../../templates/admin/page_edit.html")),
    ("admin/redirects.html", include_str!("../../templates/admin/redirects.html")),
    ("admin/clippings.html", include_str!("../../templates/admin/clippings.html")),
    ("admin/gallery.html", include_str!("../../templates/admin/gallery.html")),
    ("admin/documents.html", include_str!("../../templates/admin/documents.html")),
    ("admin/tokens.html", include_str!("../../templates/admin/tokens.html")),
    ("admin/media.html", include_str!("../../templates/admin/media.html")),
    ("admin/webhooks.html", include_str!("../../templates/admin/webhooks.html")),
    ("admin/webhook_log.html", include_str!("../../templates/admin/webhook_log.html")),
];

/// Escapes strings for HTML like minijinja's default, but leaves `/` alone: escaping it buys
/// nothing in element content or quoted attributes and makes every URL six times longer.
fn html_formatter(
    out: &mut minijinja::Output<'_>,
    state: &minijinja::State<'_, '_>,
    value: &Value,
) -> Result<(), minijinja::Error> {
    match value.as_str() {
        Some(s) if !value.is_safe() && matches!(state.auto_escape(), minijinja::AutoEscape::Html) => {
            write!(out, "{}", crate::domain::markup::escape(s)).map_err(minijinja::Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// The compiled templates.
#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// Compiles the built-in templates, overridden by any of the same name in `theme_dir`.
    pub fn load(theme_dir: Option<&Path>) -> Result<Templates, minijinja::Error> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_formatter(html_formatter);
        for (name, source) in BUILTIN {
            let themed =
                theme_dir.map(|dir| dir.join(name)).and_then(|path| std::fs::read_to_string(path).ok());
            match themed {
                Some(text) => env.add_template_owned(name.to_string(), text)?,
                None => env.add_template(name, source)?,
            }
        }
        Ok(Templates { env })
    }

    /// Renders one template with the given context.
    pub fn render(&self, name: &str, ctx: Value) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(ctx)
    }
}

/// JSON to embed in an HTML `<script>` element. Inside `<script>`, `</script>` ends the element
/// and `<!--` switches the parser into a state where a later `<script>` swallows the rest of
/// the page, so `<`, `>` and `&` are written as `\u003c`, `\u003e`, `\u0026`; U+2028 and U+2029
/// are escaped too, for consumers that read the JSON as JavaScript. Outside strings JSON has
/// none of these characters, so the result is the same JSON value.
pub fn script_json(value: &serde_json::Value) -> String {
    let raw = value.to_string();
    let mut out = String::with_capacity(raw.len() + 16);
    for c in raw.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod script_json_tests {
    use super::script_json;

    #[test]
    fn nothing_in_a_string_can_end_or_confuse_the_script_element() {
        let value = serde_json::json!({ "headline": "<!--<script></script> & \u{2028}\u{2029} -->" });
        let embedded = script_json(&value);
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!embedded.contains(bad), "{bad:?} in {embedded}");
        }
        let back: serde_json::Value = serde_json::from_str(&embedded).unwrap();
        assert_eq!(back, value, "the same JSON value");
    }
}
