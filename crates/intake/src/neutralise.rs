//! Making text a requester typed inert wherever a reviewer sees it.
//!
//! Everything in a request (name, e-mail, company, reason, user agent, even a download token in a
//! URL) is attacker-controlled. Shown raw, a carriage return or an escape sequence rewrites a
//! reviewer's terminal line, a bidi override (U+202E) reverses what follows, a cell starting with `=`
//! runs as a spreadsheet formula, and `<` starts markup. Each output context has one function here;
//! use it at the point of output, never store neutralised text:
//!
//! | where the text goes | function |
//! | --- | --- |
//! | terminal (`trustctl requests …`), log lines, plain-text e-mail, e-mail headers | [`inline`] |
//! | HTML (the console, HTML e-mail) | [`html`] |
//! | CSV exports | [`csv_field`] |
//!
//! [`inline`] makes invisible and layout-changing characters visible instead of deleting them, so a
//! reviewer sees that something odd was typed: control characters (C0, DEL, C1, including CR, LF,
//! TAB and ESC), bidi controls (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069), zero-width and
//! separator characters (U+200B–U+200D, U+2028/9, U+2060, U+FEFF) become `\u{…}` (`\r`, `\n`, `\t`
//! for the common three), and a backslash becomes `\\` so the escapes cannot be faked.

use std::borrow::Cow;
use std::fmt::Write;

/// True for characters that must never reach a reviewer's screen as they are.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// One line of inert text for a terminal, a log line or a plain-text e-mail: unsafe characters
/// shown as escapes, backslashes doubled. Returns the input unchanged (borrowed) when nothing needs
/// escaping.
pub fn inline(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c == '\\' || is_unsafe_char(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe_char(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text for an HTML element or a quoted attribute value: markup characters escaped and unsafe
/// characters made visible as in [`inline`] (a bidi override inside HTML reorders the page just as
/// it does a terminal).
pub fn html(text: &str) -> String {
    let visible = inline(text);
    let mut out = String::with_capacity(visible.len() + 8);
    for c in visible.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Characters that make a spreadsheet read a cell as a formula (OWASP's list plus their full-width
/// forms, which some spreadsheets fold to ASCII).
fn starts_a_formula(c: char) -> bool {
    matches!(
        c,
        '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}'
    )
}

/// One CSV field (RFC 4180) that a spreadsheet shows as text: a value starting with `= + - @`, TAB
/// or CR (after any leading spaces) gets a leading `'`, and the field is quoted when it holds a
/// comma, quote or line break. Line breaks inside a quoted field are kept, as RFC 4180 allows.
pub fn csv_field(text: &str) -> String {
    let defused = match text.trim_start_matches(' ').chars().next() {
        Some(c) if starts_a_formula(c) => format!("'{text}"),
        _ => text.to_string(),
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// A CSV record of [`csv_field`]s, ending in CRLF.
pub fn csv_record<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    let mut line = fields
        .into_iter()
        .map(csv_field)
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_makes_controls_and_bidi_visible() {
        assert_eq!(inline("Jane Doe"), "Jane Doe");
        assert!(matches!(inline("Jane Doe"), Cow::Borrowed(_)));
        assert_eq!(
            inline("ok\rStatus  approved\x1b[2K"),
            "ok\\rStatus  approved\\u{1b}[2K"
        );
        assert_eq!(inline("evil\u{202e}gnp.exe"), "evil\\u{202e}gnp.exe");
        assert_eq!(
            inline("a\u{2066}b\u{2069}\u{200b}\u{feff}\u{85}"),
            "a\\u{2066}b\\u{2069}\\u{200b}\\u{feff}\\u{85}"
        );
        assert_eq!(inline("two\nlines\t"), "two\\nlines\\t");
        // A typed escape cannot pass for a real one.
        assert_eq!(inline("\\u{202e}"), "\\\\u{202e}");
        assert_eq!(inline("Zoë 山田 🙂"), "Zoë 山田 🙂");
    }

    #[test]
    fn inline_output_has_no_unsafe_character_for_any_input_char() {
        for code in (0u32..0x3000).chain(0xFE00..0x10000) {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let text = format!("a{c}b");
            let out = inline(&text);
            assert!(!out.chars().any(is_unsafe_char), "U+{code:04X}");
        }
    }

    #[test]
    fn html_escapes_markup_and_bidi() {
        assert_eq!(
            html("<script>alert('x')</script>&\"\u{202e}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;\\u{202e}"
        );
    }

    #[test]
    fn csv_defuses_formulas_and_quotes() {
        assert_eq!(
            csv_field("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("-2+3"), "'-2+3");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\tcmd"), "'\tcmd");
        assert_eq!(csv_field("\r=1"), "\"'\r=1\"");
        assert_eq!(csv_field("  =1"), "'  =1");
        assert_eq!(csv_field("\u{FF1D}1"), "'\u{FF1D}1");
        assert_eq!(csv_field("Acme, Inc."), "\"Acme, Inc.\"");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_record(["a", "=b"]), "a,'=b\r\n");
    }
}
