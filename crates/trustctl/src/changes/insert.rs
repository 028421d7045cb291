//! Inserting accepted change entries into the vendor's manifest file as text, at the head of
//! its `changes` list (or in a new `changes` member at the end), so the rest of the file keeps
//! its layout, key order and any fields this trustctl does not know. The result is read back
//! with the manifest decoder and must equal the original with the entries added, or nothing is
//! returned.

use trust_manifest::{parse_manifest, ChangeEntry};

/// Why entries could not be inserted.
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
    match layout.changes_value {
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

/// Where things are in the top-level object.
struct Layout {
    /// Byte offset of the value of the top-level `changes` member, if there is one.
    changes_value: Option<usize>,
    /// Byte offset of the top-level object's closing brace.
    close: usize,
}

/// Finds the top-level `changes` value and closing brace of a JSON object text.
fn scan(text: &str) -> Option<Layout> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    let mut expect_key = false;
    let mut last_key_is_changes = false;
    let mut changes_value = None;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                let start = at + 1;
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                if depth == 1 && expect_key {
                    last_key_is_changes = &text[start..at.min(bytes.len())] == "changes";
                    expect_key = false;
                }
            }
            b':' if depth == 1 => {
                let value = at + 1 + (text[at + 1..].len() - text[at + 1..].trim_start().len());
                if last_key_is_changes && changes_value.is_none() {
                    changes_value = Some(value);
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
                        changes_value,
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
