//! Making text that a requester typed inert before it goes into an e-mail (both parts and headers).
//!
//! Control characters (which could forge header lines or terminal output), bidirectional overrides and
//! isolates (which can make `evil.example` read as something else) and zero-width characters are
//! removed. HTML escaping is separate: the templates auto-escape every variable in the HTML part.
//!
//! Which characters are unsafe is decided once, by [`crate::neutralise::is_unsafe_char`]. Unlike the
//! terminal and the console, which show them as escapes so a reviewer sees that something odd was
//! typed, an e-mail drops them: it is read by the requester too, and a mail client would show the
//! escapes as noise.

use crate::neutralise::is_unsafe_char;

/// One-line text: controls and line breaks become a space, invisible format characters go.
pub fn line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.push(' ');
        } else if !is_unsafe_char(c) {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// Multi-line text (the request's reason): line breaks are kept, everything else as in [`line`].
pub fn paragraph(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    unified
        .split('\n')
        .map(line)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_controls_and_bidi() {
        assert_eq!(
            line("Jane\u{1b}[31m Doe\r\nBcc: x"),
            "Jane [31m Doe  Bcc: x"
        );
        assert_eq!(line("abc\u{202E}lpt.exe\u{2066}"), "abclpt.exe");
        assert_eq!(line("\u{200B}zero\u{FEFF}width"), "zerowidth");
        assert_eq!(paragraph("one\r\ntwo\u{7}\rthree"), "one\ntwo\nthree");
    }
}
