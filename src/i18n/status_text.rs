//! The status texts of `trust_manifest::status` (headlines, explanations, findings) in the page
//! language. The manifest crate hands each one over as data, a message id and its facts
//! ([`trust_manifest::Text`], [`trust_manifest::TextId`]); the catalogue has a `status.*` message
//! with that id, at that id's position, in every language, English included, so every page (an English one too) looks the id up and fills in
//! the facts, dates and counts written for the page language. The widget never asks the
//! manifest crate for its English (`Text::to_english`), so its English templates are not in the
//! wasm; tests/i18n_catalogue.rs checks that the English page's texts are the manifest crate's
//! English word for word.

use trust_manifest::{Date, Fact, Text};

use super::messages::STATUS_FIRST;
use super::{Lang, Msg, Tr};
use crate::components::format;

/// A status text in the language of `tr`. The catalogue's status messages are in the order of
/// `trust_manifest::TextId` (tests/i18n_catalogue.rs checks it), so the message is found by
/// position and no id string is in the wasm.
pub fn render(tr: Tr, text: &Text) -> String {
    let mut facts = Vec::with_capacity(text.args.len());
    for (name, fact) in &text.args {
        facts.push((*name, fact_text(tr, fact)));
    }
    super::fill_owned(tr.get_at(STATUS_FIRST + text.id.index()), &facts)
}

/// A fact in the page language.
fn fact_text(tr: Tr, fact: &Fact) -> String {
    match fact {
        Fact::Verbatim(text) => text.clone(),
        Fact::Day(date) => day(tr, *date),
        Fact::Number(n) => count(tr, *n),
        Fact::DaysLeft(0) => tr.get(Msg::DaysLast).to_owned(),
        Fact::DaysLeft(days) => {
            let form = tr.plural_form(tr.get(Msg::DaysLeft), *days);
            super::fill(form, &[("n", &count(tr, *days))])
        }
        Fact::Text(text) => render(tr, text),
    }
}

/// A date: ISO 8601 on an English page (as the manifest crate writes it), else the page's
/// date format.
fn day(tr: Tr, date: Date) -> String {
    if tr.lang() == Lang::En {
        date.to_string()
    } else {
        format::date(tr, date)
    }
}

/// A count: plain digits on an English page (as the manifest crate writes them), else grouped
/// as the page language groups them.
fn count(tr: Tr, n: i64) -> String {
    if tr.lang() == Lang::En {
        n.to_string()
    } else {
        tr.int(n)
    }
}
