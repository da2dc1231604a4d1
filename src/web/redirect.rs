//! Where a redirect may point: only somewhere on this site.
//!
//! A `Location` that starts with `//` or `/\` is read by browsers as another host
//! (`//1249767246/` is a decimal IP address), and one with a CR or LF would split the header.
//! Every redirect built from something a client sent goes through [`local_target`].

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

#[cfg(test)]
mod tests {
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
