//! Edits to the vendor's manifest file as text, so the rest of the file keeps its layout, key
//! order and any fields this trustctl does not know: accepted change entries inserted at the head
//! of its `changes` list (or in a new `changes` member at the end), and `sign --bump`'s new
//! `version` and `issued_at`. Each result is read back with the manifest decoder and must equal
//! the original with exactly those changes, or nothing is returned.

use trust_manifest::{parse_manifest, ChangeEntry, Date, Manifest};

/// Why the file could not be edited.
#[derive(Debug, PartialEq, Eq)]
pub struct InsertError(pub String);

/// `text` (a manifest that decodes) with `entries` first in its `changes` list.
pub fn insert_entries(text: &str, entries: &[ChangeEntry]) -> Result<String, InsertError> {
    let before = parse_manifest(text.as_bytes())
        .map_err(|error| InsertError(format!("the manifest does not read: {error}")))?;
    let layout =
        scan(text).ok_or_else(|| InsertError("the manifest is not a JSON object".into()))?;
    let items = entries
        .iter()
        .map(|entry| {
            serde_json::to_string_pretty(entry)
                .map(|json| json.replace('\n', "\n    "))
                .map_err(|error| InsertError(error.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let joined = items.join(",\n    ");
    let mut out = String::with_capacity(text.len() + joined.len() + 64);
    match layout.member_value {
        Some(open) if text.as_bytes().get(open) == Some(&b'[') => {
            let rest = &text[open + 1..];
            if rest.trim_start().starts_with(']') {
                let close = open + 1 + rest.len() - rest.trim_start().len();
                out.push_str(&text[..=open]);
                out.push_str("\n    ");
                out.push_str(&joined);
                out.push_str("\n  ");
                out.push_str(&text[close..]);
            } else {
                out.push_str(&text[..=open]);
                out.push_str("\n    ");
                out.push_str(&joined);
                out.push(',');
                out.push_str(rest);
            }
        }
        Some(_) => return Err(InsertError("`changes` is not a list".into())),
        None => {
            let head = text[..layout.close].trim_end();
            out.push_str(head);
            if !head.ends_with('{') {
                out.push(',');
            }
            out.push_str("\n  \"changes\": [\n    ");
            out.push_str(&joined);
            out.push_str("\n  ]");
            out.push_str(&text[head.len()..]);
        }
    }
    // Read back: exactly the entries added, nothing else different.
    let after = parse_manifest(out.as_bytes())
        .map_err(|error| InsertError(format!("the edited manifest does not read: {error}")))?;
    let mut expected = before;
    expected.changes.splice(0..0, entries.iter().cloned());
    if after != expected {
        return Err(InsertError(
            "the edited manifest does not read back as the original plus the new entries".into(),
        ));
    }
    Ok(out)
}

/// `text` (a manifest that decodes) as `sign --bump` leaves it: `version` and `issued_at`
/// replaced by the given values, and `entries` (the accepted change proposals, possibly none)
/// first in its `changes` list. Everything else stays as the vendor wrote it, unknown fields
/// included; re-serialising the decoded manifest would drop those.
pub fn bump(
    text: &str,
    version: u64,
    issued_at: Date,
    entries: &[ChangeEntry],
) -> Result<String, InsertError> {
    let before = parse_manifest(text.as_bytes())
        .map_err(|error| InsertError(format!("the manifest does not read: {error}")))?;
    let mut out = replace_value(text, "version", &version.to_string())?;
    out = replace_value(&out, "issued_at", &format!("\"{issued_at}\""))?;
    if !entries.is_empty() {
        out = insert_entries(&out, entries)?;
    }
    let after = parse_manifest(out.as_bytes())
        .map_err(|error| InsertError(format!("the edited manifest does not read: {error}")))?;
    let mut expected: Manifest = before;
    expected.version = version;
    expected.issued_at = issued_at;
    expected.changes.splice(0..0, entries.iter().cloned());
    if after != expected {
        return Err(InsertError(
            "the edited manifest does not read back as the original with the new version".into(),
        ));
    }
    Ok(out)
}

/// `text` with the value of its top-level member `name` (a number or a string) replaced by
/// `json`.
fn replace_value(text: &str, name: &str, json: &str) -> Result<String, InsertError> {
    let start = scan_member(text, name)
        .ok_or_else(|| InsertError(format!("the manifest has no top-level `{name}`")))?;
    let bytes = text.as_bytes();
    let end = if bytes.get(start) == Some(&b'"') {
        let mut at = start + 1;
        while at < bytes.len() && bytes[at] != b'"' {
            at += if bytes[at] == b'\\' { 2 } else { 1 };
        }
        at + 1
    } else {
        start
            + text[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.')))
                .unwrap_or(text.len() - start)
    };
    if end <= start || end > text.len() {
        return Err(InsertError(format!("`{name}` is not a number or a string")));
    }
    Ok(format!("{}{json}{}", &text[..start], &text[end..]))
}

/// Where things are in the top-level object.
struct Layout {
    /// Byte offset of the value of the top-level member looked for, if there is one.
    member_value: Option<usize>,
    /// Byte offset of the top-level object's closing brace.
    close: usize,
}

/// Finds the top-level `changes` value and closing brace of a JSON object text.
fn scan(text: &str) -> Option<Layout> {
    scan_for(text, "changes")
}

/// Byte offset of the value of the top-level member `name`, if there is one.
fn scan_member(text: &str, name: &str) -> Option<usize> {
    scan_for(text, name)?.member_value
}

/// Finds the value of the top-level member `name` and the closing brace of a JSON object text.
fn scan_for(text: &str, name: &str) -> Option<Layout> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    let mut expect_key = false;
    let mut last_key_matches = false;
    let mut member_value = None;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                let start = at + 1;
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                if depth == 1 && expect_key {
                    last_key_matches = &text[start..at.min(bytes.len())] == name;
                    expect_key = false;
                }
            }
            b':' if depth == 1 => {
                let value = at + 1 + (text[at + 1..].len() - text[at + 1..].trim_start().len());
                if last_key_matches && member_value.is_none() {
                    member_value = Some(value);
                }
            }
            b',' if depth == 1 => expect_key = true,
            b'{' | b'[' => {
                depth += 1;
                if depth == 1 {
                    expect_key = bytes[at] == b'{';
                }
            }
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(Layout {
                        member_value,
                        close: at,
                    });
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}
