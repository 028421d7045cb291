//! Hand-written decoding of the DSSE [`Envelope`] and the [`Manifest`] (with every nested type)
//! from a [`crate::json`] tree: [`envelope`] and [`manifest`]. [`crate::open_envelope`] and
//! [`crate::parse_manifest`] read their JSON through these. The serde derives on the model stay
//! for serialising, the JSON Schema and native tools, but nothing on the verification path calls
//! serde_json, so the widget's WebAssembly carries none of it.
//!
//! The rules are those the serde derives implied, so both read the same documents the same way
//! (a differential test, `tests/decode_differential.rs`, holds them to it):
//!
//! - unknown fields are ignored; a field this crate reads may appear only once;
//! - a missing `Option` field and `null` both mean "absent"; a missing list is empty, but a list
//!   that is `null` is an error;
//! - whole numbers are digits only (no sign, fraction or exponent) and must fit their type;
//! - enumerations are their snake_case names as strings; dates are `YYYY-MM-DD` strings;
//! - in a SOC 2 `report` object, fields other than `criteria`, `auditor` and `report_date` are
//!   read the way serde reads a `#[serde(flatten)]` field: arrays or objects nested more than
//!   [`crate::json::MAX_DEPTH`] levels deep, or numbers too large for a 64-bit float, are refused
//!   there even in unknown fields.
//!
//! Deliberately stricter than serde_json (the differential test lists these cases): the whole
//! text must be UTF-8 and free of lone surrogate escapes (serde_json skips unknown strings
//! unchecked); a struct must be an object (serde also takes an array of its fields in order);
//! an enumeration must be a string (serde also takes `{"name": null}`), and the SOC 2 report
//! `type` must be `"type1"` or `"type2"` (serde also takes the numbers 0 and 1).
//!
//! Error messages name the JSON path: `soc2.report.period_start: expected a date like
//! 2026-01-31, found "2026-02-30"`.

use std::borrow::Cow;
use std::fmt;

use crate::date::Date;
use crate::envelope::{Envelope, EnvelopeSignature};
use crate::error::VerifyError;
use crate::json::{self, Value};
use crate::model::*;

/// Where in the document a value sits: field names and array indexes, chained on the stack and
/// turned into text only for an error message.
#[derive(Clone, Copy)]
enum Path<'p> {
    Root,
    Field(&'p Path<'p>, &'static str),
    Index(&'p Path<'p>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field(Path::Root, name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// What is wrong and where, as one line of text: `path: message`.
#[derive(Debug)]
struct DecodeError(String);

type Decoded<T> = Result<T, DecodeError>;

fn error_at(path: &Path<'_>, message: &str) -> DecodeError {
    match path {
        Path::Root => DecodeError(message.to_owned()),
        _ => DecodeError(format!("{path}: {message}")),
    }
}

/// "expected …, found …", quoting short strings.
fn mismatch(path: &Path<'_>, expected: &str, found: &Value<'_>) -> DecodeError {
    error_at(
        path,
        &format!("expected {expected}, found {}", describe(found)),
    )
}

/// A value for an error message: its kind, and the text itself if it is a short string.
fn describe(value: &Value<'_>) -> String {
    match value {
        Value::String(text) if text.chars().count() <= 40 => {
            format!("the string {}", json::quoted(text, '"'))
        }
        Value::Number(text) if text.len() <= 40 => format!("the number {text}"),
        other => other.kind().to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// Building blocks

/// The members of an object, with the path of the object.
struct Object<'v, 'a, 'p> {
    members: &'v [(Cow<'a, str>, Value<'a>)],
    path: &'p Path<'p>,
}

fn object<'v, 'a, 'p>(value: &'v Value<'a>, path: &'p Path<'p>) -> Decoded<Object<'v, 'a, 'p>> {
    match value {
        Value::Object(members) => Ok(Object { members, path }),
        other => Err(mismatch(path, "an object {…}", other)),
    }
}

impl<'v, 'a> Object<'v, 'a, '_> {
    /// The field's value if present; an error if it appears more than once.
    fn get(&self, name: &'static str) -> Decoded<Option<&'v Value<'a>>> {
        let mut found = None;
        for (key, value) in self.members {
            if key == name {
                if found.is_some() {
                    return Err(error_at(
                        &Path::Field(self.path, name),
                        "this field appears more than once",
                    ));
                }
                found = Some(value);
            }
        }
        Ok(found)
    }

    /// A field that must be present.
    fn required<T>(
        &self,
        name: &'static str,
        read: impl FnOnce(&Value<'a>, &Path<'_>) -> Decoded<T>,
    ) -> Decoded<T> {
        let path = Path::Field(self.path, name);
        match self.get(name)? {
            Some(value) => read(value, &path),
            None => Err(error_at(&path, "this field is required but missing")),
        }
    }

    /// A field that may be missing or `null`.
    fn optional<T>(
        &self,
        name: &'static str,
        read: impl FnOnce(&Value<'a>, &Path<'_>) -> Decoded<T>,
    ) -> Decoded<Option<T>> {
        match self.get(name)? {
            None | Some(Value::Null) => Ok(None),
            Some(value) => read(value, &Path::Field(self.path, name)).map(Some),
        }
    }

    /// A list that may be missing (then it is empty), but not `null`.
    fn list<T>(
        &self,
        name: &'static str,
        item: impl Fn(&Value<'a>, &Path<'_>) -> Decoded<T>,
    ) -> Decoded<Vec<T>> {
        match self.get(name)? {
            None => Ok(Vec::new()),
            Some(value) => list(value, &Path::Field(self.path, name), item),
        }
    }
}

fn list<'a, T>(
    value: &Value<'a>,
    path: &Path<'_>,
    item: impl Fn(&Value<'a>, &Path<'_>) -> Decoded<T>,
) -> Decoded<Vec<T>> {
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, value)| item(value, &Path::Index(path, index)))
            .collect(),
        other => Err(mismatch(path, "a list [...]", other)),
    }
}

fn string(value: &Value<'_>, path: &Path<'_>) -> Decoded<String> {
    match value {
        Value::String(text) => Ok(text.as_ref().to_owned()),
        other => Err(mismatch(path, "a string", other)),
    }
}

fn date(value: &Value<'_>, path: &Path<'_>) -> Decoded<Date> {
    match value {
        Value::String(text) => text
            .parse()
            .map_err(|_| mismatch(path, "a date like 2026-01-31", value)),
        other => Err(mismatch(path, "a date like \"2026-01-31\"", other)),
    }
}

fn boolean(value: &Value<'_>, path: &Path<'_>) -> Decoded<bool> {
    match value {
        Value::Bool(flag) => Ok(*flag),
        other => Err(mismatch(path, "true or false", other)),
    }
}

/// The value of a number written with digits only, if it fits in a `u64`.
fn as_u64(value: &Value<'_>) -> Option<u64> {
    match value {
        Value::Number(text) if text.bytes().all(|b| b.is_ascii_digit()) => text.parse().ok(),
        _ => None,
    }
}

fn whole_number(value: &Value<'_>, path: &Path<'_>) -> Decoded<u64> {
    bounded_number(value, path, u64::MAX)
}

fn small_whole_number(value: &Value<'_>, path: &Path<'_>) -> Decoded<u32> {
    let number = bounded_number(value, path, u64::from(u32::MAX))?;
    u32::try_from(number).map_err(|_| mismatch(path, "a smaller number", value))
}

/// A whole number from 0 to `largest`, written with digits only.
fn bounded_number(value: &Value<'_>, path: &Path<'_>, largest: u64) -> Decoded<u64> {
    match as_u64(value) {
        Some(number) if number <= largest => Ok(number),
        _ => Err(mismatch(
            path,
            &format!("a whole number from 0 to {largest}, written with digits only"),
            value,
        )),
    }
}

/// One of a fixed list of names.
fn one_of<T: Copy>(value: &Value<'_>, path: &Path<'_>, names: &[(&str, T)]) -> Decoded<T> {
    if let Value::String(text) = value {
        if let Some((_, found)) = names.iter().find(|(name, _)| name == text) {
            return Ok(*found);
        }
    }
    let choices = names
        .iter()
        .map(|(name, _)| json::quoted(name, '"'))
        .collect::<Vec<_>>()
        .join(", ");
    Err(mismatch(path, &format!("one of {choices}"), value))
}

// ---------------------------------------------------------------------------------------------
// The envelope

/// Reads a DSSE envelope from JSON text; errors are [`VerifyError::MalformedEnvelope`].
pub fn envelope(bytes: &[u8]) -> Result<Envelope, VerifyError> {
    let malformed = |detail: String| VerifyError::MalformedEnvelope { detail };
    let tree = json::parse(bytes).map_err(|error| malformed(error.to_string()))?;
    envelope_value(&tree, &Path::Root).map_err(|error| malformed(error.0))
}

fn envelope_value(value: &Value<'_>, path: &Path<'_>) -> Decoded<Envelope> {
    let o = object(value, path)?;
    Ok(Envelope {
        payload_type: o.required("payloadType", string)?,
        payload: o.required("payload", string)?,
        signatures: o.required("signatures", |v, p| list(v, p, signature))?,
    })
}

fn signature(value: &Value<'_>, path: &Path<'_>) -> Decoded<EnvelopeSignature> {
    let o = object(value, path)?;
    Ok(EnvelopeSignature {
        keyid: o.required("keyid", string)?,
        sig: o.required("sig", string)?,
    })
}

// ---------------------------------------------------------------------------------------------
// The manifest

/// Reads a manifest from JSON text. The `schema_version` is checked before anything else, so a
/// manifest in another format gets [`VerifyError::UnsupportedSchemaVersion`] rather than a field
/// error; every other problem is [`VerifyError::MalformedManifest`].
pub fn manifest(bytes: &[u8]) -> Result<Manifest, VerifyError> {
    let malformed = |detail: String| VerifyError::MalformedManifest { detail };
    let tree = json::parse(bytes).map_err(|error| malformed(error.to_string()))?;
    check_schema_version(&tree)?;
    manifest_value(&tree, &Path::Root).map_err(|error| malformed(error.0))
}

fn check_schema_version(tree: &Value<'_>) -> Result<(), VerifyError> {
    let malformed = |detail: String| VerifyError::MalformedManifest { detail };
    let root = object(tree, &Path::Root).map_err(|error| malformed(error.0))?;
    match root
        .get("schema_version")
        .map_err(|error| malformed(error.0))?
    {
        None => Err(malformed("the field schema_version is missing".to_owned())),
        Some(value) => match as_u64(value) {
            Some(found) if found == u64::from(SCHEMA_VERSION) => Ok(()),
            Some(found) => Err(VerifyError::UnsupportedSchemaVersion { found }),
            None => Err(malformed(format!(
                "schema_version must be a whole number, found {}",
                describe(value)
            ))),
        },
    }
}

fn manifest_value(value: &Value<'_>, path: &Path<'_>) -> Decoded<Manifest> {
    let o = object(value, path)?;
    Ok(Manifest {
        schema_version: o.required("schema_version", small_whole_number)?,
        version: o.required("version", whole_number)?,
        issued_at: o.required("issued_at", date)?,
        expires_at: o.required("expires_at", date)?,
        organization: o.required("organization", organization)?,
        soc2: o.optional("soc2", soc2)?,
        iso27001: o.optional("iso27001", iso27001)?,
        documents: o.list("documents", document)?,
        subprocessors: o.list("subprocessors", subprocessor)?,
        faq: o.list("faq", faq_entry)?,
        access_requests: o.optional("access_requests", access_requests)?,
        not_claimed: o.list("not_claimed", string)?,
    })
}

fn organization(value: &Value<'_>, path: &Path<'_>) -> Decoded<Organization> {
    let o = object(value, path)?;
    Ok(Organization {
        name: o.required("name", string)?,
        website: o.required("website", string)?,
        logo_url: o.optional("logo_url", string)?,
        security_contact: o.required("security_contact", string)?,
        security_txt_url: o.optional("security_txt_url", string)?,
    })
}

fn soc2(value: &Value<'_>, path: &Path<'_>) -> Decoded<Soc2> {
    let o = object(value, path)?;
    Ok(Soc2 {
        status: o.required("status", soc2_status)?,
        report: o.optional("report", soc2_report)?,
        bridge_letter: o.optional("bridge_letter", bridge_letter)?,
        next_report_expected: o.optional("next_report_expected", date)?,
        soc3_url: o.optional("soc3_url", string)?,
        report_document_id: o.optional("report_document_id", string)?,
    })
}

fn soc2_status(value: &Value<'_>, path: &Path<'_>) -> Decoded<Soc2Status> {
    one_of(
        value,
        path,
        &[
            ("not_started", Soc2Status::NotStarted),
            ("in_progress", Soc2Status::InProgress),
            ("report_available", Soc2Status::ReportAvailable),
        ],
    )
}

/// The fields of a SOC 2 report object that are not part of its `type` and dates.
const REPORT_FIELDS: [&str; 3] = ["criteria", "auditor", "report_date"];

fn soc2_report(value: &Value<'_>, path: &Path<'_>) -> Decoded<Soc2Report> {
    let o = object(value, path)?;
    let report = Soc2Report {
        kind: soc2_report_kind(&o)?,
        criteria: o.required("criteria", |v, p| list(v, p, criterion))?,
        auditor: o.required("auditor", string)?,
        report_date: o.required("report_date", date)?,
    };
    for (key, value) in o.members {
        if !REPORT_FIELDS.contains(&key.as_ref()) {
            check_buffered(value, &Path::Field(path, "(other fields)"))?;
        }
    }
    Ok(report)
}

/// `type` and the dates that go with it, in the same object as the other report fields.
fn soc2_report_kind(o: &Object<'_, '_, '_>) -> Decoded<Soc2ReportKind> {
    #[derive(Clone, Copy)]
    enum Tag {
        Type1,
        Type2,
    }
    let tag = o.required("type", |v, p| {
        one_of(v, p, &[("type1", Tag::Type1), ("type2", Tag::Type2)])
    })?;
    Ok(match tag {
        Tag::Type1 => Soc2ReportKind::Type1 {
            as_of: o.required("as_of", date)?,
        },
        Tag::Type2 => Soc2ReportKind::Type2 {
            period_start: o.required("period_start", date)?,
            period_end: o.required("period_end", date)?,
        },
    })
}

/// serde reads a flattened field's members into a buffer first, with serde_json's depth limit
/// and with every number converted to a 64-bit float; both can fail even for a field nobody
/// reads. Refuses the same values, so both decoders accept the same reports.
fn check_buffered(value: &Value<'_>, path: &Path<'_>) -> Decoded<()> {
    match value {
        Value::TooDeep => Err(error_at(
            path,
            "arrays or objects are nested too deeply here",
        )),
        Value::Number(text) if exceeds_f64(text) => {
            Err(error_at(path, &format!("the number {text} is too large")))
        }
        Value::Array(items) => items.iter().try_for_each(|item| check_buffered(item, path)),
        Value::Object(members) => members
            .iter()
            .try_for_each(|(_, item)| check_buffered(item, path)),
        _ => Ok(()),
    }
}

/// Whether a JSON number's magnitude rounds to infinity as a 64-bit float (≥ 2^1024 − 2^970,
/// half a unit above `f64::MAX`), worked out on the decimal digits without any float code.
fn exceeds_f64(text: &str) -> bool {
    /// The decimal digits of 2^1024 − 2^970, the smallest magnitude that rounds to infinity.
    const LIMIT: &str = "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], &unsigned[at + 1..]),
        None => (unsigned, "0"),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = whole.chars().chain(fraction.chars()).collect();
    let Some(first) = digits.find(|c| c != '0') else {
        return false; // zero, whatever the exponent
    };
    let significant = digits[first..].trim_end_matches('0');
    // The value is 0.<significant> × 10^magnitude.
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let exponent: i64 = match exponent.parse() {
        Ok(exponent) => exponent,
        Err(_) => return !exponent.starts_with('-'), // more digits than an i64 holds
    };
    let position =
        i64::try_from(whole.len()).unwrap_or(i64::MAX) - i64::try_from(first).unwrap_or(0);
    let magnitude = position.saturating_add(exponent);
    let limit_magnitude = i64::try_from(LIMIT.len()).unwrap_or(0);
    match magnitude.cmp(&limit_magnitude) {
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => significant >= LIMIT.trim_end_matches('0'),
    }
}

fn criterion(value: &Value<'_>, path: &Path<'_>) -> Decoded<TrustServicesCriterion> {
    one_of(
        value,
        path,
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
    )
}

fn bridge_letter(value: &Value<'_>, path: &Path<'_>) -> Decoded<BridgeLetter> {
    let o = object(value, path)?;
    Ok(BridgeLetter {
        issued_on: o.required("issued_on", date)?,
        covers_through: o.required("covers_through", date)?,
        document_id: o.optional("document_id", string)?,
    })
}

fn iso27001(value: &Value<'_>, path: &Path<'_>) -> Decoded<Iso27001> {
    let o = object(value, path)?;
    Ok(Iso27001 {
        status: o.required("status", iso_status)?,
        certificate: o.optional("certificate", iso_certificate)?,
        expected_certification: o.optional("expected_certification", date)?,
    })
}

fn iso_status(value: &Value<'_>, path: &Path<'_>) -> Decoded<IsoStatus> {
    one_of(
        value,
        path,
        &[
            ("not_started", IsoStatus::NotStarted),
            ("in_progress", IsoStatus::InProgress),
            ("active", IsoStatus::Active),
            ("suspended", IsoStatus::Suspended),
            ("withdrawn", IsoStatus::Withdrawn),
        ],
    )
}

fn iso_certificate(value: &Value<'_>, path: &Path<'_>) -> Decoded<IsoCertificate> {
    let o = object(value, path)?;
    Ok(IsoCertificate {
        number: o.required("number", string)?,
        edition: o.required("edition", iso_edition)?,
        certified_entity: o.required("certified_entity", string)?,
        scope: o.required("scope", string)?,
        certification_body: o.required("certification_body", string)?,
        accreditation_body: o.optional("accreditation_body", string)?,
        accredited: o.required("accredited", boolean)?,
        original_issue_date: o.required("original_issue_date", date)?,
        issue_date: o.required("issue_date", date)?,
        expiry_date: o.required("expiry_date", date)?,
        soa_version: o.optional("soa_version", string)?,
        surveillance_audits: o.list("surveillance_audits", surveillance_audit)?,
        registry_url: o.optional("registry_url", string)?,
        certificate_document_id: o.optional("certificate_document_id", string)?,
    })
}

fn iso_edition(value: &Value<'_>, path: &Path<'_>) -> Decoded<IsoEdition> {
    one_of(
        value,
        path,
        &[("2013", IsoEdition::Iso2013), ("2022", IsoEdition::Iso2022)],
    )
}

fn surveillance_audit(value: &Value<'_>, path: &Path<'_>) -> Decoded<SurveillanceAudit> {
    let o = object(value, path)?;
    Ok(SurveillanceAudit {
        due_by: o.required("due_by", date)?,
        completed_on: o.optional("completed_on", date)?,
    })
}

fn document(value: &Value<'_>, path: &Path<'_>) -> Decoded<Document> {
    let o = object(value, path)?;
    Ok(Document {
        id: o.required("id", string)?,
        title: o.required("title", string)?,
        kind: o.required("kind", document_kind)?,
        access: o.required("access", document_access)?,
        url: o.optional("url", string)?,
        sha256: o.optional("sha256", string)?,
        size_bytes: o.optional("size_bytes", whole_number)?,
        updated_on: o.required("updated_on", date)?,
        description: o.optional("description", string)?,
    })
}

fn document_kind(value: &Value<'_>, path: &Path<'_>) -> Decoded<DocumentKind> {
    one_of(
        value,
        path,
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
    )
}

fn document_access(value: &Value<'_>, path: &Path<'_>) -> Decoded<DocumentAccess> {
    one_of(
        value,
        path,
        &[
            ("public", DocumentAccess::Public),
            ("nda", DocumentAccess::Nda),
        ],
    )
}

fn subprocessor(value: &Value<'_>, path: &Path<'_>) -> Decoded<Subprocessor> {
    let o = object(value, path)?;
    Ok(Subprocessor {
        name: o.required("name", string)?,
        purpose: o.required("purpose", string)?,
        locations: o.list("locations", string)?,
        url: o.optional("url", string)?,
    })
}

fn faq_entry(value: &Value<'_>, path: &Path<'_>) -> Decoded<FaqEntry> {
    let o = object(value, path)?;
    Ok(FaqEntry {
        id: o.required("id", string)?,
        question: o.required("question", string)?,
        answer: o.required("answer", string)?,
    })
}

fn access_requests(value: &Value<'_>, path: &Path<'_>) -> Decoded<AccessRequestSettings> {
    let o = object(value, path)?;
    Ok(AccessRequestSettings {
        intake_url: o.required("intake_url", string)?,
        nda: o.required("nda", nda_terms)?,
    })
}

fn nda_terms(value: &Value<'_>, path: &Path<'_>) -> Decoded<NdaTerms> {
    let o = object(value, path)?;
    Ok(NdaTerms {
        version: o.required("version", string)?,
        text: o.optional("text", string)?,
        text_url: o.optional("text_url", string)?,
        sha256: o.required("sha256", string)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest_error(text: &str) -> String {
        match manifest(text.as_bytes()) {
            Ok(manifest) => panic!("{text} was accepted: {manifest:?}"),
            Err(VerifyError::MalformedManifest { detail }) => detail,
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
            "schema_version must be a whole number, found the number 1.0"
        );
        assert!(manifest_error("{\"schema_version\":1,}").contains("line 1, column 21"));
    }

    #[test]
    fn numbers_that_overflow_a_float_are_found_without_float_code() {
        for big in [
            "1e309",
            "-1e309",
            "1.8e308",
            "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792",
            "0.00001e314",
            "1e99999999999999999999999",
        ] {
            assert!(exceeds_f64(big), "{big}");
        }
        for fine in [
            "0",
            "-0.0",
            "0e99999999999999999999999",
            "1.7976931348623157e308",
            "1.797693134862315807937e308",
            "1e308",
            "1e-99999999999999999999999",
            "123.456",
            "0.001e310",
        ] {
            assert!(!exceeds_f64(fine), "{fine}");
        }
    }
}
