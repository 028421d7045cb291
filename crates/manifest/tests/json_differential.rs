//! The JSON reader (`trust_manifest::json`) against serde_json as an oracle: for every fixture in
//! the repository, every prefix of it, every single-byte substitution of the small ones and a
//! list of tricky hand-made texts, `json::parse` accepts exactly when
//! `serde_json::from_slice::<serde_json::Value>` does, and reads the same value.
//!
//! Two differences are by design and accounted for: the reader keeps arrays and objects nested
//! deeper than `json::MAX_DEPTH` as `Value::TooDeep` (serde_json refuses the document), and it
//! keeps numbers as text (serde_json refuses a number too large for a 64-bit float). A document
//! with either is expected to be refused by serde_json.

use std::path::{Path, PathBuf};

use common::serde_oracle::as_serde;
use trust_manifest::json;

mod common;

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Every JSON fixture holding a manifest or an envelope.
pub fn fixture_files() -> Vec<PathBuf> {
    let mut files = vec![
        PathBuf::from("public/demo/manifest.json"),
        PathBuf::from("tests/e2e/security/tamper-manifest.json"),
        PathBuf::from("tests/e2e/security/tamper-envelope.json"),
    ];
    for dir in [
        "fuzz/seeds/envelope_open",
        "fuzz/seeds/manifest_parse",
        "fuzz/regressions/envelope_open",
        "fuzz/regressions/manifest_parse",
        "fuzz/seeds/json_reader",
        "fuzz/regressions/json_reader",
    ] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(Path::new(REPO).join(dir))
            .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
            .unwrap_or_default();
        found.sort();
        files.extend(found);
    }
    files
        .into_iter()
        .map(|file| Path::new(REPO).join(file))
        .collect()
}

/// Tallies of one differential run.
#[derive(Default, Debug)]
struct Tally {
    inputs: usize,
    accepted: usize,
    refused: usize,
    /// Accepted by the reader, refused by serde_json for depth or a float overflow.
    by_design: usize,
}

fn compare(bytes: &[u8], tally: &mut Tally) {
    tally.inputs += 1;
    let oracle = serde_json::from_slice::<serde_json::Value>(bytes);
    let ours = json::parse(bytes);
    let shown = || String::from_utf8_lossy(&bytes[..bytes.len().min(300)]).into_owned();
    match (&ours, &oracle) {
        (Ok(value), Ok(expected)) => {
            assert_eq!(as_serde(value).as_ref(), Some(expected), "{}", shown());
            tally.accepted += 1;
        }
        (Ok(value), Err(error)) => {
            assert!(
                as_serde(value).is_none(),
                "accepted, but serde_json says {error}: {}",
                shown()
            );
            tally.by_design += 1;
        }
        (Err(error), Ok(_)) => panic!("refused ({error}), but serde_json accepts: {}", shown()),
        (Err(_), Err(_)) => tally.refused += 1,
    }
}

/// Bytes that break or change JSON syntax, for substitutions.
const SUBSTITUTES: &[u8] = b"\"\\{}[],:0-.e x\x00\x1f\n\xff\xc3t";

fn tricky_texts() -> Vec<Vec<u8>> {
    let mut texts: Vec<Vec<u8>> = [
        "0",
        "-0",
        "-0.0",
        "1.5e3",
        "1E-2",
        "1e+2",
        "01",
        "00",
        "-",
        "--1",
        "1.",
        ".1",
        "1e",
        "1e+",
        "+1",
        "0x1F",
        "1_000",
        "Infinity",
        "-Infinity",
        "NaN",
        "1e309",
        "-1e309",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "2e308",
        "1e-400",
        "0e99999",
        "123456789012345678901234567890",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "true",
        "false",
        "null",
        "tRue",
        "nulll",
        "\"\"",
        "\"\\u0000\"",
        "\"\\uD834\\uDD1E\"",
        "\"\\ud834\"",
        "\"\\udd1e\"",
        "\"\\ud834\\ud834\"",
        "\"\\ud834\\n\"",
        "\"\\u00e9\"",
        "\"\\U00e9\"",
        "\"\\x41\"",
        "\"\\'\"",
        "\"\\/\"",
        "\"a\tb\"",
        "\"\x7f\"",
        "\"é😀\"",
        "[]",
        "[,]",
        "[1,]",
        "[,1]",
        "{}",
        "{,}",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\":1,}",
        "{\"a\":1,\"a\":2}",
        "{1:2}",
        "{\"a\":1 \"b\":2}",
        " \t\r\n{} \t\r\n",
        "{}\u{a0}",
        "\u{feff}{}",
        "[1]]",
        "[[1]",
        "{\"a\":[}",
        "[\"a\" , \"b\" ]",
    ]
    .iter()
    .map(|text| text.as_bytes().to_vec())
    .collect();
    for depth in [1, 126, 127, 128, 129, 200, 5_000] {
        texts.push(format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes());
        texts.push(format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)).into_bytes());
        texts.push(
            format!("{{\"k\":{}1e400{}}}", "[".repeat(depth), "]".repeat(depth)).into_bytes(),
        );
        texts.push(format!("{}]", "[".repeat(depth)).into_bytes());
        texts.push(format!("{}{{}}]]{}", "[".repeat(depth), "]".repeat(depth)).into_bytes());
    }
    texts
}

#[test]
fn reader_agrees_with_serde_json_on_fixtures_prefixes_and_substitutions() {
    let mut tally = Tally::default();
    let mut texts: Vec<Vec<u8>> = fixture_files()
        .iter()
        .map(|file| std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display())))
        .collect();
    texts.push(common::MANIFEST_JSON.as_bytes().to_vec());
    assert!(texts.len() >= 8);
    for text in &texts {
        compare(text, &mut tally);
        // Every truncation.
        for end in 0..text.len() {
            compare(&text[..end], &mut tally);
        }
        // Every single-byte substitution, on the texts up to a few kilobytes.
        if text.len() <= 4_096 {
            for at in 0..text.len() {
                for &byte in SUBSTITUTES {
                    let mut changed = text.clone();
                    changed[at] = byte;
                    compare(&changed, &mut tally);
                }
            }
        }
    }
    for text in tricky_texts() {
        compare(&text, &mut tally);
    }
    println!("{tally:?}");
    assert!(
        tally.accepted > 1_000 && tally.refused > 10_000,
        "{tally:?}"
    );
    assert!(tally.by_design >= 10, "{tally:?}");
}

/// The fuzz corpora under `fuzz/corpus/` (git-ignored; present after `scripts/fuzz.sh` has run):
/// `cargo test -p trust-manifest --test json_differential -- --ignored --nocapture`.
#[test]
#[ignore = "needs a local fuzz corpus"]
fn reader_agrees_with_serde_json_on_the_fuzz_corpus() {
    let mut tally = Tally::default();
    for target in ["envelope_open", "manifest_parse", "json_reader"] {
        let dir = Path::new(REPO).join("fuzz/corpus").join(target);
        let entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|error| {
                panic!("{}: {error} (run scripts/fuzz.sh first)", dir.display())
            })
            .map(|entry| entry.map(|entry| entry.path()))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
        assert!(
            !entries.is_empty(),
            "{} is empty: run scripts/fuzz.sh first",
            dir.display()
        );
        for file in entries {
            let bytes =
                std::fs::read(&file).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
            compare(&bytes, &mut tally);
        }
    }
    println!("{tally:?}");
}
