//! The widget's languages: which one a page is shown in, its messages, plurals, `{placeholder}`
//! substitution, dates and numbers.
//!
//! English is compiled in ([`messages::EN_TEXT`]); German, French and Spanish are language files
//! (`trust-center.<lang>.json`, built from `i18n/<lang>.json` by scripts/build-language-files.mjs)
//! that the loader downloads alongside the envelope and hands to [`Language::new`]. A file that is
//! missing, malformed or built for another set of messages leaves the page in English (and its
//! `lang` says `en`). Every component gets the page's [`Tr`] (a `Copy` handle) in its properties
//! or through the verified page, so two widgets on one page may show two languages.

pub mod content_text;
pub mod labels;
pub mod messages;
pub mod status_text;

use trust_manifest::json::{self, Value};

pub use messages::Msg;
use messages::{CATALOGUE_ID, EN_ENDS, EN_TEXT, MESSAGE_COUNT};

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
        let base = tag.split_once(['-', '_']).map_or(tag, |(base, _)| base);
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

/// The messages of one language: a `Copy` handle that every component receives (in its
/// properties, or through the page), so that two widgets on one page can speak two languages.
/// One pointer to the language's [`Catalogue`], which lives for the page's lifetime: the handle
/// is passed to hundreds of lookups, and a one-word argument keeps each call small in the wasm.
#[derive(Clone, Copy, Debug)]
pub struct Tr(&'static Catalogue);

/// What a [`Tr`] points at.
#[derive(Debug)]
pub struct Catalogue {
    lang: Lang,
    /// The texts in [`Msg`] order: a language file's, parsed once per page; empty for the
    /// compiled English ([`EN_TEXT`]).
    table: &'static [&'static str],
}

/// The compiled-in English.
static ENGLISH: Catalogue = Catalogue {
    lang: Lang::En,
    table: &[],
};

/// Two handles are equal when they show the same texts the same way.
impl PartialEq for Tr {
    fn eq(&self, other: &Tr) -> bool {
        self.0.lang == other.0.lang && std::ptr::eq(self.0.table, other.0.table)
    }
}

impl Eq for Tr {}

// Every text lookup is one out-of-line call (`#[inline(never)]` below): there are hundreds of
// them, and an inlined bounds-checked lookup at each would cost several KB of wasm.

impl Default for Tr {
    fn default() -> Tr {
        Tr::english()
    }
}

thread_local! {
    /// The language files parsed so far on this page (each is parsed and kept once).
    static LOADED: std::cell::RefCell<Vec<Tr>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

impl Tr {
    /// English, compiled in.
    pub const fn english() -> Tr {
        Tr(&ENGLISH)
    }

    /// The texts of `lang` from its downloaded language file (a JSON array: the catalogue id,
    /// then one text per message), or `None` if the file is not one for this build's messages.
    /// A page parses each language once and keeps it for the page's lifetime.
    pub fn load(lang: Lang, file: &str) -> Option<Tr> {
        if let Some(tr) =
            LOADED.with(|loaded| loaded.borrow().iter().find(|tr| tr.0.lang == lang).copied())
        {
            return Some(tr);
        }
        let table: &'static [&'static str] = Vec::leak(parse_file(file)?);
        let tr = Tr::leak(lang, table);
        LOADED.with(|loaded| loaded.borrow_mut().push(tr));
        Some(tr)
    }

    /// A handle to a catalogue kept for the page's lifetime (one per language and page).
    fn leak(lang: Lang, table: &'static [&'static str]) -> Tr {
        Tr(Box::leak(Box::new(Catalogue { lang, table })))
    }

    /// The texts of a language from its source file `i18n/<lang>.json` (an object of id →
    /// text or plural forms; native builds: tests and tools). `None` when a message is missing
    /// or not a text.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_source(lang: Lang, source: &str) -> Option<Tr> {
        let Ok(Value::Object(members)) = json::parse(source.as_bytes()) else {
            return None;
        };
        let mut table: Vec<&'static str> = Vec::with_capacity(MESSAGE_COUNT);
        for id in messages::IDS {
            let value = &members.iter().find(|(key, _)| key == id)?.1;
            table.push(String::leak(source_text(value)?));
        }
        Some(Tr::leak(lang, Vec::leak(table)))
    }

    /// The language shown.
    pub fn lang(self) -> Lang {
        self.0.lang
    }

    /// English from the compiled-in catalogue (the `mirror.*` texts come from the code).
    pub fn is_compiled_english(self) -> bool {
        self.0.table.is_empty()
    }

    /// The text of `msg` (for a plural message, all its forms joined by U+001F).
    #[inline(never)]
    pub fn get(self, msg: Msg) -> &'static str {
        self.get_at(msg as usize)
    }

    /// The text of `msg` as a text node. An `html!` child `{tr.get(msg)}` would copy the text
    /// into a new string (Yew's `ToString` conversion) at every call site; the catalogue's texts
    /// live for the page's lifetime, so the node can borrow them.
    #[inline(never)]
    pub fn text(self, msg: Msg) -> yew::Html {
        yew::Html::VText(yew::virtual_dom::VText::new(yew::AttrValue::Static(
            self.get(msg),
        )))
    }

    /// The text at `index` in [`Msg`] order (for runs of messages laid out like the built-in
    /// content, see [`content_text`]).
    #[inline(never)]
    pub fn get_at(self, index: usize) -> &'static str {
        let table = self.0.table;
        if !table.is_empty() {
            return table.get(index).copied().unwrap_or_default();
        }
        let end = EN_ENDS.get(index).copied().unwrap_or_default();
        let start = match index.checked_sub(1) {
            Some(before) => EN_ENDS.get(before).copied().unwrap_or_default(),
            None => 0,
        };
        EN_TEXT
            .get(usize::from(start)..usize::from(end))
            .unwrap_or_default()
    }

    /// For a `mirror.*` message: `english` (the text the code holds) on an English page, else
    /// the message in the page language.
    #[inline(never)]
    pub fn mirror(self, msg: Msg, english: &'static str) -> &'static str {
        self.mirror_at(msg as usize, english)
    }

    /// [`Tr::mirror`] by index in [`Msg`] order.
    #[inline(never)]
    pub fn mirror_at(self, index: usize, english: &'static str) -> &'static str {
        if self.is_compiled_english() {
            english
        } else {
            self.get_at(index)
        }
    }

    /// `msg` with its `{name}` placeholders replaced by `args`.
    #[inline(never)]
    pub fn fill(self, msg: Msg, args: &[(&str, &str)]) -> String {
        fill(self.get(msg), args)
    }

    /// The form of the plural message `msg` for `count`, with `{n}` (and `args`) filled in.
    #[inline(never)]
    pub fn plural(self, msg: Msg, count: i64, args: &[(&str, &str)]) -> String {
        let form = self.plural_form(self.get(msg), count);
        let n = self.int(count);
        let mut all = vec![("n", n.as_str())];
        all.extend_from_slice(args);
        fill(form, &all)
    }

    /// The form for `count` of a plural message's `forms` (joined by U+001F); the first form when
    /// the message has fewer.
    pub fn plural_form(self, forms: &'static str, count: i64) -> &'static str {
        let mut rest = forms;
        for _ in 0..self.0.lang.plural_index(count) {
            match rest.find('\u{1f}') {
                Some(at) => rest = &rest[at + '\u{1f}'.len_utf8()..],
                None => return forms.split_once('\u{1f}').map_or(forms, |(first, _)| first),
            }
        }
        rest.split_once('\u{1f}').map_or(rest, |(form, _)| form)
    }

    /// An integer, digits grouped in thousands from five digits on (`12,345` / `12.345`).
    #[inline(never)]
    pub fn int(self, value: i64) -> String {
        let digits = value.unsigned_abs().to_string();
        let separator = self.get(Msg::NumberGroup);
        let mut out = String::new();
        if value < 0 {
            out.push('-');
        }
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index).is_multiple_of(3) && digits.len() > 4 {
                out.push_str(separator);
            }
            out.push(digit);
        }
        out
    }
}

/// The page language the loader chose: the texts, and the tag the widget's root is marked with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Language {
    /// The texts.
    pub tr: Tr,
    /// The tag for the root's `lang` attribute (e.g. `de-CH`; `en` when the page fell back to
    /// English).
    pub tag: String,
}

impl Language {
    /// The language for `tag` (the resolved language tag) from `file`, the downloaded language
    /// file for it. English when `tag` is English or a language the widget does not have, or
    /// when the file is absent or unusable; then the page is marked `en` unless `tag` itself is
    /// English.
    pub fn new(tag: &str, file: Option<&str>) -> Language {
        let english = |tag: &str| Language {
            tr: Tr::english(),
            tag: tag.to_owned(),
        };
        match (Lang::from_tag(tag), file) {
            (Some(Lang::En), _) => english(tag),
            (Some(lang), Some(file)) => match Tr::load(lang, file) {
                Some(tr) => Language {
                    tr,
                    tag: tag.to_owned(),
                },
                None => english("en"),
            },
            _ => english("en"),
        }
    }
}

/// Placeholder values for a message: (name, value) pairs.
pub type Params = Vec<(&'static str, String)>;

/// `template` split around its `{name}` placeholder (the text before and after it); the whole
/// template and nothing when it has none. Char searches only: a `&str` pattern would bring std's
/// substring searcher into the wasm for this one use.
pub fn split_at_placeholder<'t>(template: &'t str, name: &str) -> (&'t str, &'t str) {
    let mut from = 0;
    while let Some(open) = template[from..].find('{') {
        let at = from + open;
        let after = &template[at + 1..];
        if let Some(rest) = after
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('}'))
        {
            return (&template[..at], rest);
        }
        from = at + 1;
    }
    (template, "")
}

/// [`fill`] with owned values, as [`Params`] holds them (one loop for every caller).
pub fn fill_owned(template: &str, params: &[(&str, String)]) -> String {
    let mut args = Vec::with_capacity(params.len());
    for (name, value) in params {
        args.push((*name, value.as_str()));
    }
    fill(template, &args)
}

/// Replaces each `{name}` in `template` by the value of `name` in `args` (unknown names stay).
#[inline(never)]
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

/// The texts of a language file (leaked: kept for the page's lifetime), or `None` if it is not
/// one for this build's messages.
fn parse_file(file: &str) -> Option<Vec<&'static str>> {
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
            Value::String(text) => texts.push(&*String::leak(text.into_owned())),
            _ => return None,
        }
    }
    (texts.len() == MESSAGE_COUNT).then_some(texts)
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
    fn placeholders_split_and_plural_forms_are_found_without_substring_search() {
        assert_eq!(
            split_at_placeholder("Request \u{201c}{title}\u{201d} under NDA", "title"),
            ("Request \u{201c}", "\u{201d} under NDA")
        );
        assert_eq!(
            split_at_placeholder("{x} then {title}.", "title"),
            ("{x} then ", ".")
        );
        assert_eq!(split_at_placeholder("no {titl", "title"), ("no {titl", ""));
        let en = Tr::english();
        assert_eq!(en.plural_form("one\u{1f}other", 1), "one");
        assert_eq!(en.plural_form("one\u{1f}other", 2), "other");
        assert_eq!(en.plural_form("only", 2), "only");
        let fr = Tr::leak(Lang::Fr, &[]);
        assert_eq!(fr.plural_form("un\u{1f}des", 0), "un");
    }

    #[test]
    fn unusable_files_fall_back_to_english() {
        for file in ["", "{}", "[\"00000000\"]", "[1, 2]"] {
            let language = Language::new("de-CH", Some(file));
            assert_eq!(language.tr.lang(), Lang::En);
            assert_eq!(language.tag, "en");
        }
        assert_eq!(Language::new("it", None).tag, "en");
        assert_eq!(Language::new("de", None).tag, "en");
        assert_eq!(Language::new("en-GB", None).tag, "en-GB");
    }

    #[test]
    fn integers_are_grouped_only_from_five_digits() {
        let en = Tr::english();
        assert_eq!(en.int(1234), "1234");
        assert_eq!(en.int(1_048_576), "1,048,576");
        assert_eq!(en.int(-12_345), "-12,345");
    }
}
