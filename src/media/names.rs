//! The names of media files: the random keys the server makes up, the strict parsing of a
//! requested name, and the cleaning of a client's file name kept as text.

use super::{Kind, VARIANT_KIND, variant_widths};

/// The longest client file name kept, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// How many hex digits a file key has.
const KEY_LEN: usize = 32;

/// The last component of a client's file name, kept as text for people and never used as a
/// path: without control characters, line separators or invisible format characters, and at
/// most [`MAX_NAME_CHARS`] long.
///
/// Bidirectional controls matter most: `photo\u{202E}gpj.exe` shows as `photoexe.jpg` in the
/// library, the picker and the audit log, so a name could pass for what it is not. Zero-width
/// and other format characters make two names that look alike differ. None of them belongs in
/// a file name people read.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let kept: String =
        last.chars().filter(|c| !c.is_control() && !is_invisible_format(*c)).take(MAX_NAME_CHARS).collect();
    kept.trim().to_string()
}

/// Unicode's format characters (general category Cf: bidirectional marks, embeddings,
/// overrides and isolates, zero-width characters, the byte order mark, tags…) and the line
/// and paragraph separators.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// A new random file key: 32 lowercase hex digits.
pub fn new_key() -> String {
    let mut bytes = [0u8; KEY_LEN / 2];
    getrandom::fill(&mut bytes).expect("the system's random source failed");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a string is a file key as [`new_key`] makes them.
pub fn is_key(s: &str) -> bool {
    s.len() == KEY_LEN && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The stored original's file name.
pub fn original_name(key: &str, kind: Kind) -> String {
    format!("{key}.{}", kind.ext())
}

/// A variant's file name, as made now.
pub fn variant_name(key: &str, width: u32) -> String {
    format!("{key}-{width}.{}", VARIANT_KIND.ext())
}

/// A requested media file name, understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileName<'a> {
    Original {
        key: &'a str,
        kind: Kind,
    },
    /// `kind` is [`VARIANT_KIND`], or WebP for variants made by earlier versions.
    Variant {
        key: &'a str,
        width: u32,
        kind: Kind,
    },
}

impl FileName<'_> {
    pub fn key(&self) -> &str {
        match self {
            FileName::Original { key, .. } | FileName::Variant { key, .. } => key,
        }
    }

    /// The file's format.
    pub fn kind(&self) -> Kind {
        match self {
            FileName::Original { kind, .. } | FileName::Variant { kind, .. } => *kind,
        }
    }
}

/// Parses `KEY.EXT` or `KEY-WIDTH.jpg` (or `.webp`), exactly as this module writes them; anything else
/// (other characters, dots, slashes, upper case, leading zeros) is `None`.
pub fn parse_file_name(name: &str) -> Option<FileName<'_>> {
    let (stem, ext) = name.split_once('.')?;
    let kind = Kind::from_ext(ext)?;
    if is_key(stem) {
        return Some(FileName::Original { key: stem, kind });
    }
    let (key, width) = stem.split_once('-')?;
    if kind == Kind::Png || !is_key(key) || width.is_empty() || width.len() > 5 || width.starts_with('0') {
        return None;
    }
    if !width.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(FileName::Variant { key, width: width.parse().ok()?, kind })
}

/// The type a stored file is served as, by its name: a photo's by its kind, a document's by
/// its extension (see [`crate::newsroom::documents`]).
pub fn content_type(name: &str) -> &'static str {
    if let Some(n) = parse_file_name(name) {
        return n.kind().mime();
    }
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("pdf") => "application/pdf",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

/// Every file name of a media item: its original and its variants.
pub fn file_names(key: &str, kind: Kind, width: u32) -> Vec<String> {
    let mut names = vec![original_name(key, kind)];
    names.extend(variant_widths(width).into_iter().map(|w| variant_name(key, w)));
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_strict() {
        let key = new_key();
        assert!(is_key(&key));
        assert_ne!(key, new_key());
        assert_eq!(
            parse_file_name(&format!("{key}.jpg")),
            Some(FileName::Original { key: &key, kind: Kind::Jpeg })
        );
        assert_eq!(
            parse_file_name(&format!("{key}-960.jpg")),
            Some(FileName::Variant { key: &key, width: 960, kind: Kind::Jpeg })
        );
        assert_eq!(
            parse_file_name(&format!("{key}-960.webp")),
            Some(FileName::Variant { key: &key, width: 960, kind: Kind::Webp }),
            "made by earlier versions"
        );
        for bad in [
            format!("{key}.JPG"),
            format!("{key}.jpeg"),
            format!("{key}-960.png"),
            format!("{key}-0960.webp"),
            format!("{key}-.webp"),
            format!("{key}-96x.webp"),
            format!("{key}.jpg.part"),
            format!("../{key}.jpg"),
            format!("{}.jpg", key.to_uppercase()),
            format!("{}.jpg", &key[1..]),
            "..".to_string(),
            String::new(),
            "a.jpg".to_string(),
        ] {
            assert_eq!(parse_file_name(&bad), None, "{bad}");
        }
    }

    #[test]
    fn file_names_lose_what_hides_or_reorders_text() {
        assert_eq!(clean_file_name("C:\\Users\\me\\Photos\\shot 1.JPG"), "shot 1.JPG");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\u{0}b\nc\u{7F}\u{85}.png"), "abc.png");
        // Shown as "invoice_exe.jpg" though it ends in "gpj.exe".
        assert_eq!(clean_file_name("invoice_\u{202E}gpj.exe"), "invoice_gpj.exe");
        let hidden = "\u{202A}\u{202B}\u{202C}\u{202D}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{061C}\u{200B}\u{FEFF}\u{2028}\u{E0041}";
        assert_eq!(clean_file_name(&format!("{hidden}Фото{hidden} 1.jpg{hidden}")), "Фото 1.jpg");
        assert_eq!(clean_file_name("\u{202E}\u{202E}"), "");
        assert_eq!(clean_file_name(&"x".repeat(500)).len(), MAX_NAME_CHARS);
        assert_eq!(clean_file_name("مرحبا.jpg"), "مرحبا.jpg", "right-to-left letters are letters");
    }
}
