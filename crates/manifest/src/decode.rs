//! Hand-written decoding of the DSSE [`Envelope`] and the [`Manifest`] (with every nested type)
//! from a [`crate::json`] tree: [`envelope`] and [`manifest`]. This module is the only reader of
//! manifests and envelopes: [`crate::read_envelope`] and [`crate::parse_manifest`] (the widget)
//! and `trustctl` all read through it, so the same mistake gets the same [`DecodeError`]
//! everywhere. Nothing reads a manifest with serde; the model's `Deserialize` derives exist only
//! behind the test-only `serde-oracle` feature, as the oracle of the differential tests.
//!
//! The rules are those the serde derives imply, so both read the same documents the same way
//! (`tests/decode_differential.rs` holds them to it):
//!
//! - unknown fields are ignored; a field this crate reads may appear only once;
//! - a missing `Option` field and `null` both mean "absent"; a missing list is empty, but a list
//!   that is `null` is an error;
//! - whole numbers are digits only (no sign, fraction or exponent) and must fit their type;
//! - enumerations are their snake_case names as strings; dates are `YYYY-MM-DD` strings.
//!
//! Deliberate differences from serde_json and the derives (the differential test recognises
//! each of them from the input, and allows nothing else):
//!
//! - stricter: the whole text must be UTF-8 and free of lone surrogate escapes (serde_json skips
//!   unknown strings unchecked); a struct must be an object (serde also takes an array of its
//!   fields in order); an enumeration must be a string (serde also takes `{"name": null}`), and
//!   the SOC 2 report `type` must be `"type1"` or `"type2"` (serde also takes the numbers 0 and
//!   1);
//! - more lenient: unknown fields of a SOC 2 `report` object are ignored like unknown fields
//!   anywhere else. serde reads that object through `#[serde(flatten)]`, which buffers unknown
//!   members first and so refuses there (only there) arrays or objects nested more than
//!   [`crate::json::MAX_DEPTH`] levels deep and numbers too large for a 64-bit float; this
//!   reader does not imitate that quirk.
//!
//! Errors name the JSON path ([`DecodeError`]): `soc2.report.period_start: expected a date like
//! 2026-01-31, found the string "2026-02-30"`.
//!
//! Only the first problem is reported. The readers do not return early: each records its
//! problem in a `Decoder` and carries on with a placeholder value, and a decoded value is handed
//! out only when nothing was recorded, so **a placeholder is never observable** outside this
//! module. Even so, a placeholder is never the permissive value: a broken `access` reads as
//! `nda`, never `public`; a broken status as `not_started`; a broken date as [`Date::MIN`]; a
//! broken flag as `false`; a broken string as empty (which no link check accepts). The fields
//! are read in the same order either way, so the problem kept is the one an early return would
//! have reported; carrying on keeps the WebAssembly small, as no half-built value has to be
//! dropped at each of the many places a field can fail.

pub mod error;

use std::borrow::Cow;

use crate::date::Date;
use crate::digits;
use crate::envelope::{Envelope, EnvelopeSignature};
use crate::error::VerifyError;
use crate::json::{self, Value};
use crate::model::*;
use crate::translations::{TranslatedText, Translation};

pub use self::error::{DecodeError, DecodeProblem};

/// Where in the document a value sits: field names and array indexes, chained on the stack and
/// turned into text only for an error message.
#[derive(Clone, Copy)]
enum Path<'p> {
    Root,
    Field(&'p Path<'p>, &'static str),
    Index(&'p Path<'p>, usize),
}

impl Path<'_> {
    /// Appends the path as text, e.g. `soc2.report.criteria[0]` (nothing for the root).
    fn write_to(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Field(Path::Root, name) => out.push_str(name),
            Path::Field(parent, name) => {
                parent.write_to(out);
                out.push('.');
                out.push_str(name);
            }
            Path::Index(parent, index) => {
                parent.write_to(out);
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
}

/// A value and where it sits.
struct At<'v, 'a, 'p> {
    value: &'v Value<'a>,
    path: Path<'p>,
}

/// A reader: decodes the value at a place, recording any problem in the [`Decoder`].
type Read<T> = fn(&mut Decoder, &At<'_, '_, '_>) -> T;

/// What a missing required field is read as, once its absence is recorded: every reader gives
/// its placeholder for it.
static NULL: Value<'static> = Value::Null;

/// What a missing list is read as.
static EMPTY_LIST: Value<'static> = Value::Array(Vec::new());

/// The first problem found (see the module docs).
#[derive(Default)]
struct Decoder {
    error: Option<DecodeError>,
}

impl Decoder {
    /// Records `problem` at `path`, unless a problem is already recorded.
    #[cold]
    #[inline(never)]
    fn fail(&mut self, path: &Path<'_>, problem: DecodeProblem) {
        if self.error.is_some() {
            return;
        }
        let mut text = String::new();
        path.write_to(&mut text);
        self.error = Some(DecodeError::new(text, problem));
    }

    /// Records "expected …, found …" for the value at `at`, quoting short strings.
    #[cold]
    #[inline(never)]
    fn mismatch(&mut self, at: &At<'_, '_, '_>, expected: &str) {
        if self.error.is_none() {
            self.fail(
                &at.path,
                DecodeProblem::Mismatch {
                    expected: expected.to_owned(),
                    found: describe(at.value),
                },
            );
        }
    }

    /// `value` if no problem was recorded while decoding it, else the first problem.
    fn finish<T>(self, value: T) -> Result<T, DecodeError> {
        match self.error {
            None => Ok(value),
            Some(error) => Err(error),
        }
    }
}

/// The parts joined into one string, like `[..].concat()`: written out because the library's
/// generic join is the only user of its code in the widget's wasm (about 0.9 KB).
fn concat(parts: &[&str]) -> String {
    let mut text = String::new();
    for part in parts {
        text.push_str(part);
    }
    text
}

/// A value for an error message: its kind, and the text itself if it is a short string.
fn describe(value: &Value<'_>) -> String {
    match value {
        Value::String(text) if text.chars().count() <= 40 => {
            concat(&["the string ", &json::quoted(text, '"')])
        }
        Value::Number(text) if text.len() <= 40 => concat(&["the number ", text]),
        other => other.kind().to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// Building blocks

/// Builds a struct from the object `o`, each field given once with how it is read:
/// `required(reader)`, `optional(reader)` or `list(reader)`. The JSON member name is the Rust
/// field name (`stringify!`), as the serde derives name it, so this table cannot drift from
/// `model.rs`: a field left out, or read as required where the model has an `Option`, does not
/// compile. Only the envelope's renamed `payloadType` and the SOC 2 report's flattened `type`
/// are read by hand.
macro_rules! fields {
    ($d:ident, $o:ident, $Type:ident { $($field:ident: $how:ident($read:expr)),* $(,)? }) => {
        $Type {
            $($field: $o.$how($d, stringify!($field), $read)),*
        }
    };
}

/// The members of an object, with the path of the object.
struct Object<'v, 'a, 'p> {
    members: &'v [(Cow<'a, str>, Value<'a>)],
    path: &'p Path<'p>,
}

/// The object at `at`; if it is something else, the problem is recorded and it has no members.
fn object<'v, 'a, 'p>(d: &mut Decoder, at: &'p At<'v, 'a, '_>) -> Object<'v, 'a, 'p> {
    let members = match at.value {
        Value::Object(members) => members.as_slice(),
        _ => {
            d.mismatch(at, "an object {…}");
            &[]
        }
    };
    Object {
        members,
        path: &at.path,
    }
}

impl<'v, 'a, 'p> Object<'v, 'a, 'p> {
    /// The field's value if present; a field that appears more than once is a problem.
    fn get(&self, d: &mut Decoder, name: &'static str) -> Option<&'v Value<'a>> {
        let mut found = None;
        for (key, value) in self.members {
            if key == name {
                if found.is_some() {
                    d.fail(&Path::Field(self.path, name), DecodeProblem::Duplicate);
                    break;
                }
                found = Some(value);
            }
        }
        found
    }

    /// A field that must be present (if it is missing, that is recorded and it reads as `null`).
    #[inline(never)]
    fn field(&self, d: &mut Decoder, name: &'static str) -> At<'v, 'a, 'p> {
        let path = Path::Field(self.path, name);
        let value = match self.get(d, name) {
            Some(value) => value,
            None => {
                d.fail(&path, DecodeProblem::Missing);
                &NULL
            }
        };
        At { value, path }
    }

    /// A field that must be present.
    #[inline(never)]
    fn required<T>(&self, d: &mut Decoder, name: &'static str, read: Read<T>) -> T {
        let at = self.field(d, name);
        read(d, &at)
    }

    /// A field that may be missing or `null`.
    #[inline(never)]
    fn optional<T>(&self, d: &mut Decoder, name: &'static str, read: Read<T>) -> Option<T> {
        match self.get(d, name) {
            None | Some(Value::Null) => None,
            Some(value) => Some(read(
                d,
                &At {
                    value,
                    path: Path::Field(self.path, name),
                },
            )),
        }
    }

    /// An object used as a map that may be missing (then it is empty), but not `null`.
    #[inline(never)]
    fn keyed<T>(&self, d: &mut Decoder, name: &'static str, member: ReadMember<T>) -> Vec<T> {
        match self.get(d, name) {
            None => Vec::new(),
            Some(value) => keyed_members(
                d,
                &At {
                    value,
                    path: Path::Field(self.path, name),
                },
                member,
            ),
        }
    }

    /// A list that may be missing (then it is empty), but not `null`.
    #[inline(never)]
    fn list<T>(&self, d: &mut Decoder, name: &'static str, item: Read<T>) -> Vec<T> {
        let mut out = Vec::new();
        self.for_each_listed(d, name, &mut |d, at| out.push(item(d, at)));
        out
    }

    /// Calls `each` for every item of the list in field `name` (none if it is missing). The
    /// part of [`Object::list`] that does not depend on the type of the items.
    #[inline(never)]
    fn for_each_listed(
        &self,
        d: &mut Decoder,
        name: &'static str,
        each: &mut dyn FnMut(&mut Decoder, &At<'_, '_, '_>),
    ) {
        let at = At {
            value: self.get(d, name).unwrap_or(&EMPTY_LIST),
            path: Path::Field(self.path, name),
        };
        for_each_item(d, &at, each);
    }
}

/// A reader of one member of a map-like object: its key and its value.
type ReadMember<T> = fn(&mut Decoder, &str, &At<'_, '_, '_>) -> T;

/// The members of the object at `at` read by `member` (an object used as a map: any keys, each at
/// most once); if it is something else, the problem is recorded and there are none.
fn keyed_members<T>(d: &mut Decoder, at: &At<'_, '_, '_>, member: ReadMember<T>) -> Vec<T> {
    let o = object(d, at);
    let mut out = Vec::new();
    for (index, (key, value)) in o.members.iter().enumerate() {
        let path = Path::Index(o.path, index);
        if o.members[..index].iter().any(|(other, _)| other == key) {
            d.fail(&path, DecodeProblem::Duplicate);
        }
        out.push(member(d, key, &At { value, path }));
    }
    out
}

fn list<T>(d: &mut Decoder, at: &At<'_, '_, '_>, item: Read<T>) -> Vec<T> {
    let mut out = Vec::new();
    for_each_item(d, at, &mut |d, at| out.push(item(d, at)));
    out
}

/// Calls `each` for every item of the list at `at`, with its path; if it is not a list, the
/// problem is recorded and there are no items. The part of [`list`] that does not depend on the
/// type of the items, so it is compiled once.
#[inline(never)]
fn for_each_item(
    d: &mut Decoder,
    at: &At<'_, '_, '_>,
    each: &mut dyn FnMut(&mut Decoder, &At<'_, '_, '_>),
) {
    let Value::Array(items) = at.value else {
        d.mismatch(at, "a list [...]");
        return;
    };
    for (index, value) in items.iter().enumerate() {
        each(
            d,
            &At {
                value,
                path: Path::Index(&at.path, index),
            },
        );
    }
}

fn string(d: &mut Decoder, at: &At<'_, '_, '_>) -> String {
    match at.value {
        Value::String(text) => text.as_ref().to_owned(),
        _ => {
            d.mismatch(at, "a string");
            String::new()
        }
    }
}

fn date(d: &mut Decoder, at: &At<'_, '_, '_>) -> Date {
    let expected = match at.value {
        Value::String(text) => match Date::parse_iso(text) {
            Some(date) => return date,
            None => "a date like 2026-01-31",
        },
        _ => "a date like \"2026-01-31\"",
    };
    d.mismatch(at, expected);
    Date::MIN
}

fn boolean(d: &mut Decoder, at: &At<'_, '_, '_>) -> bool {
    match at.value {
        Value::Bool(flag) => *flag,
        _ => {
            d.mismatch(at, "true or false");
            false
        }
    }
}

/// The value of a number written with digits only, if it fits in a `u64`.
fn as_u64(value: &Value<'_>) -> Option<u64> {
    match value {
        Value::Number(text) => digits::value(text),
        _ => None,
    }
}

fn whole_number(d: &mut Decoder, at: &At<'_, '_, '_>) -> u64 {
    bounded_number(d, at, u64::MAX)
}

fn small_whole_number(d: &mut Decoder, at: &At<'_, '_, '_>) -> u32 {
    let number = bounded_number(d, at, u64::from(u32::MAX));
    u32::try_from(number).unwrap_or_else(|_| {
        d.mismatch(at, "a smaller number");
        0
    })
}

/// A whole number from 0 to `largest`, written with digits only (0 if it is not).
fn bounded_number(d: &mut Decoder, at: &At<'_, '_, '_>, largest: u64) -> u64 {
    match as_u64(at.value) {
        Some(number) if number <= largest => number,
        _ => {
            d.mismatch(
                at,
                &concat(&[
                    "a whole number from 0 to ",
                    &largest.to_string(),
                    ", written with digits only",
                ]),
            );
            0
        }
    }
}

/// One of a fixed list of names; `placeholder` (never the permissive choice, see the module
/// docs) if it is none of them.
fn one_of<T: Copy>(
    d: &mut Decoder,
    at: &At<'_, '_, '_>,
    names: &[(&'static str, T)],
    placeholder: T,
) -> T {
    match choose(d, at, names.len(), &|index| names[index].0) {
        Some(index) => names[index].1,
        None => placeholder,
    }
}

/// The index of the value at `at` among `count` names, `name(index)` giving each; `None` (and
/// the problem recorded) if it is none of them. The part of [`one_of`] that does not depend on
/// the type of the values, so it is compiled once.
#[inline(never)]
fn choose(
    d: &mut Decoder,
    at: &At<'_, '_, '_>,
    count: usize,
    name: &dyn Fn(usize) -> &'static str,
) -> Option<usize> {
    if let Value::String(text) = at.value {
        if let Some(index) = (0..count).find(|&index| name(index) == text) {
            return Some(index);
        }
    }
    let mut choices = String::from("one of ");
    for index in 0..count {
        if index > 0 {
            choices.push_str(", ");
        }
        choices.push_str(&json::quoted(name(index), '"'));
    }
    d.mismatch(at, &choices);
    None
}

// ---------------------------------------------------------------------------------------------
// The envelope

/// Reads a DSSE envelope from JSON text; errors are [`VerifyError::MalformedEnvelope`].
pub fn envelope(bytes: &[u8]) -> Result<Envelope, VerifyError> {
    let tree = json::parse(bytes)
        .map_err(|error| VerifyError::MalformedEnvelope(DecodeError::syntax(error)))?;
    let mut d = Decoder::default();
    let envelope = envelope_value(
        &mut d,
        &At {
            value: &tree,
            path: Path::Root,
        },
    );
    d.finish(envelope).map_err(VerifyError::MalformedEnvelope)
}

/// Whether `bytes` look like a DSSE envelope rather than a bare manifest: a JSON object with a
/// `payloadType` member and no `schema_version` member. What `trustctl lint` uses to choose
/// between the envelope's and the manifest's checks (and their error messages).
pub fn is_envelope(bytes: &[u8]) -> bool {
    let Ok(Value::Object(members)) = json::parse(bytes) else {
        return false;
    };
    let has = |name: &str| members.iter().any(|(key, _)| key == name);
    has("payloadType") && !has("schema_version")
}

fn envelope_value(d: &mut Decoder, at: &At<'_, '_, '_>) -> Envelope {
    let o = object(d, at);
    Envelope {
        payload_type: o.required(d, "payloadType", string),
        payload: o.required(d, "payload", string),
        signatures: o.required(d, "signatures", |d, at| list(d, at, signature)),
    }
}

fn signature(d: &mut Decoder, at: &At<'_, '_, '_>) -> EnvelopeSignature {
    let o = object(d, at);
    fields!(
        d,
        o,
        EnvelopeSignature {
            keyid: required(string),
            sig: required(string),
        }
    )
}

// ---------------------------------------------------------------------------------------------
// The manifest

/// Reads a manifest from JSON text. The `schema_version` is checked before anything else, so a
/// manifest in another format gets [`VerifyError::UnsupportedSchemaVersion`] rather than a field
/// error; every other problem is [`VerifyError::MalformedManifest`].
pub fn manifest(bytes: &[u8]) -> Result<Manifest, VerifyError> {
    let tree = json::parse(bytes)
        .map_err(|error| VerifyError::MalformedManifest(DecodeError::syntax(error)))?;
    let root = At {
        value: &tree,
        path: Path::Root,
    };
    check_schema_version(&root)?;
    let mut d = Decoder::default();
    let manifest = manifest_value(&mut d, &root);
    d.finish(manifest).map_err(VerifyError::MalformedManifest)
}

/// The `schema_version` alone, first: a manifest in another format is
/// [`VerifyError::UnsupportedSchemaVersion`] whatever else it holds.
fn check_schema_version(root: &At<'_, '_, '_>) -> Result<(), VerifyError> {
    let mut d = Decoder::default();
    let o = object(&mut d, root);
    let at = o.field(&mut d, "schema_version");
    if d.error.is_none() {
        match as_u64(at.value) {
            Some(found) if found == u64::from(SCHEMA_VERSION) => return Ok(()),
            Some(found) => return Err(VerifyError::UnsupportedSchemaVersion { found }),
            None => d.mismatch(&at, "a whole number"),
        }
    }
    d.finish(()).map_err(VerifyError::MalformedManifest)
}

fn manifest_value(d: &mut Decoder, at: &At<'_, '_, '_>) -> Manifest {
    let o = object(d, at);
    fields!(
        d,
        o,
        Manifest {
            schema_version: required(small_whole_number),
            version: required(whole_number),
            issued_at: required(date),
            expires_at: required(date),
            organization: required(organization),
            soc2: optional(soc2),
            iso27001: optional(iso27001),
            documents: list(document),
            subprocessors: list(subprocessor),
            faq: list(faq_entry),
            access_requests: optional(access_requests),
            not_claimed: list(string),
            changes: list(change_entry),
            updates: optional(update_settings),
            language: optional(string),
            translations: keyed(translation),
        }
    )
}

/// One language of `translations`: its key is the language tag, its value the translations by
/// original text.
fn translation(d: &mut Decoder, lang: &str, at: &At<'_, '_, '_>) -> Translation {
    Translation {
        lang: lang.to_owned(),
        texts: keyed_members(d, at, |d, original, at| TranslatedText {
            original: original.to_owned(),
            text: string(d, at),
        }),
    }
}

fn organization(d: &mut Decoder, at: &At<'_, '_, '_>) -> Organization {
    let o = object(d, at);
    fields!(
        d,
        o,
        Organization {
            name: required(string),
            website: required(string),
            logo_url: optional(string),
            security_contact: required(string),
            security_txt_url: optional(string),
        }
    )
}

fn soc2(d: &mut Decoder, at: &At<'_, '_, '_>) -> Soc2 {
    let o = object(d, at);
    fields!(
        d,
        o,
        Soc2 {
            status: required(soc2_status),
            report: optional(soc2_report),
            bridge_letter: optional(bridge_letter),
            next_report_expected: optional(date),
            soc3_url: optional(string),
            report_document_id: optional(string),
        }
    )
}

fn soc2_status(d: &mut Decoder, at: &At<'_, '_, '_>) -> Soc2Status {
    one_of(
        d,
        at,
        &[
            ("not_started", Soc2Status::NotStarted),
            ("in_progress", Soc2Status::InProgress),
            ("report_available", Soc2Status::ReportAvailable),
        ],
        Soc2Status::NotStarted,
    )
}

fn soc2_report(d: &mut Decoder, at: &At<'_, '_, '_>) -> Soc2Report {
    let o = object(d, at);
    Soc2Report {
        kind: soc2_report_kind(d, &o),
        criteria: o.required(d, "criteria", |d, at| list(d, at, criterion)),
        auditor: o.required(d, "auditor", string),
        report_date: o.required(d, "report_date", date),
    }
}

/// `type` and the dates that go with it, in the same object as the other report fields.
fn soc2_report_kind(d: &mut Decoder, o: &Object<'_, '_, '_>) -> Soc2ReportKind {
    #[derive(Clone, Copy)]
    enum Tag {
        Type1,
        Type2,
    }
    let tag = o.required(d, "type", |d, at| {
        one_of(
            d,
            at,
            &[("type1", Tag::Type1), ("type2", Tag::Type2)],
            Tag::Type1,
        )
    });
    match tag {
        Tag::Type1 => Soc2ReportKind::Type1 {
            as_of: o.required(d, "as_of", date),
        },
        Tag::Type2 => Soc2ReportKind::Type2 {
            period_start: o.required(d, "period_start", date),
            period_end: o.required(d, "period_end", date),
        },
    }
}

fn criterion(d: &mut Decoder, at: &At<'_, '_, '_>) -> TrustServicesCriterion {
    one_of(
        d,
        at,
        &[
            ("security", TrustServicesCriterion::Security),
            ("availability", TrustServicesCriterion::Availability),
            (
                "processing_integrity",
                TrustServicesCriterion::ProcessingIntegrity,
            ),
            ("confidentiality", TrustServicesCriterion::Confidentiality),
            ("privacy", TrustServicesCriterion::Privacy),
        ],
        TrustServicesCriterion::Security,
    )
}

fn bridge_letter(d: &mut Decoder, at: &At<'_, '_, '_>) -> BridgeLetter {
    let o = object(d, at);
    fields!(
        d,
        o,
        BridgeLetter {
            issued_on: required(date),
            covers_through: required(date),
            document_id: optional(string),
        }
    )
}

fn iso27001(d: &mut Decoder, at: &At<'_, '_, '_>) -> Iso27001 {
    let o = object(d, at);
    fields!(
        d,
        o,
        Iso27001 {
            status: required(iso_status),
            certificate: optional(iso_certificate),
            expected_certification: optional(date),
        }
    )
}

fn iso_status(d: &mut Decoder, at: &At<'_, '_, '_>) -> IsoStatus {
    one_of(
        d,
        at,
        &[
            ("not_started", IsoStatus::NotStarted),
            ("in_progress", IsoStatus::InProgress),
            ("active", IsoStatus::Active),
            ("suspended", IsoStatus::Suspended),
            ("withdrawn", IsoStatus::Withdrawn),
        ],
        IsoStatus::NotStarted,
    )
}

fn iso_certificate(d: &mut Decoder, at: &At<'_, '_, '_>) -> IsoCertificate {
    let o = object(d, at);
    fields!(
        d,
        o,
        IsoCertificate {
            number: required(string),
            edition: required(iso_edition),
            certified_entity: required(string),
            scope: required(string),
            certification_body: required(string),
            accreditation_body: optional(string),
            accredited: required(boolean),
            original_issue_date: required(date),
            issue_date: required(date),
            expiry_date: required(date),
            soa_version: optional(string),
            surveillance_audits: list(surveillance_audit),
            registry_url: optional(string),
            certificate_document_id: optional(string),
        }
    )
}

fn iso_edition(d: &mut Decoder, at: &At<'_, '_, '_>) -> IsoEdition {
    one_of(
        d,
        at,
        &[("2013", IsoEdition::Iso2013), ("2022", IsoEdition::Iso2022)],
        IsoEdition::Iso2013,
    )
}

fn surveillance_audit(d: &mut Decoder, at: &At<'_, '_, '_>) -> SurveillanceAudit {
    let o = object(d, at);
    fields!(
        d,
        o,
        SurveillanceAudit {
            due_by: required(date),
            completed_on: optional(date),
        }
    )
}

fn document(d: &mut Decoder, at: &At<'_, '_, '_>) -> Document {
    let o = object(d, at);
    fields!(
        d,
        o,
        Document {
            id: required(string),
            title: required(string),
            kind: required(document_kind),
            access: required(document_access),
            url: optional(string),
            sha256: optional(string),
            size_bytes: optional(whole_number),
            updated_on: required(date),
            description: optional(string),
        }
    )
}

fn document_kind(d: &mut Decoder, at: &At<'_, '_, '_>) -> DocumentKind {
    one_of(
        d,
        at,
        &[
            ("soc2_report", DocumentKind::Soc2Report),
            ("soc3_report", DocumentKind::Soc3Report),
            ("bridge_letter", DocumentKind::BridgeLetter),
            ("iso_certificate", DocumentKind::IsoCertificate),
            (
                "statement_of_applicability",
                DocumentKind::StatementOfApplicability,
            ),
            ("policy", DocumentKind::Policy),
            ("pentest_summary", DocumentKind::PentestSummary),
            ("other", DocumentKind::Other),
        ],
        DocumentKind::Other,
    )
}

fn document_access(d: &mut Decoder, at: &At<'_, '_, '_>) -> DocumentAccess {
    one_of(
        d,
        at,
        &[
            ("public", DocumentAccess::Public),
            ("nda", DocumentAccess::Nda),
        ],
        DocumentAccess::Nda,
    )
}

fn subprocessor(d: &mut Decoder, at: &At<'_, '_, '_>) -> Subprocessor {
    let o = object(d, at);
    fields!(
        d,
        o,
        Subprocessor {
            name: required(string),
            purpose: required(string),
            locations: list(string),
            url: optional(string),
        }
    )
}

fn faq_entry(d: &mut Decoder, at: &At<'_, '_, '_>) -> FaqEntry {
    let o = object(d, at);
    fields!(
        d,
        o,
        FaqEntry {
            id: required(string),
            question: required(string),
            answer: required(string),
        }
    )
}

fn access_requests(d: &mut Decoder, at: &At<'_, '_, '_>) -> AccessRequestSettings {
    let o = object(d, at);
    fields!(
        d,
        o,
        AccessRequestSettings {
            intake_url: required(string),
            nda: required(nda_terms),
        }
    )
}

fn nda_terms(d: &mut Decoder, at: &At<'_, '_, '_>) -> NdaTerms {
    let o = object(d, at);
    fields!(
        d,
        o,
        NdaTerms {
            version: required(string),
            text: optional(string),
            text_url: optional(string),
            sha256: required(string),
        }
    )
}

fn change_entry(d: &mut Decoder, at: &At<'_, '_, '_>) -> ChangeEntry {
    let o = object(d, at);
    fields!(
        d,
        o,
        ChangeEntry {
            id: required(string),
            version: required(whole_number),
            date: required(date),
            category: required(change_category),
            summary: required(string),
            effective_date: optional(date),
        }
    )
}

fn change_category(d: &mut Decoder, at: &At<'_, '_, '_>) -> ChangeCategory {
    // The names come from `as_str`, so the spelling is written once (also for the widget's wasm).
    let all = ChangeCategory::ALL;
    choose(d, at, all.len(), &|index| all[index].as_str())
        .map_or(ChangeCategory::Other, |index| all[index])
}

fn update_settings(d: &mut Decoder, at: &At<'_, '_, '_>) -> UpdateSettings {
    let o = object(d, at);
    fields!(
        d,
        o,
        UpdateSettings {
            subscribe_url: optional(string),
            feed_url: optional(string),
            subprocessor_notice_days: optional(small_whole_number),
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest_error(text: &str) -> String {
        match manifest(text.as_bytes()) {
            Ok(manifest) => panic!("{text} was accepted: {manifest:?}"),
            Err(VerifyError::MalformedManifest(error)) => error.to_string(),
            Err(other) => panic!("{text}: {other:?}"),
        }
    }

    const HEAD: &str = r#""schema_version":1,"version":1,"issued_at":"2026-01-01","expires_at":"2027-01-01","organization":{"name":"N","website":"https://n.example","security_contact":"mailto:s@n.example"}"#;

    #[test]
    fn errors_name_the_json_path() {
        let report = |fields: &str| {
            format!(
                r#"{{{HEAD},"soc2":{{"status":"report_available","report":{{"type":"type2",{fields}"criteria":["security"],"auditor":"A","report_date":"2026-01-01"}}}}}}"#
            )
        };
        assert_eq!(
            manifest_error(&report(r#""period_start":"2026-02-30","period_end":"2026-03-01","#)),
            "soc2.report.period_start: expected a date like 2026-01-31, found the string \"2026-02-30\""
        );
        assert_eq!(
            manifest_error(&report(r#""period_end":"2026-03-01","#)),
            "soc2.report.period_start: this field is required but missing"
        );
        assert_eq!(
            manifest_error(&format!(r#"{{{HEAD},"documents":[{{"id":"a","title":"t","kind":"memo"}}]}}"#)),
            "documents[0].kind: expected one of \"soc2_report\", \"soc3_report\", \"bridge_letter\", \"iso_certificate\", \"statement_of_applicability\", \"policy\", \"pentest_summary\", \"other\", found the string \"memo\""
        );
        assert_eq!(
            manifest_error(&format!(r#"{{{HEAD},"version":2}}"#)),
            "version: this field appears more than once"
        );
        assert_eq!(
            manifest_error(&format!("{{{}}}", HEAD.replace(r#""version":1"#, r#""version":-1"#))),
            "version: expected a whole number from 0 to 18446744073709551615, written with digits only, found the number -1"
        );
        assert_eq!(
            manifest_error(&format!(r#"{{{HEAD},"documents":null}}"#)),
            "documents: expected a list [...], found null"
        );
        assert_eq!(
            manifest_error("[1]"),
            "expected an object {…}, found an array"
        );
        assert_eq!(
            manifest_error(r#"{"schema_version":1.0}"#),
            "schema_version: expected a whole number, found the number 1.0"
        );
        assert!(manifest_error("{\"schema_version\":1,}").contains("line 1, column 21"));
    }

    #[test]
    fn whole_numbers_read_like_u64_parsing() {
        let reference = |text: &str| -> Option<u64> {
            if text.bytes().all(|b| b.is_ascii_digit()) {
                text.parse().ok()
            } else {
                None
            }
        };
        let mut texts: Vec<String> = [
            "",
            "0",
            "00",
            "7",
            "-1",
            "+1",
            "1.0",
            "1e3",
            "1E3",
            "0x10",
            " 1",
            "1 ",
            "٣",
            "18446744073709551614",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999",
            "000000000000000000000000018446744073709551615",
            "184467440737095516150",
        ]
        .iter()
        .map(|text| text.to_string())
        .collect();
        for power in 0..=20u32 {
            let value = 10u128.pow(power);
            texts.push((value - 1).to_string());
            texts.push(value.to_string());
            texts.push((value + 1).to_string());
        }
        for text in &texts {
            assert_eq!(as_u64(&Value::Number(text)), reference(text), "{text:?}");
        }
        assert_eq!(as_u64(&Value::String("1".into())), None);
    }

    /// Decodes `json` with `read` and returns the placeholder it carried on with, checking
    /// that a problem was recorded (so the public functions hand out nothing).
    fn placeholder<T>(json: &str, read: Read<T>) -> T {
        let tree = json::parse(json.as_bytes()).expect("test JSON");
        let mut d = Decoder::default();
        let value = read(
            &mut d,
            &At {
                value: &tree,
                path: Path::Root,
            },
        );
        assert!(d.error.is_some(), "{json} was accepted");
        value
    }

    #[test]
    fn placeholders_are_never_the_permissive_value() {
        assert_eq!(
            placeholder(r#""everyone""#, document_access),
            DocumentAccess::Nda
        );
        assert_eq!(placeholder("null", document_access), DocumentAccess::Nda);
        assert_eq!(
            placeholder(r#""Public""#, document_access),
            DocumentAccess::Nda
        );
        assert_eq!(
            placeholder(r#""done""#, soc2_status),
            Soc2Status::NotStarted
        );
        assert_eq!(
            placeholder(r#""certified""#, iso_status),
            IsoStatus::NotStarted
        );
        assert_eq!(placeholder(r#""2027""#, iso_edition), IsoEdition::Iso2013);
        assert_eq!(placeholder(r#""memo""#, document_kind), DocumentKind::Other);
        assert!(!placeholder(r#""true""#, boolean));
        assert_eq!(placeholder(r#""2026-02-30""#, date), Date::MIN);
        assert_eq!(placeholder("7", string), "");
        // A whole document with a broken `access`: the placeholder stays inside.
        let doc = placeholder(
            r#"{"id":"a","title":"t","kind":"policy","access":"everyone","url":"https://x.example","updated_on":"2026-01-01"}"#,
            document,
        );
        assert_eq!(doc.access, DocumentAccess::Nda);
        assert_eq!(doc.kind, DocumentKind::Policy);
    }

    #[test]
    fn placeholders_are_never_observable() {
        // The same broken `access`, through the public function: an error, no manifest.
        let text = format!(
            r#"{{{HEAD},"documents":[{{"id":"a","title":"t","kind":"policy","access":"everyone","url":"https://x.example","updated_on":"2026-01-01"}}]}}"#
        );
        assert_eq!(
            manifest_error(&text),
            "documents[0].access: expected one of \"public\", \"nda\", found the string \"everyone\""
        );
        // Every field of a complete document, broken in turn: never a manifest.
        let fields = [
            ("id", "7"),
            ("title", "null"),
            ("kind", "\"memo\""),
            ("access", "\"all\""),
            ("url", "1"),
            ("sha256", "[]"),
            ("size_bytes", "-1"),
            ("updated_on", "\"2026-13-01\""),
            ("description", "{}"),
        ];
        for (broken, value) in fields {
            let mut members = vec![];
            for (name, good) in [
                ("id", "\"a\""),
                ("title", "\"t\""),
                ("kind", "\"policy\""),
                ("access", "\"public\""),
                ("url", "\"https://x.example\""),
                ("sha256", "\"00\""),
                ("size_bytes", "1"),
                ("updated_on", "\"2026-01-01\""),
                ("description", "\"d\""),
            ] {
                let value = if name == broken { value } else { good };
                members.push(format!("\"{name}\":{value}"));
            }
            let text = format!(r#"{{{HEAD},"documents":[{{{}}}]}}"#, members.join(","));
            assert!(
                manifest_error(&text).starts_with(&format!("documents[0].{broken}: ")),
                "{text}"
            );
        }
    }

    #[test]
    fn errors_are_structured() {
        let text = format!(r#"{{{HEAD},"faq":[{{"id":"a","question":"q"}}]}}"#);
        let Err(VerifyError::MalformedManifest(error)) = manifest(text.as_bytes()) else {
            panic!("{text} was accepted");
        };
        assert_eq!(error.path, "faq[0].answer");
        assert_eq!(error.problem, DecodeProblem::Missing);
        let Err(VerifyError::MalformedEnvelope(error)) = envelope(b"{\"payload\": 1}") else {
            panic!("accepted");
        };
        assert_eq!(error.path, "payloadType");
        let Err(VerifyError::MalformedEnvelope(error)) = envelope(b"[1,]") else {
            panic!("accepted");
        };
        assert_eq!(error.path, "");
        assert!(
            matches!(error.problem, DecodeProblem::Syntax(_)),
            "{error:?}"
        );
    }

    #[test]
    fn envelopes_are_told_from_manifests() {
        assert!(is_envelope(
            br#"{"payloadType":"x","payload":"","signatures":[]}"#
        ));
        assert!(is_envelope(br#"{"payloadType":1}"#));
        assert!(!is_envelope(br#"{"payloadType":"x","schema_version":1}"#));
        assert!(!is_envelope(br#"{"schema_version":1}"#));
        assert!(!is_envelope(br#"[{"payloadType":"x"}]"#));
        assert!(!is_envelope(br#"{"payloadType":"x","#));
    }
}
