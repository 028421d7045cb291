//! The request a stamped copy belongs to, in the document information dictionary.
//!
//! Keys written (custom keys are allowed in the Info dictionary; readers ignore what they do not know):
//! `/TrustCenterRequestId` (`req_…`), `/TrustCenterRecipient` (name, company and e-mail as a UTF-16 text
//! string, so any script is kept exactly), `/TrustCenterDownloadedAt` (a PDF date). The standard
//! `/ModDate` is set to the download time as well. Existing entries (title, author, …) are kept.

use lopdf::{Dictionary, Document, Object, StringFormat};

use super::text::{decode_text_string, utf16_text_string, StampFacts};

pub const REQUEST_ID_KEY: &[u8] = b"TrustCenterRequestId";
pub const RECIPIENT_KEY: &[u8] = b"TrustCenterRecipient";
pub const DOWNLOADED_AT_KEY: &[u8] = b"TrustCenterDownloadedAt";

/// Writes the request's keys into the Info dictionary (creating it when the file has none).
pub fn record(document: &mut Document, facts: &StampFacts) {
    let date = pdf_date(facts.downloaded_at);
    let recipient = format!("{}, {} <{}>", facts.name, facts.company, facts.email);
    let entries = [
        (REQUEST_ID_KEY, literal(facts.request_id.as_bytes())),
        (
            RECIPIENT_KEY,
            Object::String(utf16_text_string(&recipient), StringFormat::Literal),
        ),
        (DOWNLOADED_AT_KEY, literal(date.as_bytes())),
        (b"ModDate".as_slice(), literal(date.as_bytes())),
    ];
    let existing = document
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .ok();
    if let Some(id) = existing {
        if let Ok(info) = document.get_dictionary_mut(id) {
            for (key, value) in entries {
                info.set(key, value);
            }
            return;
        }
    }
    let mut info = match document.trailer.get(b"Info") {
        Ok(Object::Dictionary(direct)) => direct.clone(),
        _ => Dictionary::new(),
    };
    for (key, value) in entries {
        info.set(key, value);
    }
    let id = document.add_object(Object::Dictionary(info));
    document.trailer.set("Info", Object::Reference(id));
}

fn literal(bytes: &[u8]) -> Object {
    Object::String(bytes.to_vec(), StringFormat::Literal)
}

/// `D:YYYYMMDDHHmmSSZ`.
fn pdf_date(secs: i64) -> String {
    let iso = crate::clock::format_utc(secs);
    let digits: String = iso.chars().filter(char::is_ascii_digit).collect();
    format!("D:{digits}Z")
}

/// What a file's Info dictionary says about its recipient, when it was stamped by this service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedMetadata {
    pub request_id: String,
    pub recipient: Option<String>,
    pub downloaded_at: Option<String>,
}

/// Reads the keys written by [`record`]; `None` when the file has no request id.
pub fn read(document: &Document) -> Option<RecordedMetadata> {
    let info = match document.trailer.get(b"Info").ok()? {
        Object::Reference(id) => document.get_dictionary(*id).ok()?,
        Object::Dictionary(direct) => direct,
        _ => return None,
    };
    let text = |key: &[u8]| {
        info.get(key)
            .ok()
            .and_then(|value| value.as_str().ok())
            .map(decode_text_string)
    };
    Some(RecordedMetadata {
        request_id: text(REQUEST_ID_KEY)?,
        recipient: text(RECIPIENT_KEY),
        downloaded_at: text(DOWNLOADED_AT_KEY),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_are_utc() {
        assert_eq!(pdf_date(86_400 + 3661), "D:19700102010101Z");
    }
}
