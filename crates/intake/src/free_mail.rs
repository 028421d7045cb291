//! Built-in list of free-mail domains (one per line in `free_mail_domains.txt`).

/// The shipped list, compiled in.
pub const FREE_MAIL_LIST: &str = include_str!("free_mail_domains.txt");

/// True if `domain` (lowercase) is on the built-in list or in `extra`.
pub fn is_free_mail(domain: &str, extra: &[String]) -> bool {
    FREE_MAIL_LIST
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .any(|listed| listed == domain)
        || extra.iter().any(|listed| listed == domain)
}

#[cfg(test)]
mod tests {
    #[test]
    fn knows_common_providers() {
        assert!(super::is_free_mail("gmail.com", &[]));
        assert!(super::is_free_mail("proton.me", &[]));
        assert!(!super::is_free_mail("example.com", &[]));
        assert!(super::is_free_mail(
            "example.com",
            &["example.com".to_string()]
        ));
    }
}
