//! Atom text constructs feed-rs refuses, rewritten into ones it reads.
//!
//! feed-rs knows `text`, `html`, `xhtml` and `text/html`; any other `type`
//! on a title, summary or content (`text/plain`, `application/xhtml+xml`, an
//! empty type), inline XML under a MIME type, an empty element, or Atom 0.3's
//! `mode="base64"` makes it reject the whole document. Old generators wrote
//! all of these. Each such element is rewritten in place:
//!
//! - plain-text MIME types, an empty type and unknown types → `type="text"`;
//! - inline markup (XHTML or other XML) → its markup escaped, `type="html"`;
//! - base64 (`mode="base64"`, or a non-text MIME type) → decoded, then as above;
//! - an element with nothing in it → removed.
//!
//! The walk uses quick-xml, the tokenizer under feed-rs, so it sees the same
//! document feed-rs will; if the tokenizer fails, nothing is rewritten.

use base64::Engine;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

/// The Atom 1.0 and 0.3 elements whose content is a text construct.
const TEXT_CONSTRUCTS: &[&str] = &[
    "title",
    "subtitle",
    "summary",
    "content",
    "rights",
    "tagline",
    "copyright",
    "info",
];

/// Whether a document is worth walking: an Atom document that feed-rs
/// rejected, or one whose base64 bodies feed-rs would keep undecoded.
pub(super) fn may_need_repair(doc: &str) -> bool {
    // Not just "base64": data: URIs in HTML bodies say that too.
    doc.contains("mode=\"base64\"")
        || doc.contains("mode='base64'")
        || doc.contains("application/octet-stream")
}

/// The document with every unreadable text construct rewritten, or `None`
/// when nothing needed it (or the document could not be walked).
pub(super) fn repair(doc: &str) -> Option<String> {
    let mut reader = NsReader::from_str(doc);
    // Tolerate what feed-rs tolerates; mismatched tags fail there anyway.
    reader.config_mut().check_end_names = false;
    let mut root_ns: Option<String> = None;
    let mut seen_root = false;
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        let (ns, event) = reader.read_resolved_event().ok()?;
        let ns = match ns {
            ResolveResult::Bound(n) => Some(n.0.to_owned()),
            _ => None,
        };
        match event {
            Event::Start(e) | Event::Empty(e) if !seen_root => {
                seen_root = true;
                if e.local_name().as_ref() != "feed" {
                    return None;
                }
                root_ns = ns;
            }
            Event::Start(e) if ns == root_ns && is_text_construct(&e) => {
                let start_tag = before..reader.buffer_position() as usize;
                let inner = reader.read_to_end(e.name()).ok()?;
                let end = reader.buffer_position() as usize;
                let inner = &doc[inner.start as usize..inner.end as usize];
                if let Some(new) = rewrite(&doc[start_tag.clone()], &e, inner) {
                    edits.push((start_tag.start..end, new));
                }
            }
            // `<content src="…"/>` is a link, not an empty body.
            Event::Empty(e)
                if ns == root_ns && is_text_construct(&e) && attr(&e, "src").is_none() =>
            {
                edits.push((before..reader.buffer_position() as usize, String::new()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if edits.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(doc.len());
    let mut at = 0;
    for (range, text) in edits {
        out.push_str(&doc[at..range.start]);
        out.push_str(&text);
        at = range.end;
    }
    out.push_str(&doc[at..]);
    Some(out)
}

fn is_text_construct(e: &BytesStart) -> bool {
    TEXT_CONSTRUCTS.contains(&e.local_name().as_ref())
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.trim().to_owned())
}

/// What a text construct's body is, by its `type` and `mode`.
#[derive(Debug, PartialEq)]
enum Kind {
    /// Already something feed-rs reads as it is.
    Fine,
    Text,
    Html,
    /// Inline markup to be carried as escaped HTML.
    InlineMarkup,
    /// `html` is `None` when no type says, and the decoded text decides.
    Base64 {
        html: Option<bool>,
    },
}

fn kind(ty: Option<&str>, mode: Option<&str>, has_src: bool) -> Kind {
    let ty = ty.map(str::to_ascii_lowercase);
    let mode = mode.map(str::to_ascii_lowercase);
    if has_src {
        return Kind::Fine;
    }
    let is_html = |t: &str| t == "html" || t.ends_with("/html");
    let is_xml = |t: &str| {
        t == "xhtml" || t.ends_with("+xml") || t.ends_with("/xml") || t.ends_with("/xhtml")
    };
    match (ty.as_deref(), mode.as_deref()) {
        (t, Some("base64")) => Kind::Base64 {
            html: t.map(|t| is_html(t) || is_xml(t)),
        },
        (Some(t), Some("xml")) if t != "xhtml" && (is_html(t) || is_xml(t)) => Kind::InlineMarkup,
        (Some(t), Some("escaped")) if is_html(t) || is_xml(t) => Kind::Html,
        (None | Some("text" | "html" | "xhtml" | "text/html"), _) => Kind::Fine,
        (Some(t), _) if is_xml(t) => Kind::InlineMarkup,
        (Some(t), _) if is_html(t) => Kind::Html,
        (Some(t), _) if t.is_empty() || t.starts_with("text/") || !t.contains('/') => Kind::Text,
        // Any other MIME type is, per RFC 4287 §4.1.3.3, base64 of that type.
        (Some(_), _) => Kind::Base64 { html: Some(false) },
    }
}

fn rewrite(start_tag: &str, e: &BytesStart, inner: &str) -> Option<String> {
    let ty = attr(e, "type");
    let mode = attr(e, "mode");
    let kind = kind(ty.as_deref(), mode.as_deref(), attr(e, "src").is_some());
    let (new_type, body) = match kind {
        Kind::Fine if inner.trim().is_empty() => return Some(String::new()),
        Kind::Fine => return None,
        Kind::Text => ("text", inner.to_owned()),
        Kind::Html => ("html", inner.to_owned()),
        Kind::InlineMarkup => ("html", escape(inner)),
        Kind::Base64 { html } => match decode_base64(inner) {
            Some(text) => {
                // Old generators base64-encoded HTML and left the type at
                // its Atom 0.3 default: read it as HTML when it looks so.
                let html = html.unwrap_or_else(|| looks_like_html(&text));
                (if html { "html" } else { "text" }, escape(&text))
            }
            // Not base64 after all: keep it as the text it is.
            None => ("text", inner.to_owned()),
        },
    };
    if body.trim().is_empty() {
        return Some(String::new());
    }
    let qname = e.name().as_ref().to_owned();
    Some(format!(
        "{}>{body}</{qname}>",
        retyped_start_tag(start_tag, &qname, new_type)
    ))
}

/// The start tag with `type` set and `mode` dropped; every other attribute
/// (`xml:base`, `xml:lang`, namespace declarations) kept byte for byte.
fn retyped_start_tag(tag: &str, qname: &str, new_type: &str) -> String {
    let inner = tag
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    let attrs = &inner[qname.len().min(inner.len())..];
    let mut out = format!("<{qname} type=\"{new_type}\"");
    let mut rest = attrs;
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some(close) = after[1..].find(q) else {
            break;
        };
        let value = &after[..close + 2];
        if name != "type" && name != "mode" {
            out.push(' ');
            out.push_str(name);
            out.push('=');
            out.push_str(value);
        }
        rest = &after[close + 2..];
    }
    out
}

fn decode_base64(inner: &str) -> Option<String> {
    let inner = inner
        .trim()
        .trim_start_matches("<![CDATA[")
        .trim_end_matches("]]>");
    let compact: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .ok()?;
    String::from_utf8(bytes).ok()
}

fn looks_like_html(s: &str) -> bool {
    let has_tag = s.find('<').is_some_and(|i| {
        s[i + 1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/')
            && s[i..].contains('>')
    });
    has_tag || (s.contains('&') && s.contains(';'))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(entry: &str) -> String {
        format!(
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><entry>{entry}</entry></feed>"#
        )
    }

    #[test]
    fn plain_text_mime_becomes_text() {
        let out = repair(&feed(r#"<title type="text/plain">A &amp; B</title>"#)).unwrap();
        assert!(
            out.contains(r#"<title type="text">A &amp; B</title>"#),
            "{out}"
        );
    }

    #[test]
    fn inline_xhtml_becomes_escaped_html() {
        let out = repair(&feed(
            r#"<content type="application/xhtml+xml" xml:lang="en"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi &amp; bye</p></div></content>"#,
        ))
        .unwrap();
        assert!(
            out.contains(r#"<content type="html" xml:lang="en">&lt;div xmlns="http://www.w3.org/1999/xhtml"&gt;&lt;p&gt;Hi &amp;amp; bye"#),
            "{out}"
        );
    }

    #[test]
    fn base64_is_decoded() {
        // "<b>Hi</b>" in base64.
        let out = repair(&feed(
            r#"<content type="text/html" mode="base64">PGI+SGk8L2I+</content>"#,
        ))
        .unwrap();
        assert!(
            out.contains(r#"<content type="html">&lt;b&gt;Hi&lt;/b&gt;</content>"#),
            "{out}"
        );
    }

    #[test]
    fn empty_constructs_are_removed_and_good_ones_left() {
        assert_eq!(
            repair(&feed(
                "<title>Fine</title><summary type=\"html\">x</summary>"
            )),
            None
        );
        let out = repair(&feed("<title></title><summary/>")).unwrap();
        assert!(out.contains("<entry></entry>"), "{out}");
    }

    #[test]
    fn non_atom_documents_are_left_alone() {
        assert_eq!(
            repair("<rss><channel><title type=\"x\">a</title></channel></rss>"),
            None
        );
    }
}
