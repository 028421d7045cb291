//! Making text that a requester typed inert before it goes into an e-mail (both parts and headers).
//!
//! Control characters (which could forge header lines or terminal output), bidirectional overrides and
//! isolates (which can make `evil.example` read as something else) and zero-width characters are
//! removed. HTML escaping is separate: the templates auto-escape every variable in the HTML part.

/// Characters that reorder or hide text: bidi embeddings/overrides/isolates, marks, zero-width.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// One-line text: controls and line breaks become a space, invisible format characters go.
pub fn line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_invisible_format(c) {
            continue;
        }
        out.push(if c.is_control() { ' ' } else { c });
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
