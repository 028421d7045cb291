//! Generates the widget's message ids and its compiled-in English catalogue from
//! `i18n/en.json` (see docs/i18n.md): `enum Msg` (one variant per message, in id order: serde_json's map, like the
//! language-file builder, sorts them),
//! `EN` (the English texts, plural forms joined by U+001F), `IDS` (the ids, for native checks)
//! and `CATALOGUE_ID` (FNV-1a of the ids, which every language file must start with, so a
//! language file built for another set of messages is refused instead of shown shifted).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let source = Path::new("i18n/en.json");
    println!("cargo:rerun-if-changed={}", source.display());
    let text =
        std::fs::read_to_string(source).unwrap_or_else(|error| panic!("{source:?}: {error}"));
    let messages: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("{source:?}: {error}"));

    let mut variants = String::new();
    let mut english = String::new();
    let mut ids = String::new();
    let mut source_english = String::new();
    // The compiled English as one string and the end offset of each message in it: a table of
    // 360 `&str` would be ~2.9 KB of pointers in the wasm, the offsets are 720 bytes.
    let mut english_text = String::new();
    let mut english_ends = String::new();
    // The `status.*` messages (one per `trust_manifest::Text` id; the ids share a prefix, so
    // they are consecutive in the sorted catalogue): the index of the first and each one's name
    // after the prefix, for looking a status text's id up in the wasm.
    let mut status_first = None;
    let mut status_count = 0usize;
    let mut hash: u32 = 0x811c_9dc5;
    for (index, (id, value)) in messages.iter().enumerate() {
        if index > 0 {
            hash = fnv(hash, b"\n");
        }
        hash = fnv(hash, id.as_bytes());
        let text = match value {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Object(forms) => {
                let form = |name: &str| match forms.get(name) {
                    Some(serde_json::Value::String(text)) => text.clone(),
                    _ => panic!("{id}: a plural message needs the forms \"one\" and \"other\""),
                };
                format!("{}\u{1f}{}", form("one"), form("other"))
            }
            _ => panic!("{id}: a message is a string or {{\"one\": …, \"other\": …}}"),
        };
        let _ = writeln!(variants, "    /// `{id}`: {:?}", short(&text));
        let _ = writeln!(variants, "    {},", variant_name(id));
        // `mirror.*` messages repeat English that the code already holds (the built-in content,
        // the error texts of `state::LoadError`, the NDA form's problems): the English page shows that text, so its
        // copy here would only add bytes to the wasm. Translators still see it in i18n/en.json,
        // and tests/i18n_catalogue.rs checks that the two agree.
        let compiled = if id.starts_with("mirror.") {
            ""
        } else {
            text.as_str()
        };
        let _ = writeln!(english, "    {compiled:?},");
        english_text.push_str(compiled);
        let _ = write!(english_ends, "{}, ", english_text.len());
        let _ = writeln!(source_english, "    {text:?},");
        let _ = writeln!(ids, "    {id:?},");
        if id.starts_with("status.") {
            status_first.get_or_insert(index);
            assert_eq!(status_first.map(|first| first + status_count), Some(index));
            status_count += 1;
        }
    }
    let status_first = status_first.unwrap_or_default();
    let count = messages.len();
    assert!(
        english_text.len() < usize::from(u16::MAX),
        "the English catalogue outgrew u16 offsets"
    );
    let generated = format!(
        "/// A message of the widget's catalogue (generated from i18n/en.json by build.rs).\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq)]\n\
         #[repr(u16)]\n\
         pub enum Msg {{\n{variants}}}\n\n\
         /// How many messages the catalogue has.\n\
         pub const MESSAGE_COUNT: usize = {count};\n\n\
         /// The English texts, in [`Msg`] order (plural forms joined by U+001F), for native checks.\n\
         #[cfg_attr(target_arch = \"wasm32\", allow(dead_code))]\n\
         pub static EN: [&str; {count}] = [\n{english}];\n\n\
         /// The compiled English texts one after another ([`EN`] without the table of pointers).\n\
         pub static EN_TEXT: &str = {english_text:?};\n\n\
         /// Where each message ends in [`EN_TEXT`] (it starts where the previous one ends).\n\
         pub static EN_ENDS: [u16; {count}] = [{english_ends}];\n\n\
         /// Every English text as written in i18n/en.json, `mirror.*` ones included (native checks).\n\
         #[cfg_attr(target_arch = \"wasm32\", allow(dead_code))]\n\
         pub static EN_SOURCE: [&str; {count}] = [\n{source_english}];\n\n\
         /// The message ids as written in the language files, in [`Msg`] order.\n\
         #[cfg_attr(target_arch = \"wasm32\", allow(dead_code))]\n\
         pub static IDS: [&str; {count}] = [\n{ids}];\n\n\
         /// The index in [`Msg`] order of the first `status.*` message.\n\
         pub const STATUS_FIRST: usize = {status_first};\n\n\
         /// How many `status.*` messages there are, from [`STATUS_FIRST`] on (one per\n\
         /// `trust_manifest::TextId`, in its order).\n\
         #[cfg_attr(target_arch = \"wasm32\", allow(dead_code))]\n\
         pub const STATUS_COUNT: usize = {status_count};\n\n\
         /// FNV-1a (32 bit, hex) of the ids joined by newlines: the first entry of every language file.\n\
         pub const CATALOGUE_ID: &str = \"{hash:08x}\";\n"
    );
    let out =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".to_owned())).join("messages.rs");
    std::fs::write(&out, generated).unwrap_or_else(|error| panic!("{out:?}: {error}"));
}

fn fnv(mut hash: u32, bytes: &[u8]) -> u32 {
    for &byte in bytes {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// `banner.signed_by` → `BannerSignedBy`.
fn variant_name(id: &str) -> String {
    let mut name = String::new();
    for part in id
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.extend(chars);
        }
    }
    name
}

fn short(text: &str) -> String {
    let mut short: String = text.chars().take(60).filter(|c| *c != '\u{1f}').collect();
    if text.chars().count() > 60 {
        short.push('…');
    }
    short
}
