//! Addresses in a manifest that look unreachable from the public internet: reserved example
//! domains, private top-level domains, single-label intranet hosts and private IP addresses.
//! A vendor-side lint only; the widget never guesses about reachability.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;
use serde_json::Value;
use trust_manifest::Manifest;

/// One address that visitors probably cannot reach.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinkWarning {
    /// JSON path of the field, e.g. `documents[2].url`.
    pub path: String,
    /// The address as written.
    pub url: String,
    /// Why it looks unreachable, in plain words.
    pub message: String,
}

/// Top-level domains that never resolve on the public internet (reserved or private use).
const PRIVATE_TLDS: [&str; 10] = [
    "example",
    "invalid",
    "test",
    "localhost",
    "local",
    "internal",
    "lan",
    "corp",
    "intranet",
    "home.arpa",
];

/// Second-level names reserved for documentation (RFC 2606).
const EXAMPLE_DOMAINS: [&str; 3] = ["example.com", "example.net", "example.org"];

/// Every `https:`, `http:` and `mailto:` address in `manifest` whose host looks unreachable.
/// With `allow_loopback` (development mode) loopback hosts are accepted.
pub fn unreachable_looking_links(manifest: &Manifest, allow_loopback: bool) -> Vec<LinkWarning> {
    let mut warnings = Vec::new();
    if let Ok(value) = serde_json::to_value(manifest) {
        walk(&value, String::new(), allow_loopback, &mut warnings);
    }
    warnings
}

fn walk(value: &Value, path: String, allow_loopback: bool, out: &mut Vec<LinkWarning>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                walk(child, child_path, allow_loopback, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                walk(child, format!("{path}[{index}]"), allow_loopback, out);
            }
        }
        Value::String(text) => {
            if let Some(reason) = host_of(text).and_then(|host| judge(&host, allow_loopback)) {
                out.push(LinkWarning {
                    path,
                    url: text.clone(),
                    message: reason,
                });
            }
        }
        _ => {}
    }
}

/// The lowercase host of an `https:`, `http:` or `mailto:` address.
fn host_of(text: &str) -> Option<String> {
    let lower = text.trim().to_ascii_lowercase();
    let host = if let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let authority = authority.rsplit('@').next().unwrap_or_default();
        if authority.starts_with('[') {
            authority.split(']').next().map(|h| format!("{h}]"))?
        } else {
            authority.split(':').next().unwrap_or_default().to_owned()
        }
    } else if let Some(rest) = lower.strip_prefix("mailto:") {
        let address = rest.split('?').next().unwrap_or_default();
        address.rsplit_once('@')?.1.to_owned()
    } else {
        return None;
    };
    let host = host.trim_end_matches('.').to_owned();
    (!host.is_empty()).then_some(host)
}

/// Why `host` looks unreachable, or `None` when it looks like a public name or address.
fn judge(host: &str, allow_loopback: bool) -> Option<String> {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let ip: Ipv6Addr = inner.parse().ok()?;
        let first = ip.segments()[0];
        let loopback = ip.is_loopback();
        let private = loopback
            || ip.is_unspecified()
            || (first & 0xfe00) == 0xfc00
            || (first & 0xffc0) == 0xfe80;
        return (private && !(loopback && allow_loopback)).then(|| {
            format!("{host} is a private or local IP address that visitors cannot reach")
        });
    }
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        let loopback = ip.is_loopback();
        let private = loopback || ip.is_private() || ip.is_link_local() || ip.is_unspecified();
        return (private && !(loopback && allow_loopback)).then(|| {
            format!("{host} is a private or local IP address that visitors cannot reach")
        });
    }
    if host == "localhost" || host.ends_with(".localhost") {
        return (!allow_loopback)
            .then(|| format!("{host} is this computer, not an address visitors can reach"));
    }
    if let Some(domain) = EXAMPLE_DOMAINS
        .iter()
        .find(|domain| host == **domain || host.ends_with(&format!(".{domain}")))
    {
        return Some(format!(
            "{domain} is reserved for examples and documentation; replace it with your real address"
        ));
    }
    if let Some(tld) = PRIVATE_TLDS
        .iter()
        .find(|tld| host.ends_with(&format!(".{tld}")))
    {
        return Some(format!(
            "{host} uses the reserved or private name .{tld}, which does not resolve on the public internet"
        ));
    }
    if !host.contains('.') {
        return Some(format!(
            "{host} is a single-word host name that only works inside a private network"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(url: &str, allow_loopback: bool) -> Option<String> {
        host_of(url).and_then(|host| judge(&host, allow_loopback))
    }

    #[test]
    fn flags_placeholder_private_and_intranet_hosts() {
        for url in [
            "https://www.example.com/x",
            "mailto:security@example.org?subject=hi",
            "https://trust.acme.test",
            "https://wiki.corp/doc",
            "https://intranet/policy.pdf",
            "https://10.1.2.3/report.pdf",
            "https://192.168.0.10:8443/",
            "http://127.0.0.1:8787",
            "https://[fd00::1]/x",
            "https://EXAMPLE.COM.",
        ] {
            assert!(reason(url, false).is_some(), "{url} should be flagged");
        }
    }

    #[test]
    fn accepts_public_looking_hosts_and_loopback_in_dev_mode() {
        for url in [
            "https://www.acme-cloud.io/trust",
            "mailto:security@acme-cloud.io",
            "https://8.8.8.8/",
            "https://examples.com/",
            "https://myexample.com/",
        ] {
            assert_eq!(reason(url, false), None, "{url}");
        }
        for url in [
            "http://127.0.0.1:8787",
            "http://localhost:8080/x",
            "http://[::1]/",
        ] {
            assert_eq!(reason(url, true), None, "{url}");
        }
        assert_eq!(host_of("not a link"), None);
        assert_eq!(host_of("Example Cloud Ltd"), None);
    }
}
