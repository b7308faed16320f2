//! Feed text made safe to keep and to show.
//!
//! A feed is written by strangers. Its titles can carry terminal escape
//! sequences (window title, clipboard write, screen clear) and can be
//! megabytes long; an item's body can be far longer than any article.
//! What we store is therefore cleaned and capped once, at ingest
//! ([`line`], [`body`]), and what the command line prints is cleaned again
//! ([`terminal`]) so that a database written by an older release cannot
//! reach the terminal either.

use std::borrow::Cow;

/// One-line fields (item title, author, category, feed title and name) are
/// cut to this many characters: the longest real headline is a few hundred,
/// and a 5 MB title would otherwise be stored, indexed and mailed whole.
pub const MAX_LINE_CHARS: usize = 1_000;

/// An item's plain-text body is cut to this many bytes (256 KiB): several
/// times the longest article, and small enough that a feed of a hundred
/// such items stays within a poll's memory budget.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Characters that steer a terminal or reorder text rather than show
/// something: C0 and C1 controls, DEL, and the bidirectional overrides
/// and isolates (which can make a title read differently from its bytes).
fn is_hidden_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A one-line field: line breaks and tabs become spaces, other controls go,
/// and the text is cut to `max_chars` characters (with an ellipsis).
pub fn line(s: &str, max_chars: usize) -> Cow<'_, str> {
    let clean = !s.chars().any(is_hidden_control);
    if clean && s.len() <= max_chars {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len().min(max_chars * 4));
    let mut n = 0;
    for c in s.chars() {
        let c = match c {
            '\n' | '\r' | '\t' => ' ',
            c if is_hidden_control(c) => continue,
            c => c,
        };
        if n == max_chars {
            out.push('…');
            break;
        }
        out.push(c);
        n += 1;
    }
    Cow::Owned(out)
}

/// A multi-line text (an item's body): line breaks and tabs stay, other
/// controls go, and the text is cut to at most `max_bytes` bytes at a
/// character boundary.
pub fn body(s: &str, max_bytes: usize) -> Cow<'_, str> {
    let keep = |c: char| matches!(c, '\n' | '\t') || !is_hidden_control(c);
    if s.len() <= max_bytes && s.chars().all(keep) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len().min(max_bytes));
    for c in s.chars().filter(|c| keep(*c)) {
        if out.len() + c.len_utf8() > max_bytes {
            break;
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// Text about to be printed for a person: line breaks and tabs stay, every
/// other control character is dropped, so nothing a feed wrote can steer
/// the terminal. (JSON output needs none of this: serde_json writes
/// control characters as `\u001b` escapes.)
pub fn terminal(s: &str) -> Cow<'_, str> {
    body(s, usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_never_survive() {
        let evil = "Title\x1b]0;pwned\x07 \x1b[2J\u{9b}31m\u{202e}txt.exe\r\nnext";
        for out in [line(evil, 1000), body(evil, 1000), terminal(evil)] {
            assert!(
                !out.chars().any(is_hidden_control) || out.contains('\n'),
                "{out:?}"
            );
            assert!(!out.contains('\x1b') && !out.contains('\x07') && !out.contains('\u{9b}'));
        }
        assert_eq!(line(evil, 1000), "Title]0;pwned [2J31mtxt.exe  next");
    }

    #[test]
    fn caps_count_characters_and_bytes() {
        let long = "é".repeat(5000);
        let l = line(&long, 1000);
        assert_eq!(l.chars().count(), 1001);
        assert!(l.ends_with('…'));
        let b = body(&long, 1001);
        assert_eq!(b.len(), 1000);
        assert!(matches!(line("plain", 1000), Cow::Borrowed(_)));
    }
}
