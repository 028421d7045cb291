//! The FAQ's list model: merges the built-in framework questions with the vendor's entries,
//! gives each a unique element id for deep links and filters them for a search query.

use trust_manifest::FaqEntry;

use crate::content::FRAMEWORK_FAQ;
use crate::i18n::{content_text, Msg, Tr};
use crate::search;

/// Where a question comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaqSource {
    /// Built into the widget (SOC 2® and ISO/IEC 27001 basics).
    Framework,
    /// From the vendor's signed manifest.
    Vendor,
}

/// One question as the FAQ shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaqItem {
    /// Element id and deep-link fragment without `#`, e.g. `faq-need-both`.
    pub dom_id: String,
    /// The question.
    pub question: String,
    /// The answer, one string per paragraph.
    pub paragraphs: Vec<String>,
    /// Built-in or vendor question.
    pub source: FaqSource,
    /// The language of the question and of the answer when it is not the page's (a vendor
    /// text the manifest does not translate); `None`: the page language.
    pub lang: Option<String>,
}

/// Turns an arbitrary identifier into a safe element-id fragment: letters, digits, `-`, `_`.
pub fn sanitize_id(raw: &str) -> String {
    let mut cleaned = String::new();
    for c in raw.trim().chars() {
        cleaned.push(if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            c.to_ascii_lowercase()
        } else {
            '-'
        });
    }
    if cleaned.is_empty() {
        "entry".to_string()
    } else {
        cleaned
    }
}

/// Splits plain text into paragraphs at blank lines, dropping empty ones.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // The paragraph so far: its trimmed lines joined by single spaces.
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The built-in questions followed by the vendor's, each with a unique `dom_id` (English).
pub fn faq_items(vendor_entries: &[FaqEntry]) -> Vec<FaqItem> {
    faq_items_in(Tr::english(), vendor_entries, &[])
}

/// [`faq_items`] in the language of `tr`; `vendor_lang` gives, per vendor entry, the language
/// of its question and answer when they are not in the page language.
pub fn faq_items_in(
    tr: Tr,
    vendor_entries: &[FaqEntry],
    vendor_lang: &[Option<String>],
) -> Vec<FaqItem> {
    let mut items: Vec<FaqItem> = Vec::with_capacity(FRAMEWORK_FAQ.len() + vendor_entries.len());
    for question in FRAMEWORK_FAQ.iter() {
        let (text, paragraphs) = content_text::faq_question(tr, question);
        items.push(FaqItem {
            dom_id: format!("faq-{}", question.id),
            question: text.to_string(),
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            source: FaqSource::Framework,
            lang: None,
        });
    }
    for (index, entry) in vendor_entries.iter().enumerate() {
        let base = format!("faq-{}", sanitize_id(&entry.id));
        let mut dom_id = base.clone();
        let mut n = 2;
        while items.iter().any(|item| item.dom_id == dom_id) {
            dom_id = format!("{base}-{n}");
            n += 1;
        }
        items.push(FaqItem {
            dom_id,
            question: entry.question.trim().to_string(),
            paragraphs: paragraphs(&entry.answer),
            source: FaqSource::Vendor,
            lang: vendor_lang.get(index).cloned().flatten(),
        });
    }
    items
}

/// The item a URL fragment such as `#faq-need-both` points at, if any.
pub fn item_for_hash<'a>(items: &'a [FaqItem], hash: &str) -> Option<&'a FaqItem> {
    let rest = hash
        .strip_prefix('#')
        .unwrap_or(hash)
        .strip_prefix("faq-")?;
    let wanted = format!("faq-{}", sanitize_id(rest));
    items.iter().find(|item| item.dom_id == wanted)
}

/// Whether an item matches all search terms in its question or answer.
pub fn item_matches(item: &FaqItem, terms: &[String]) -> bool {
    let mut texts: Vec<&str> = vec![item.question.as_str()];
    texts.extend(item.paragraphs.iter().map(String::as_str));
    search::matches_all(&texts, terms)
}

/// Whether any search term is found in the item's answer (used to open it while searching).
pub fn answer_has_match(item: &FaqItem, terms: &[String]) -> bool {
    item.paragraphs
        .iter()
        .any(|p| !search::find_matches(p, terms).is_empty())
}

/// Sentence announcing how many questions match, for the live region (English).
pub fn count_message(shown: usize, total: usize, query: &str) -> String {
    count_message_in(Tr::english(), shown, total, query)
}

/// [`count_message`] in the language of `tr`.
pub fn count_message_in(tr: Tr, shown: usize, total: usize, query: &str) -> String {
    let query = query.trim();
    let total_text = tr.int(total as i64);
    if query.is_empty() {
        tr.plural(Msg::FaqCount, total as i64, &[])
    } else if shown == 0 {
        tr.fill(Msg::FaqNoMatch, &[("query", query)])
    } else {
        tr.plural(
            Msg::FaqMatches,
            shown as i64,
            &[("total", &total_text), ("query", query)],
        )
    }
}
