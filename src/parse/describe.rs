//! What a document that is not a feed looks like, in words, without its bytes.
//!
//! A "not a feed" message is shown by `feeds list`, `status --json` and the
//! digest's feed-health section, and a feed list can name a local file: a
//! message that quoted the document's first bytes once mailed out an SMTP
//! password. So errors describe the document ("an HTML page", "a PNG image")
//! and quote nothing from it but an HTML page's `<title>`, cleaned and short.

/// Longest `<title>` quoted from an HTML page, in characters.
const TITLE_CHARS: usize = 80;

/// A description of `bytes` for an error message, such as "an HTML page
/// titled \"Not found\"", "a PNG image", "an empty file", "text that is not XML".
pub fn describe(bytes: &[u8]) -> String {
    let magic: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive (or an office document)"),
        (b"\x1F\x8B", "gzip-compressed data"),
        (b"\x7FELF", "a program (ELF executable)"),
    ];
    for (prefix, what) in magic {
        if bytes.starts_with(prefix) {
            return (*what).to_owned();
        }
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return "a WebP image".into();
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return "an empty file".into();
    }
    let text_like = head
        .iter()
        .filter(|b| **b < 0x20 && !b.is_ascii_whitespace())
        .count()
        * 10
        <= head.len();
    if !text_like || head.contains(&0) && !looks_like_utf16(head) {
        return format!("binary data ({})", bytesize::ByteSize(bytes.len() as u64));
    }
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let lower = t.get(..t.len().min(4096)).unwrap_or(t).to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.contains("<html") || lower.contains("<head") {
        return match html_title(t) {
            Some(title) => format!("an HTML page titled {title:?}"),
            None => "an HTML page".into(),
        };
    }
    if t.starts_with('<') {
        return "an XML document without an RSS, Atom or JSON Feed root element".into();
    }
    if t.starts_with('{') || t.starts_with('[') {
        return "JSON that is not a JSON Feed".into();
    }
    "text that is not XML".into()
}

fn looks_like_utf16(head: &[u8]) -> bool {
    head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF")
}

/// The page's `<title>`, cleaned of controls and markup and cut short.
fn html_title(page: &str) -> Option<String> {
    let lower = page.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let raw = page.get(start..end)?;
    let words: Vec<&str> = raw.split_whitespace().collect();
    let title = crate::clean::line(&words.join(" "), TITLE_CHARS).into_owned();
    let title = title.replace(['<', '>'], "");
    (!title.is_empty()).then_some(title)
}

/// An error from feed-rs, told without the document's text: its messages
/// can quote tag names, entity names and JSON values.
pub fn parse_error(e: &feed_rs::parser::ParseFeedError) -> String {
    use feed_rs::parser::{ParseErrorKind as K, ParseFeedError as E};
    match e {
        E::ParseError(K::NoFeedRoot) => "no RSS, Atom or JSON Feed root element".into(),
        E::ParseError(K::MissingContent {
            position,
            reference,
        }) => {
            format!("{reference} has no content (at byte {position})")
        }
        E::ParseError(K::UnknownMimeType { position, .. }) => {
            format!("content of an unknown type (at byte {position})")
        }
        E::ParseError(
            K::UnknownEnumVariant { position, .. } | K::IllegalState { position, .. },
        ) => {
            format!("unexpected content (at byte {position})")
        }
        E::IoError(e) => format!("cannot read the document ({})", e.kind()),
        E::JsonSerde(e) => format!(
            "the JSON is not valid ({}, line {} column {})",
            match e.classify() {
                serde_json::error::Category::Io => "read error",
                serde_json::error::Category::Syntax => "syntax error",
                serde_json::error::Category::Data => "unexpected value",
                serde_json::error::Category::Eof => "cut short",
            },
            e.line(),
            e.column()
        ),
        E::JsonUnsupportedVersion(_) => "JSON of an unsupported JSON Feed version".into(),
        E::XmlReader(x) => format!("the XML is not well-formed ({})", unquoted(&x.to_string())),
    }
}

/// An XML parser's message up to its first quoted part: the kind of
/// problem ("mismatched end tag", "unclosed comment"), not the names in it.
pub fn unquoted(message: &str) -> String {
    let cut = message
        .find(['`', '"', '\'', '<', '&'])
        .unwrap_or(message.len());
    let kept = message[..cut].trim().trim_end_matches(':').trim();
    let kept = crate::clean::line(kept, 120).into_owned();
    if cut < message.len() {
        format!("{kept} …")
    } else {
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_without_quoting() {
        assert_eq!(describe(b""), "an empty file");
        assert_eq!(describe(b"  \n"), "an empty file");
        assert_eq!(describe(b"\x89PNG\r\n\x1a\nrest"), "a PNG image");
        assert_eq!(
            describe(b"root:x:0:0:root:/root:/bin/bash\nsmtp_password=hunter2\n"),
            "text that is not XML"
        );
        assert_eq!(
            describe(b"<!DOCTYPE html><html><head><title> Not\n found\x1b[2J </title>"),
            "an HTML page titled \"Not found[2J\""
        );
        assert!(!describe(b"<config><password>x</password></config>").contains("password"));
        assert_eq!(describe(b"USER=me\0PASSWORD=x\0"), "binary data (19 B)");
        assert_eq!(
            describe(b"{\"password\": 1}"),
            "JSON that is not a JSON Feed"
        );
    }

    #[test]
    fn xml_messages_lose_their_quotes() {
        assert_eq!(
            unquoted(
                "Parser error: ill-formed document: expected `</secret>`, but `</x>` was found"
            ),
            "Parser error: ill-formed document: expected …"
        );
        assert_eq!(unquoted("unclosed comment"), "unclosed comment");
    }
}
