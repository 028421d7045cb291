//! The hand-written decoders (`trust_manifest::decode`) against serde_json and the model's serde
//! derives (feature `serde-oracle`) as an oracle. For every manifest and envelope fixture in the
//! repository and for systematic mutations of them — each field removed, duplicated (same and
//! other value), each value replaced by null, an empty string, numbers, booleans, empty and
//! non-empty lists and objects, deep nesting, each enumeration name swapped for every other one,
//! unknown fields added at every level, escaped member names, every truncation and (for the small
//! fixtures) every single-byte substitution — the decoder accepts exactly when serde does and
//! yields an equal value, and refuses with the same error code.
//!
//! The only differences allowed are the ones `decode` documents, recognised from the input
//! (`common::decode_oracle`), never from the decoder's own error text: stricter (it refuses,
//! serde accepts) for text that is not UTF-8 or has a lone surrogate escape, a struct written
//! as an array, an enumeration written as `{"name": null}`, a SOC 2 report `type` written as a
//! number; more lenient (it accepts, serde refuses) for deep nesting or a number beyond `f64`
//! in an unknown member of a SOC 2 report. Each is counted, and each must occur in the sweep.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::decode_oracle::{
    lenient_by_design, same_refusal, serde_envelope, serde_manifest, stricter_by_design, Document,
    Refusal,
};
use trust_manifest::{decode, json, VerifyError};

mod common;

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

// ---------------------------------------------------------------------------------------------
// Comparison

/// Counts per outcome; `stricter` and `lenient` count the documented differences, by reason.
#[derive(Default, Debug)]
struct Tally {
    inputs: usize,
    both_accept: usize,
    both_refuse: usize,
    stricter: BTreeMap<&'static str, usize>,
    lenient: BTreeMap<&'static str, usize>,
}

fn compare<T: PartialEq + std::fmt::Debug>(
    bytes: &[u8],
    document: Document,
    ours: Result<T, VerifyError>,
    oracle: Result<T, Refusal>,
    tally: &mut Tally,
) {
    tally.inputs += 1;
    let shown = || String::from_utf8_lossy(&bytes[..bytes.len().min(400)]).into_owned();
    match (ours, oracle) {
        (Ok(ours), Ok(expected)) => {
            assert_eq!(ours, expected, "{}", shown());
            tally.both_accept += 1;
        }
        (Ok(_), Err(refusal)) => {
            let reason = lenient_by_design(bytes, document).unwrap_or_else(|| {
                panic!("accepted, but serde refuses ({refusal:?}): {}", shown())
            });
            *tally.lenient.entry(reason).or_default() += 1;
        }
        (Err(ours), Err(theirs)) if same_refusal(&ours, &theirs) => {
            tally.both_refuse += 1;
        }
        (Err(ours), theirs) => {
            let reason = stricter_by_design(bytes, document).unwrap_or_else(|| {
                panic!(
                    "refused ({ours:?}), but serde gives {:?}: {}",
                    theirs.map(|_| "acceptance"),
                    shown()
                )
            });
            assert!(
                matches!(
                    ours,
                    VerifyError::MalformedManifest(_) | VerifyError::MalformedEnvelope(_)
                ),
                "{reason}, but refused as {ours:?}: {}",
                shown()
            );
            *tally.stricter.entry(reason).or_default() += 1;
        }
    }
}

fn compare_manifest(bytes: &[u8], tally: &mut Tally) {
    let (ours, oracle) = (decode::manifest(bytes), serde_manifest(bytes));
    compare(bytes, Document::Manifest, ours, oracle, tally);
}

fn compare_envelope(bytes: &[u8], tally: &mut Tally) {
    let (ours, oracle) = (decode::envelope(bytes), serde_envelope(bytes));
    compare(bytes, Document::Envelope, ours, oracle, tally);
}

// ---------------------------------------------------------------------------------------------
// Mutations, on an owned tree that keeps member order and duplicates

#[derive(Clone, Debug)]
enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

fn tree(value: &json::Value<'_>) -> J {
    match value {
        json::Value::Null => J::Null,
        json::Value::Bool(flag) => J::Bool(*flag),
        json::Value::Number(text) => J::Num((*text).to_owned()),
        json::Value::String(text) => J::Str(text.to_string()),
        json::Value::Array(items) => J::Arr(items.iter().map(tree).collect()),
        json::Value::Object(members) => J::Obj(
            members
                .iter()
                .map(|(key, value)| (key.to_string(), tree(value)))
                .collect(),
        ),
        json::Value::TooDeep => panic!("fixtures are not nested that deeply"),
    }
}

fn write(node: &J, out: &mut String) {
    let quoted = |text: &str| serde_json::to_string(text).unwrap_or_default();
    match node {
        J::Null => out.push_str("null"),
        J::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        J::Num(text) => out.push_str(text),
        J::Str(text) => out.push_str(&quoted(text)),
        J::Arr(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        J::Obj(members) => {
            out.push('{');
            for (index, (key, value)) in members.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&quoted(key));
                out.push(':');
                write(value, out);
            }
            out.push('}');
        }
    }
}

fn text(node: &J) -> Vec<u8> {
    let mut out = String::new();
    write(node, &mut out);
    out.into_bytes()
}

fn nested(depth: usize) -> J {
    (0..depth).fold(J::Num("1".into()), |inner, _| J::Arr(vec![inner]))
}

/// Every enumeration name of the model (and a few near misses).
const NAMES: &[&str] = &[
    "not_started",
    "in_progress",
    "report_available",
    "type1",
    "type2",
    "security",
    "availability",
    "processing_integrity",
    "confidentiality",
    "privacy",
    "active",
    "suspended",
    "withdrawn",
    "2013",
    "2022",
    "soc2_report",
    "soc3_report",
    "bridge_letter",
    "iso_certificate",
    "statement_of_applicability",
    "policy",
    "pentest_summary",
    "other",
    "public",
    "nda",
    "Security",
    "NDA",
    "type3",
    "",
];

/// What every value is replaced by, one at a time.
fn replacements() -> Vec<J> {
    let mut list = vec![
        J::Null,
        J::Bool(true),
        J::Bool(false),
        J::Str(String::new()),
        J::Str("x".into()),
        J::Str("2026-02-30".into()),
        J::Str("2026-01-31".into()),
        J::Str("1".into()),
        J::Arr(vec![]),
        J::Arr(vec![J::Str("x".into())]),
        J::Obj(vec![]),
        J::Obj(vec![("active".into(), J::Null)]),
        nested(130),
    ];
    for number in [
        "0",
        "1",
        "2",
        "-1",
        "-0",
        "1.0",
        "1.5",
        "1e3",
        "1e400",
        "4294967296",
        "18446744073709551615",
        "18446744073709551616",
    ] {
        list.push(J::Num(number.into()));
    }
    list
}

/// Unknown members added to every object.
fn unknown_members() -> Vec<(String, J)> {
    vec![
        (
            "zz_unknown".into(),
            J::Obj(vec![(
                "a".into(),
                J::Arr(vec![J::Num("1".into()), J::Null]),
            )]),
        ),
        ("zz_deep".into(), nested(200)),
        ("zz_huge".into(), J::Num("1e400".into())),
        ("zz_big".into(), J::Num("1.7976931348623159e308".into())),
        ("zz_max".into(), J::Num("1.7976931348623157e308".into())),
        ("zz_lone".into(), J::Str("\u{fffd}".into())),
    ]
}

/// One change at a time anywhere inside `node`.
fn variants(node: &J, out: &mut Vec<J>) {
    out.extend(replacements());
    match node {
        J::Str(current) if NAMES.contains(&current.as_str()) => {
            out.extend(NAMES.iter().map(|name| J::Str((*name).to_owned())));
        }
        J::Arr(items) => {
            for index in 0..items.len() {
                let mut removed = items.clone();
                removed.remove(index);
                out.push(J::Arr(removed));
                let mut doubled = items.clone();
                doubled.insert(index, items[index].clone());
                out.push(J::Arr(doubled));
                let mut inner = Vec::new();
                variants(&items[index], &mut inner);
                for variant in inner {
                    let mut changed = items.clone();
                    changed[index] = variant;
                    out.push(J::Arr(changed));
                }
            }
        }
        J::Obj(members) => {
            for index in 0..members.len() {
                let (key, value) = &members[index];
                let mut removed = members.clone();
                removed.remove(index);
                out.push(J::Obj(removed));
                for duplicate in [value.clone(), J::Null, J::Str("x".into())] {
                    let mut doubled = members.clone();
                    doubled.push((key.clone(), duplicate));
                    out.push(J::Obj(doubled));
                }
                let mut inner = Vec::new();
                variants(value, &mut inner);
                for variant in inner {
                    let mut changed = members.clone();
                    changed[index].1 = variant;
                    out.push(J::Obj(changed));
                }
            }
            for extra in unknown_members() {
                for at in [0, members.len()] {
                    let mut added = members.clone();
                    added.insert(at, extra.clone());
                    out.push(J::Obj(added));
                }
            }
            // The same members as an array of their values, in order.
            out.push(J::Arr(
                members.iter().map(|(_, value)| value.clone()).collect(),
            ));
        }
        _ => {}
    }
}

/// Text-level changes the tree cannot express: each member name spelled with an escape, and a
/// lone surrogate escape in place of the replacement character.
fn text_variants(original: &[u8]) -> Vec<Vec<u8>> {
    let text = String::from_utf8_lossy(original);
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (at, _) in text.match_indices("\":") {
        let Some(start) = text[..at].rfind('"') else {
            continue;
        };
        let key = &text[start + 1..at];
        if key.is_empty() || !key.is_ascii() || !seen.insert(key.to_owned()) {
            continue;
        }
        let escaped = format!("\\u{:04x}{}", u32::from(key.as_bytes()[0]), &key[1..]);
        let mut changed = text.to_string();
        changed.replace_range(start + 1..at, &escaped);
        out.push(changed.into_bytes());
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Fixtures

fn read(path: &str) -> Vec<u8> {
    let file = Path::new(REPO).join(path);
    std::fs::read(&file).unwrap_or_else(|error| panic!("{}: {error}", file.display()))
}

fn files_in(dir: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(Path::new(REPO).join(dir))
        .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

/// Every manifest fixture in the repository, plus a Type 1 report variant of the complete one.
fn manifest_fixtures() -> Vec<Vec<u8>> {
    let mut list = vec![
        read("public/demo/manifest.json"),
        read("tests/e2e/security/tamper-manifest.json"),
        common::MANIFEST_JSON.as_bytes().to_vec(),
        common::MANIFEST_JSON
            .replace(
                "\"type\": \"type2\"",
                "\"type\": \"type1\", \"as_of\": \"2026-09-30\"",
            )
            .into_bytes(),
    ];
    for dir in [
        "fuzz/seeds/manifest_parse",
        "fuzz/regressions/manifest_parse",
    ] {
        list.extend(
            files_in(dir)
                .iter()
                .filter_map(|file| std::fs::read(file).ok()),
        );
    }
    assert!(decode::manifest(&list[3]).is_ok_and(|m| matches!(
        m.soc2.and_then(|s| s.report).map(|r| r.kind),
        Some(trust_manifest::Soc2ReportKind::Type1 { .. })
    )));
    list
}

fn envelope_fixtures() -> Vec<Vec<u8>> {
    let mut list = vec![read("tests/e2e/security/tamper-envelope.json")];
    for dir in ["fuzz/seeds/envelope_open", "fuzz/regressions/envelope_open"] {
        list.extend(
            files_in(dir)
                .iter()
                .filter_map(|file| std::fs::read(file).ok()),
        );
    }
    list
}

/// Runs `compare` on a fixture, its tree mutations, its text mutations, every truncation and,
/// for small fixtures, every single-byte substitution.
fn sweep(fixture: &[u8], compare: fn(&[u8], &mut Tally), tally: &mut Tally) {
    compare(fixture, tally);
    if let Ok(value) = json::parse(fixture) {
        let root = tree(&value);
        let mut changed = Vec::new();
        variants(&root, &mut changed);
        for variant in &changed {
            let bytes = text(variant);
            compare(&bytes, tally);
            // The replacement character stood for a lone surrogate escape.
            if let Ok(text) = std::str::from_utf8(&bytes) {
                if text.contains('\u{fffd}') {
                    compare(text.replace('\u{fffd}', "\\ud800").as_bytes(), tally);
                    // And for a byte that is not UTF-8 at all.
                    let mut raw = Vec::new();
                    for (index, part) in text.split('\u{fffd}').enumerate() {
                        if index > 0 {
                            raw.push(0xff);
                        }
                        raw.extend_from_slice(part.as_bytes());
                    }
                    compare(&raw, tally);
                }
            }
        }
    }
    for variant in text_variants(fixture) {
        compare(&variant, tally);
    }
    for end in 0..fixture.len() {
        compare(&fixture[..end], tally);
    }
    if fixture.len() <= 1_024 {
        for at in 0..fixture.len() {
            for &byte in b"\"\\{}[],:0-1.e \x00\xff" {
                let mut changed = fixture.to_vec();
                changed[at] = byte;
                compare(&changed, tally);
            }
        }
    }
}

#[test]
fn manifest_decoder_agrees_with_serde() {
    let mut tally = Tally::default();
    let fixtures = manifest_fixtures();
    assert!(fixtures.len() >= 5, "{}", fixtures.len());
    for fixture in &fixtures {
        sweep(fixture, compare_manifest, &mut tally);
    }
    println!("manifests: {} fixtures, {tally:?}", fixtures.len());
    assert!(tally.both_accept > 1_000, "{tally:?}");
    assert!(tally.both_refuse > 1_000, "{tally:?}");
    // Each documented difference is exercised (and nothing else was allowed above).
    assert_eq!(
        tally.stricter.keys().copied().collect::<Vec<_>>(),
        [
            "enumeration written as an object",
            "lone surrogate escape",
            "report type written as a number",
            "struct written as an array",
            "text not UTF-8",
        ],
        "{tally:?}"
    );
    assert_eq!(
        tally.lenient.keys().copied().collect::<Vec<_>>(),
        ["unknown report member serde's flatten cannot buffer"],
        "{tally:?}"
    );
}

#[test]
fn envelope_decoder_agrees_with_serde() {
    let mut tally = Tally::default();
    let fixtures = envelope_fixtures();
    assert!(fixtures.len() >= 4, "{}", fixtures.len());
    for fixture in &fixtures {
        sweep(fixture, compare_envelope, &mut tally);
    }
    println!("envelopes: {} fixtures, {tally:?}", fixtures.len());
    assert!(tally.both_accept > 100, "{tally:?}");
    assert!(tally.both_refuse > 100, "{tally:?}");
    assert_eq!(
        tally.stricter.keys().copied().collect::<Vec<_>>(),
        // serde_json refuses an envelope that is not UTF-8 too (it was checked first).
        ["lone surrogate escape", "struct written as an array"],
        "{tally:?}"
    );
    assert!(tally.lenient.is_empty(), "{tally:?}");
}

/// The fuzz corpora under `fuzz/corpus/` (git-ignored; present after `scripts/fuzz.sh` has run):
/// `cargo test --release -p trust-manifest --test decode_differential -- --ignored --nocapture`.
#[test]
#[ignore = "needs a local fuzz corpus"]
fn decoders_agree_with_serde_on_the_fuzz_corpus() {
    let mut tally = Tally::default();
    for target in ["manifest_parse", "envelope_open", "json_reader"] {
        let files = files_in(&format!("fuzz/corpus/{target}"));
        assert!(
            !files.is_empty(),
            "fuzz/corpus/{target} is missing or empty: run scripts/fuzz.sh first"
        );
        for file in files {
            let bytes = read_corpus_file(&file);
            compare_manifest(&bytes, &mut tally);
            compare_envelope(&bytes, &mut tally);
        }
    }
    println!("fuzz corpus: {tally:?}");
}

fn read_corpus_file(file: &Path) -> Vec<u8> {
    std::fs::read(file).unwrap_or_else(|error| panic!("{}: {error}", file.display()))
}
