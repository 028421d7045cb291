//! Masking for log lines: e-mail addresses and tokens are never written out in full.

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

/// Writes one log line to standard error with a UTC timestamp. Callers pass already-masked values.
pub fn log(message: &str) {
    eprintln!(
        "{} trust-intake: {message}",
        crate::clock::format_utc(crate::clock::now_secs())
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn masks_email_and_token() {
        assert_eq!(super::email("jane.doe@example.com"), "j***@example.com");
        assert_eq!(super::email("nonsense"), "***");
        assert_eq!(super::token("abcdefghijkl"), "abcdef…");
    }
}
