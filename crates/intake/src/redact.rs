//! Masking for log lines: e-mail addresses and tokens are never written out in full, and every
//! line is made inert ([`crate::neutralise::inline`]) so that text from a request (a token prefix,
//! an error message quoting input) cannot add lines or escape sequences to the log.

/// `jane.doe@example.com` → `j***@example.com`.
pub fn email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_string(),
    }
}

/// Keeps the first 6 characters of a token or secret so log lines can be correlated, hides the rest.
pub fn token(value: &str) -> String {
    let head: String = value.chars().take(6).collect();
    format!("{head}…")
}

/// Writes one log line to standard error with a UTC timestamp. Callers pass already-masked values;
/// control characters, escape sequences and bidi overrides in them are shown escaped.
pub fn log(message: &str) {
    eprintln!("{}", line(crate::clock::now_secs(), message));
}

/// The text of one log line: timestamp, service name, the message made inert.
pub fn line(at_secs: i64, message: &str) -> String {
    format!(
        "{} trust-intake: {}",
        crate::clock::format_utc(at_secs),
        crate::neutralise::inline(message)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn masks_email_and_token() {
        assert_eq!(super::email("jane.doe@example.com"), "j***@example.com");
        assert_eq!(super::email("nonsense"), "***");
        assert_eq!(super::token("abcdefghijkl"), "abcdef…");
    }

    #[test]
    fn log_lines_are_inert() {
        let line = super::line(
            0,
            &format!("invalid link {}", super::token("\x1b[2J\r\nforged")),
        );
        assert_eq!(line.lines().count(), 1);
        assert!(!line.contains('\x1b') && !line.contains('\r'));
        assert!(line.ends_with("invalid link \\u{1b}[2J\\r\\n…"), "{line}");
    }
}
