//! The widget's languages: which one a page is shown in, its messages, plurals, `{placeholder}`
//! substitution, dates and numbers.
//!
//! English is compiled in ([`messages::EN`]); German, French and Spanish are language files
//! (`trust-center.<lang>.json`, built from `i18n/<lang>.json` by scripts/build-language-files.mjs)
//! that the loader downloads alongside the envelope and hands to [`Texts::new`]. A file that is
//! missing, malformed or built for another set of messages leaves the page in English (and its
//! `lang` says `en`). Components read the current [`Tr`] from the Yew context (see [`use_tr`]).

pub mod content_text;
pub mod labels;
pub mod messages;
pub mod status_text;

use std::ops::Deref;
use std::rc::Rc;

use trust_manifest::json::{self, Value};
use yew::prelude::*;

pub use messages::Msg;
use messages::{CATALOGUE_ID, EN, MESSAGE_COUNT};

/// A language the widget has a catalogue for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// English (compiled in, the fallback).
    #[default]
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Spanish.
    Es,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 4] = [Lang::En, Lang::De, Lang::Fr, Lang::Es];

    /// The base language code, e.g. `de`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
        }
    }

    /// The language of a BCP 47 tag by its base subtag (`de-CH` → German), if the widget has it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let base = tag.split(['-', '_']).next().unwrap_or_default();
        Lang::ALL
            .into_iter()
            .find(|lang| base.eq_ignore_ascii_case(lang.code()))
    }

    /// The CLDR plural category index of an integer count: 0 = `one`, 1 = `other`. English,
    /// German and Spanish use `one` for 1 only; French for 0 and 1. (Spanish and French `many`,
    /// for exact millions, never arises for the counts the widget shows: days, items, versions.)
    pub fn plural_index(self, count: i64) -> usize {
        let one = match self {
            Lang::Fr => count == 0 || count == 1,
            _ => count == 1,
        };
        usize::from(!one)
    }
}

/// The messages of one language and the tag the page is marked with.
#[derive(Debug)]
pub struct Texts {
    lang: Lang,
    tag: String,
    /// The language file's texts, in [`Msg`] order; `None` for English.
    loaded: Option<Vec<Box<str>>>,
    /// Status texts show ISO dates, as the manifest crate writes them (the English check only).
    pub(crate) iso_dates: bool,
}

impl Texts {
    /// English, marked with `tag` (e.g. `en-GB`).
    pub fn english(tag: &str) -> Texts {
        Texts {
            lang: Lang::En,
            tag: tag.to_owned(),
            loaded: None,
            iso_dates: false,
        }
    }

    /// The texts for `tag` (the resolved language tag) from `file`, the downloaded language file
    /// for it (a JSON array: the catalogue id, then one text per message). English when `tag` is
    /// English or a language the widget does not have, or when the file is absent or unusable;
    /// then the page is marked `en` unless `tag` itself is English.
    pub fn new(tag: &str, file: Option<&str>) -> Texts {
        let lang = Lang::from_tag(tag);
        match (lang, file) {
            (Some(Lang::En), _) => Texts::english(tag),
            (Some(lang), Some(file)) => match parse_file(file) {
                Some(loaded) => Texts {
                    lang,
                    tag: tag.to_owned(),
                    loaded: Some(loaded),
                    iso_dates: false,
                },
                None => Texts::english("en"),
            },
            _ => Texts::english("en"),
        }
    }

    /// English from the compiled-in catalogue (the `mirror.*` texts come from the code).
    pub fn is_compiled_english(&self) -> bool {
        self.loaded.is_none()
    }

    /// The texts of a language from its source file `i18n/<lang>.json` (an object of id →
    /// text or plural forms; native builds: tests and tools). `None` when a message is missing
    /// or not a text. With `iso_dates`, status texts show ISO dates as the manifest crate does.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_source(lang: Lang, tag: &str, source: &str, iso_dates: bool) -> Option<Texts> {
        let Ok(Value::Object(members)) = json::parse(source.as_bytes()) else {
            return None;
        };
        let mut loaded = Vec::with_capacity(MESSAGE_COUNT);
        for id in messages::IDS {
            let value = &members.iter().find(|(key, _)| key == id)?.1;
            loaded.push(Box::from(source_text(value)?.as_str()));
        }
        Some(Texts {
            lang,
            tag: tag.to_owned(),
            loaded: Some(loaded),
            iso_dates,
        })
    }

    /// The language shown.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The tag for the widget root's `lang` attribute.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The text of `msg` (for a plural message, all its forms joined by U+001F).
    pub fn get(&self, msg: Msg) -> &str {
        let index = msg as usize;
        match &self.loaded {
            Some(loaded) => loaded.get(index).map_or("", |text| text),
            None => EN.get(index).copied().unwrap_or_default(),
        }
    }

    /// The text at `index` in [`Msg`] order (for runs of messages laid out like the built-in
    /// content, see [`content_text`]).
    pub fn get_at(&self, index: usize) -> &str {
        match &self.loaded {
            Some(loaded) => loaded.get(index).map_or("", |text| text),
            None => EN.get(index).copied().unwrap_or_default(),
        }
    }

    /// For a `mirror.*` message: `english` (the text the code holds) on an English page, else
    /// the message in the page language.
    pub fn mirror<'a>(&'a self, msg: Msg, english: &'a str) -> &'a str {
        self.mirror_at(msg as usize, english)
    }

    /// [`Texts::mirror`] by index in [`Msg`] order.
    pub fn mirror_at<'a>(&'a self, index: usize, english: &'a str) -> &'a str {
        match self.loaded {
            None => english,
            Some(_) => self.get_at(index),
        }
    }

    /// `msg` as an owned string (for `html!` children and attributes).
    pub fn s(&self, msg: Msg) -> String {
        self.get(msg).to_owned()
    }

    /// `msg` with its `{name}` placeholders replaced by `args`.
    pub fn fill(&self, msg: Msg, args: &[(&str, &str)]) -> String {
        fill(self.get(msg), args)
    }

    /// The form of the plural message `msg` for `count`, with `{n}` (and `args`) filled in.
    pub fn plural(&self, msg: Msg, count: i64, args: &[(&str, &str)]) -> String {
        let forms = self.get(msg);
        let wanted = self.lang.plural_index(count);
        let form = forms
            .split('\u{1f}')
            .nth(wanted)
            .or_else(|| forms.split('\u{1f}').next())
            .unwrap_or_default();
        let n = self.int(count);
        let mut all = vec![("n", n.as_str())];
        all.extend_from_slice(args);
        fill(form, &all)
    }

    /// An integer in the language's digits grouping (`12,345` / `12.345` / `12 345`).
    pub fn int(&self, value: i64) -> String {
        let digits = value.unsigned_abs().to_string();
        let separator = self.get(Msg::NumberGroup);
        let mut out = String::new();
        if value < 0 {
            out.push('-');
        }
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index) % 3 == 0 && digits.len() > 4 {
                out.push_str(separator);
            }
            out.push(digit);
        }
        out
    }
}

/// Replaces each `{name}` in `template` by the value of `name` in `args` (unknown names stay).
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(key, _)| *key == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A source file's message as the catalogue holds it: a text, or the plural forms `one` and
/// `other` joined by U+001F.
#[cfg(not(target_arch = "wasm32"))]
pub fn source_text(value: &Value<'_>) -> Option<String> {
    match value {
        Value::String(text) => Some(text.to_string()),
        Value::Object(forms) => {
            let form = |name: &str| match forms.iter().find(|(key, _)| key == name) {
                Some((_, Value::String(text))) => Some(text.to_string()),
                _ => None,
            };
            Some(format!("{}\u{1f}{}", form("one")?, form("other")?))
        }
        _ => None,
    }
}

/// The texts of a language file, or `None` if it is not one for this build's messages.
fn parse_file(file: &str) -> Option<Vec<Box<str>>> {
    let Ok(Value::Array(items)) = json::parse(file.as_bytes()) else {
        return None;
    };
    let mut items = items.into_iter();
    match items.next() {
        Some(Value::String(id)) if id == CATALOGUE_ID => {}
        _ => return None,
    }
    let mut texts = Vec::with_capacity(MESSAGE_COUNT);
    for item in items {
        match item {
            Value::String(text) => texts.push(Box::from(text.as_ref())),
            _ => return None,
        }
    }
    (texts.len() == MESSAGE_COUNT).then_some(texts)
}

/// The current texts as a Yew context value (compared by identity).
#[derive(Clone, Debug)]
pub struct Tr(pub Rc<Texts>);

impl PartialEq for Tr {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Default for Tr {
    fn default() -> Tr {
        Tr(Rc::new(Texts::english("en")))
    }
}

impl Deref for Tr {
    type Target = Texts;
    fn deref(&self) -> &Texts {
        &self.0
    }
}

/// The texts of the widget being rendered (English outside an [`crate::app::App`]).
#[hook]
pub fn use_tr() -> Tr {
    use_context::<Tr>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_map_to_base_languages() {
        assert_eq!(Lang::from_tag("de-CH"), Some(Lang::De));
        assert_eq!(Lang::from_tag("FR"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("es-419"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("it"), None);
        assert_eq!(Lang::from_tag("dex"), None);
    }

    #[test]
    fn french_one_covers_zero_and_one() {
        assert_eq!(Lang::Fr.plural_index(0), 0);
        assert_eq!(Lang::Fr.plural_index(1), 0);
        assert_eq!(Lang::Fr.plural_index(2), 1);
        for lang in [Lang::En, Lang::De, Lang::Es] {
            assert_eq!(lang.plural_index(0), 1);
            assert_eq!(lang.plural_index(1), 0);
            assert_eq!(lang.plural_index(2), 1);
        }
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        assert_eq!(fill("{a} and {b}", &[("a", "1"), ("b", "2")]), "1 and 2");
        assert_eq!(fill("{a} {zzz} {", &[("a", "x")]), "x {zzz} {");
    }

    #[test]
    fn unusable_files_fall_back_to_english() {
        for file in ["", "{}", "[\"00000000\"]", "[1, 2]"] {
            let texts = Texts::new("de-CH", Some(file));
            assert_eq!(texts.lang(), Lang::En);
            assert_eq!(texts.tag(), "en");
        }
        assert_eq!(Texts::new("it", None).tag(), "en");
        assert_eq!(Texts::new("en-GB", None).tag(), "en-GB");
    }

    #[test]
    fn integers_are_grouped_only_from_five_digits() {
        let en = Texts::english("en");
        assert_eq!(en.int(1234), "1234");
        assert_eq!(en.int(1_048_576), "1,048,576");
        assert_eq!(en.int(-12_345), "-12,345");
    }
}
