//! Old addresses: the paths an imported site's readers, search engines and other sites link
//! to (`/2024/05/17/slug/`, `/?p=123`, `/category/news/feed/`). Each is kept as a lookup key
//! and answered by a permanent redirect to where the content lives now.
//!
//! Links arrive in many spellings of one address (percent-encoded in upper or lower case, with
//! or without the trailing slash, with tracking parameters), so both the stored address and
//! the requested one go through [`source_key`].

/// The longest old address kept, in bytes; longer ones are not real links.
pub const MAX_SOURCE_LEN: usize = 1000;

/// Query parameters that say who sent the reader, never which page they want.
const TRACKING: [&str; 6] = ["utm_", "fbclid", "gclid", "yclid", "_openstat", "mc_"];

/// The lookup key of an address given as a path (`/2024/05/17/slug/?utm_source=x`) or a whole
/// URL of the old site (`http://old.example.org/?p=17`): the path percent-decoded, lower-cased,
/// without trailing slashes, then the query's parameters sorted, tracking ones dropped.
/// `None` for what cannot be a local path (control characters, too long, no path).
pub fn source_key(address: &str) -> Option<String> {
    let address = address.trim();
    let rest = match address.split_once("://") {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            let start = rest.find(['/', '?']).unwrap_or(rest.len());
            &rest[start..]
        }
        Some(_) => return None,
        None => address,
    };
    let rest = rest.split('#').next().unwrap_or("");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = if path.is_empty() { "/" } else { path };
    if !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy().to_lowercase();
    let trimmed = decoded.trim_end_matches('/');
    let mut key = if trimmed.is_empty() { "/".to_string() } else { trimmed.to_string() };
    let mut params: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            percent_encoding::percent_decode_str(&p.replace('+', " ")).decode_utf8_lossy().to_lowercase()
        })
        .filter(|p| !TRACKING.iter().any(|t| p.starts_with(t)))
        .collect();
    params.sort();
    if !params.is_empty() {
        key.push('?');
        key.push_str(&params.join("&"));
    }
    let fine = key.len() <= MAX_SOURCE_LEN && !key.chars().any(char::is_control);
    fine.then_some(key)
}

/// `candidate` if it is a path on this site made of visible ASCII (a query included), else
/// `None`. Percent-encoded text passes; raw spaces, control characters and backslashes do not.
pub fn local_target(candidate: &str) -> Option<String> {
    let rest = candidate.strip_prefix('/')?;
    if rest.starts_with('/') || rest.starts_with('\\') {
        return None;
    }
    if !candidate.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') {
        return None;
    }
    Some(candidate.to_string())
}

/// One line of a redirect list, checked: `(key of the old address, path of this site)`, or
/// `Ok(None)` for blank lines and comments. A whole URL under `base_url` counts as its path;
/// another site's address, or one leading to itself, is refused.
pub fn pair(line: &str, base_url: &str) -> Result<Option<(String, String)>, PairError> {
    let Some((from, to)) = parse_line(line).map_err(|_| PairError::Line)? else { return Ok(None) };
    let key = source_key(&from).filter(|k| k != "/").ok_or(PairError::From(from))?;
    let base = base_url.trim_end_matches('/');
    let path = match to.strip_prefix(base) {
        Some("") => "/".to_string(),
        Some(rest) if rest.starts_with('/') => rest.to_string(),
        _ => to.clone(),
    };
    let target =
        local_target(&path).filter(|t| source_key(t).as_ref() != Some(&key)).ok_or(PairError::To(to))?;
    Ok(Some((key, target)))
}

/// Why a line of a redirect list was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PairError {
    #[error("not an old and a new address (write /old-page/,/ru/news/new-page)")]
    Line,
    #[error("'{0}' is not an address of the old site (start it with / or give the whole URL)")]
    From(String),
    #[error("'{0}' is not a page of this site, or it leads to itself")]
    To(String),
}

/// One line of a redirect list as an old site's server configuration or a spreadsheet has it,
/// as `(old address, new address)`; `Ok(None)` for blank lines and comments. Understood:
/// `old,new` (CSV, quoted or not; also tab, semicolon or space separated), Apache's
/// `Redirect 301 /old /new`, `Redirect permanent …` and `RedirectPermanent /old /new`, and
/// nginx's `rewrite ^/old/?$ /new permanent;` and `location = /old { return 301 /new; }`.
pub fn parse_line(line: &str) -> Result<Option<(String, String)>, String> {
    let line = line.trim().trim_start_matches('\u{feff}');
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '{' || c == '}')
        .map(|w| w.trim_matches('"'))
        .filter(|w| !w.is_empty())
        .collect();
    let pair = match words.as_slice() {
        ["Redirect" | "redirect", "301" | "308" | "permanent", from, to]
        | ["Redirect" | "redirect" | "RedirectPermanent" | "redirectpermanent", from, to] => {
            Some((*from, *to))
        }
        ["rewrite", from, to, ..] => {
            let from = from.trim_start_matches('^').trim_end_matches('$');
            let from = from.strip_suffix("/?").unwrap_or(from);
            Some((from, *to))
        }
        ["location", "=", from, "return", "301" | "308", to] => Some((*from, *to)),
        [from, to] => Some((*from, *to)),
        _ => None,
    };
    match pair {
        Some((from, to)) if from.starts_with('/') || from.contains("://") => {
            Ok(Some((from.to_string(), to.to_string())))
        }
        _ => Err("expected an old address and a new one, e.g. /old-page/,/ru/news/new-page".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_line, source_key};

    #[test]
    fn redirect_lists_in_the_shapes_servers_write_them() {
        let pair = |a: &str, b: &str| Ok(Some((a.to_string(), b.to_string())));
        assert_eq!(parse_line("/old/,/ru/news/new"), pair("/old/", "/ru/news/new"));
        assert_eq!(parse_line("\"/old/\";\"/ru/news/new\""), pair("/old/", "/ru/news/new"));
        assert_eq!(parse_line("/old\t/new"), pair("/old", "/new"));
        assert_eq!(parse_line("Redirect 301 /about-us /ru/about"), pair("/about-us", "/ru/about"));
        assert_eq!(
            parse_line("RedirectPermanent /a https://new.example/ru/b"),
            pair("/a", "https://new.example/ru/b")
        );
        assert_eq!(
            parse_line("rewrite ^/press/2019/?$ /ru/archive/2019 permanent;"),
            pair("/press/2019", "/ru/archive/2019")
        );
        assert_eq!(
            parse_line("location = /contacts { return 301 /ru/contacts; }"),
            pair("/contacts", "/ru/contacts")
        );
        assert_eq!(parse_line("  # a comment"), Ok(None));
        assert_eq!(parse_line(""), Ok(None));
        assert!(parse_line("just-one-word").is_err());
        assert!(parse_line("old,new").is_err());
    }

    #[test]
    fn spellings_of_one_address_share_a_key() {
        let key = source_key("/2024/05/17/%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0/").unwrap();
        assert_eq!(key, "/2024/05/17/москва");
        for same in [
            "/2024/05/17/%d0%bc%d0%be%d1%81%d0%ba%d0%b2%d0%b0",
            "http://old.example.org/2024/05/17/%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0/",
            "/2024/05/17/москва/?utm_source=telegram#top",
        ] {
            assert_eq!(source_key(same).as_deref(), Some(key.as_str()), "{same}");
        }
        assert_eq!(source_key("http://old.example.org/?p=17").as_deref(), Some("/?p=17"));
        assert_eq!(source_key("https://old.example.org").as_deref(), Some("/"));
        assert_eq!(source_key("/?page_id=5&utm_medium=x&lang=ru").as_deref(), Some("/?lang=ru&page_id=5"));
        assert_eq!(source_key("/Category/News/Feed/").as_deref(), Some("/category/news/feed"));
    }

    #[test]
    fn what_is_not_a_local_path_has_no_key() {
        for bad in ["javascript:alert(1)", "//evil.example/x", "relative/path", "/a%0d%0aSet-Cookie:x"] {
            assert_eq!(source_key(bad), None, "{bad}");
        }
        assert_eq!(source_key(&format!("/{}", "a".repeat(2000))), None);
    }
}

#[cfg(test)]
mod local_target_tests {
    use super::local_target;

    #[test]
    fn only_paths_on_this_site_pass() {
        for good in ["/", "/en/news", "/admin/articles?x=1&y=%D0%B0", "/a//b"] {
            assert_eq!(local_target(good).as_deref(), Some(good), "{good}");
        }
        for bad in [
            "//1249767246",
            "///host/",
            "/\\evil.example",
            "https://evil.example/",
            "evil.example",
            "",
            "/admin\r\nSet-Cookie: x=1",
            "/admin\n",
            "/admin page",
            "/admin\\@evil",
            "/новости",
        ] {
            assert_eq!(local_target(bad), None, "{bad:?}");
        }
    }
}
