//! The Atom 1.0 feed (RFC 4287) of a manifest's change history, for customers who watch feeds:
//! one entry per change, newest first, each linking to its deep link on the trust page
//! (`#change-<id>`). Every vendor-written text is XML-escaped, and characters XML 1.0 cannot
//! carry are replaced, so no manifest can break the feed or inject markup into it.

use trust_manifest::{ChangeEntry, Date, Manifest};

/// Where the feed's links point.
pub struct FeedLinks<'a> {
    /// The page that embeds the widget (entry links are this plus `#change-<id>`); the
    /// organisation's website when not given.
    pub page_url: Option<&'a str>,
}

/// The feed as XML text (UTF-8, with the XML declaration).
pub fn atom_feed(manifest: &Manifest, links: &FeedLinks<'_>) -> String {
    let feed_url = manifest
        .updates
        .as_ref()
        .and_then(|u| u.feed_url.as_deref());
    let page = links.page_url.unwrap_or(&manifest.organization.website);
    let page_base = page.split('#').next().unwrap_or(page);
    let feed_id = feed_url.map_or_else(|| format!("{page_base}#changes"), str::to_owned);
    let entries = sorted_newest_first(&manifest.changes);
    let updated = entries
        .first()
        .map_or(manifest.issued_at, |e| e.date)
        .max(manifest.issued_at);
    let org = &manifest.organization.name;

    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    element(&mut xml, 1, "id", &feed_id);
    element(
        &mut xml,
        1,
        "title",
        &format!("{org}: trust center changes"),
    );
    element(
        &mut xml,
        1,
        "subtitle",
        &format!(
            "Signed change history of {org}'s trust center (manifest version {}).",
            manifest.version
        ),
    );
    element(&mut xml, 1, "updated", &timestamp(updated));
    xml.push_str("  <author>\n");
    element(&mut xml, 2, "name", org);
    element(&mut xml, 2, "uri", &manifest.organization.website);
    xml.push_str("  </author>\n");
    if let Some(url) = feed_url {
        link(&mut xml, 1, "self", url, Some("application/atom+xml"));
    }
    link(&mut xml, 1, "alternate", page_base, Some("text/html"));
    xml.push_str("  <generator>trustctl</generator>\n");
    for entry in entries {
        let anchor = format!("{page_base}#change-{}", entry.id);
        xml.push_str("  <entry>\n");
        // The id is the entry's deep link: permanent, and unique because entry ids are.
        element(&mut xml, 2, "id", &format!("{feed_id}/{}", entry.id));
        element(&mut xml, 2, "title", &entry.summary);
        element(&mut xml, 2, "updated", &timestamp(entry.date));
        element(&mut xml, 2, "published", &timestamp(entry.date));
        link(&mut xml, 2, "alternate", &anchor, Some("text/html"));
        xml.push_str("    <category term=\"");
        escape_into(&mut xml, entry.category.as_str());
        xml.push_str("\"/>\n");
        element(&mut xml, 2, "summary", &entry_summary(entry));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// The entry's summary text: what changed, in which version, and when it takes effect.
fn entry_summary(entry: &ChangeEntry) -> String {
    let mut text = format!(
        "{} (category: {}; signed manifest version {}; announced {}",
        entry.summary,
        entry.category.as_str(),
        entry.version,
        entry.date
    );
    if let Some(effective) = entry.effective_date {
        text.push_str(&format!("; effective {effective}"));
    }
    text.push(')');
    text
}

/// The entries newest first, by `(version, date)` as every consumer orders them.
pub fn sorted_newest_first(changes: &[ChangeEntry]) -> Vec<&ChangeEntry> {
    let mut entries: Vec<&ChangeEntry> = changes.iter().collect();
    entries.sort_by_key(|e| std::cmp::Reverse((e.version, e.date)));
    entries
}

/// An RFC 3339 timestamp for the start of `date` in UTC.
fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

fn element(xml: &mut String, depth: usize, name: &str, text: &str) {
    xml.push_str(&"  ".repeat(depth));
    xml.push('<');
    xml.push_str(name);
    xml.push('>');
    escape_into(xml, text);
    xml.push_str("</");
    xml.push_str(name);
    xml.push_str(">\n");
}

fn link(xml: &mut String, depth: usize, rel: &str, href: &str, media_type: Option<&str>) {
    xml.push_str(&"  ".repeat(depth));
    xml.push_str("<link rel=\"");
    xml.push_str(rel);
    xml.push_str("\" href=\"");
    escape_into(xml, href);
    xml.push('"');
    if let Some(media_type) = media_type {
        xml.push_str(" type=\"");
        xml.push_str(media_type);
        xml.push('"');
    }
    xml.push_str("/>\n");
}

/// Appends `text` escaped for XML element content and attribute values; characters XML 1.0
/// does not allow (most C0 controls, U+FFFE, U+FFFF) become U+FFFD.
pub fn escape_into(xml: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => xml.push_str("&amp;"),
            '<' => xml.push_str("&lt;"),
            '>' => xml.push_str("&gt;"),
            '"' => xml.push_str("&quot;"),
            '\'' => xml.push_str("&apos;"),
            '\t' | '\n' | '\r' => xml.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => xml.push('\u{fffd}'),
            c => xml.push(c),
        }
    }
}
