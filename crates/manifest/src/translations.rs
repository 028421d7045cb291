//! Translations of the vendor's own texts (issue 19): the manifest's optional `language` (the
//! BCP 47 tag its texts are written in, `en` when absent) and `translations`, a map from a
//! language tag to a map from a text's JSON path to its translation:
//!
//! ```json
//! "language": "en",
//! "translations": {
//!   "de": { "iso27001.certificate.scope": "Entwicklung und Betrieb …", "documents[0].title": "…" }
//! }
//! ```
//!
//! Which fields are translatable is [`translatable_texts`]: free text a visitor reads (scope,
//! document titles and descriptions, subprocessor purposes and locations, the vendor's FAQ, the
//! "not claimed" statements). Names (organisation, auditor, bodies, certified entity), numbers,
//! addresses and the NDA text (accepted by its exact bytes and hash) are never translated.
//! [`localize`] gives the manifest as a visitor in one language sees it, and which texts stayed
//! in the main language (the widget marks those with a `lang` attribute).

use serde::Serialize;

use crate::model::Manifest;

/// The translations of the vendor's texts into one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
pub struct Translation {
    /// The language tag (the key in `translations`), e.g. `de` or `fr-CA`.
    pub lang: String,
    /// The translated texts, in document order.
    pub texts: Vec<TranslatedText>,
}

/// One translated text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
pub struct TranslatedText {
    /// The JSON path of the field in the main language, e.g. `documents[0].title`.
    pub path: String,
    /// The text in [`Translation::lang`].
    pub text: String,
}

/// The main language of `manifest`'s texts (`language`, else `en`).
pub fn main_language(manifest: &Manifest) -> &str {
    manifest.language.as_deref().unwrap_or("en")
}

/// Whether two language tags have the same base language (`de-CH` and `de`).
pub fn same_language(a: &str, b: &str) -> bool {
    base(a) == base(b)
}

/// The base subtag of a language tag, lower-cased (`de-CH` → `de`).
fn base(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Every translatable text of `manifest` with its path, in document order. Texts that are empty
/// are left out (there is nothing to translate).
pub fn translatable_texts(manifest: &Manifest) -> Vec<(String, &str)> {
    let mut texts: Vec<(String, &str)> = Vec::new();
    if let Some(cert) = manifest
        .iso27001
        .as_ref()
        .and_then(|iso| iso.certificate.as_ref())
    {
        push(
            &mut texts,
            "iso27001.certificate.scope".to_owned(),
            &cert.scope,
        );
    }
    for (i, document) in manifest.documents.iter().enumerate() {
        push(&mut texts, format!("documents[{i}].title"), &document.title);
        if let Some(description) = &document.description {
            push(
                &mut texts,
                format!("documents[{i}].description"),
                description,
            );
        }
    }
    for (i, subprocessor) in manifest.subprocessors.iter().enumerate() {
        push(
            &mut texts,
            format!("subprocessors[{i}].purpose"),
            &subprocessor.purpose,
        );
        for (j, location) in subprocessor.locations.iter().enumerate() {
            push(
                &mut texts,
                format!("subprocessors[{i}].locations[{j}]"),
                location,
            );
        }
    }
    for (i, entry) in manifest.faq.iter().enumerate() {
        push(&mut texts, format!("faq[{i}].question"), &entry.question);
        push(&mut texts, format!("faq[{i}].answer"), &entry.answer);
    }
    for (i, text) in manifest.not_claimed.iter().enumerate() {
        push(&mut texts, format!("not_claimed[{i}]"), text);
    }
    texts
}

fn push<'m>(texts: &mut Vec<(String, &'m str)>, path: String, text: &'m str) {
    if !text.trim().is_empty() {
        texts.push((path, text));
    }
}

/// The translation for `lang` (matched by base language, `de-CH` → `de`; an exact tag wins).
pub fn translation_for<'m>(manifest: &'m Manifest, lang: &str) -> Option<&'m Translation> {
    manifest
        .translations
        .iter()
        .find(|t| t.lang.eq_ignore_ascii_case(lang))
        .or_else(|| {
            let wanted = base(lang);
            manifest
                .translations
                .iter()
                .find(|t| base(&t.lang) == wanted)
        })
}

/// The paths of translatable texts that `translation` leaves out.
pub fn missing_paths(manifest: &Manifest, translation: &Translation) -> Vec<String> {
    translatable_texts(manifest)
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| !translation.texts.iter().any(|t| t.path == *path))
        .collect()
}

/// The paths `translation` gives that are not translatable texts of `manifest` (a typo, or a
/// text that was removed or moved).
pub fn unknown_paths(manifest: &Manifest, translation: &Translation) -> Vec<String> {
    let known = translatable_texts(manifest);
    translation
        .texts
        .iter()
        .filter(|t| !known.iter().any(|(path, _)| *path == t.path))
        .map(|t| t.path.clone())
        .collect()
}

/// `manifest` as shown in `lang`: each translatable text replaced by its translation for that
/// language, and the paths of those that stayed in the main language. When `lang` is the main
/// language (same base language) nothing changes and nothing is listed.
pub fn localize(manifest: &Manifest, lang: &str) -> (Manifest, Vec<String>) {
    let mut out = manifest.clone();
    if same_language(lang, main_language(manifest)) {
        return (out, Vec::new());
    }
    let translation = translation_for(manifest, lang);
    let lookup = |path: &str| -> Option<String> {
        translation?
            .texts
            .iter()
            .find(|t| t.path == path && !t.text.trim().is_empty())
            .map(|t| t.text.clone())
    };
    let mut fallback = Vec::new();
    let mut apply = |path: String, field: &mut String| {
        if field.trim().is_empty() {
            return;
        }
        match lookup(&path) {
            Some(text) => *field = text,
            None => fallback.push(path),
        }
    };
    if let Some(cert) = out
        .iso27001
        .as_mut()
        .and_then(|iso| iso.certificate.as_mut())
    {
        apply("iso27001.certificate.scope".to_owned(), &mut cert.scope);
    }
    for (i, document) in out.documents.iter_mut().enumerate() {
        apply(format!("documents[{i}].title"), &mut document.title);
        if let Some(description) = document.description.as_mut() {
            apply(format!("documents[{i}].description"), description);
        }
    }
    for (i, subprocessor) in out.subprocessors.iter_mut().enumerate() {
        apply(
            format!("subprocessors[{i}].purpose"),
            &mut subprocessor.purpose,
        );
        for (j, location) in subprocessor.locations.iter_mut().enumerate() {
            apply(format!("subprocessors[{i}].locations[{j}]"), location);
        }
    }
    for (i, entry) in out.faq.iter_mut().enumerate() {
        apply(format!("faq[{i}].question"), &mut entry.question);
        apply(format!("faq[{i}].answer"), &mut entry.answer);
    }
    for (i, text) in out.not_claimed.iter_mut().enumerate() {
        apply(format!("not_claimed[{i}]"), text);
    }
    (out, fallback)
}

/// serde for `Manifest::translations`: the JSON is a map of maps (language → path → text).
pub(crate) mod as_map {
    use serde::ser::SerializeMap;
    use serde::Serializer;

    use super::Translation;

    struct Texts<'a>(&'a Translation);

    impl serde::Serialize for Texts<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(self.0.texts.len()))?;
            for text in &self.0.texts {
                map.serialize_entry(&text.path, &text.text)?;
            }
            map.end()
        }
    }

    /// Writes the translations as `{"de": {"path": "text", …}, …}`.
    pub fn serialize<S: Serializer>(
        translations: &[Translation],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(translations.len()))?;
        for translation in translations {
            map.serialize_entry(&translation.lang, &Texts(translation))?;
        }
        map.end()
    }

    /// Reads `{"de": {"path": "text"}}` (the test oracle only); a repeated key is an error, as
    /// in the crate's decoder.
    #[cfg(feature = "serde-oracle")]
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Translation>, D::Error> {
        use super::TranslatedText;
        use serde::de::{Error, MapAccess, Visitor};
        use std::fmt;

        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Vec<(String, String)>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of texts")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(String, String)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, String>()? {
                    if out.iter().any(|(k, _)| *k == key) {
                        return Err(A::Error::custom("duplicate key"));
                    }
                    out.push((key, value));
                }
                Ok(out)
            }
        }
        struct TextsSeed;
        impl<'de> serde::de::DeserializeSeed<'de> for TextsSeed {
            type Value = Vec<(String, String)>;
            fn deserialize<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<Self::Value, D::Error> {
                d.deserialize_map(Pairs)
            }
        }
        struct Languages;
        impl<'de> Visitor<'de> for Languages {
            type Value = Vec<Translation>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of translations")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<Translation> = Vec::new();
                while let Some(lang) = map.next_key::<String>()? {
                    let texts = map.next_value_seed(TextsSeed)?;
                    if out.iter().any(|t| t.lang == lang) {
                        return Err(A::Error::custom("duplicate key"));
                    }
                    out.push(Translation {
                        lang,
                        texts: texts
                            .into_iter()
                            .map(|(path, text)| TranslatedText { path, text })
                            .collect(),
                    });
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(Languages)
    }
}
