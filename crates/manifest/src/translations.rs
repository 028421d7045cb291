//! Translations of the vendor's own texts (issue 19): the manifest's optional `language` (the
//! BCP 47 tag its texts are written in, `en` when absent) and `translations`, a map from a
//! language tag to a map from a text, exactly as the manifest writes it in its main language, to
//! its translation (the way gettext keys translations by their source text):
//!
//! ```json
//! "language": "en",
//! "translations": {
//!   "de": { "Hosting and storage": "Hosting und Speicherung", "European Union": "Europäische Union" }
//! }
//! ```
//!
//! Keying by the text rather than by its place means a translation follows its text when lists
//! are reordered, one translation serves every place a text appears, and a text that is changed
//! without its translation is noticed (`trustctl lint` reports both the untranslated text and the
//! stale translation). Which fields are translatable is [`translatable_texts`]: free text a
//! visitor reads (scope, document titles and descriptions, subprocessor purposes and locations,
//! the vendor's FAQ, the "not claimed" statements, the change history's summaries). Names (organisation, auditor, bodies,
//! certified entity), numbers, addresses and the NDA text (accepted by its exact bytes and hash)
//! are never translated.

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
    /// The text in the manifest's main language, exactly as a field holds it.
    pub original: String,
    /// The text in [`Translation::lang`].
    pub text: String,
}

/// The main language of `manifest`'s texts (`language`, else `en`).
pub fn main_language(manifest: &Manifest) -> &str {
    manifest.language.as_deref().unwrap_or("en")
}

/// Whether two language tags have the same base language (`de-CH` and `de`).
pub fn same_language(a: &str, b: &str) -> bool {
    base(a).eq_ignore_ascii_case(base(b))
}

/// The base subtag of a language tag (`de-CH` → `de`), compared ignoring case.
fn base(tag: &str) -> &str {
    tag.split_once(['-', '_']).map_or(tag, |(base, _)| base)
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
    for (i, entry) in manifest.changes.iter().enumerate() {
        push(&mut texts, format!("changes[{i}].summary"), &entry.summary);
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
            manifest
                .translations
                .iter()
                .find(|t| same_language(&t.lang, lang))
        })
}

/// The translation of `text` (a field's value in the main language) into `lang`, if the
/// manifest has one.
pub fn translate<'m>(manifest: &'m Manifest, lang: &str, text: &str) -> Option<&'m str> {
    translation_for(manifest, lang)?
        .texts
        .iter()
        .find(|t| t.original == text && !t.text.trim().is_empty())
        .map(|t| t.text.as_str())
}

/// The translatable texts (path, text) that `translation` does not translate.
pub fn missing_texts<'m>(
    manifest: &'m Manifest,
    translation: &Translation,
) -> Vec<(String, &'m str)> {
    translatable_texts(manifest)
        .into_iter()
        .filter(|(_, text)| !translation.texts.iter().any(|t| t.original == *text))
        .collect()
}

/// The texts `translation` translates that no translatable field of `manifest` holds (a typo,
/// or a text that was changed or removed since it was translated).
pub fn stale_originals<'t>(manifest: &Manifest, translation: &'t Translation) -> Vec<&'t str> {
    let known = translatable_texts(manifest);
    translation
        .texts
        .iter()
        .filter(|t| !known.iter().any(|(_, text)| *text == t.original))
        .map(|t| t.original.as_str())
        .collect()
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
                map.serialize_entry(&text.original, &text.text)?;
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
                            .map(|(original, text)| TranslatedText { original, text })
                            .collect(),
                    });
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(Languages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#""schema_version":1,"version":1,"issued_at":"2026-01-01","expires_at":"2027-01-01","organization":{"name":"N","website":"https://n.example","security_contact":"mailto:s@n.example"},"subprocessors":[{"name":"S","purpose":"Hosting","locations":["EU"]}]"#;

    fn decode(extra: &str) -> Result<Manifest, crate::VerifyError> {
        crate::decode::manifest(format!("{{{HEAD}{extra}}}").as_bytes())
    }

    #[test]
    fn absent_fields_mean_english_and_no_translations() {
        let manifest = decode("").unwrap();
        assert_eq!(main_language(&manifest), "en");
        assert!(manifest.translations.is_empty());
        assert_eq!(translate(&manifest, "de", "Hosting"), None);
    }

    #[test]
    fn translations_decode_and_apply_by_base_language_with_exact_tags_first() {
        let manifest = decode(
            r#","language":"en-GB","translations":{"de":{"Hosting":"Hosting (DE)","EU":"EU"},"de-CH":{"Hosting":"Hosting (CH)"}}"#,
        )
        .unwrap();
        assert_eq!(main_language(&manifest), "en-GB");
        assert_eq!(translate(&manifest, "de", "Hosting"), Some("Hosting (DE)"));
        assert_eq!(
            translate(&manifest, "de-CH", "Hosting"),
            Some("Hosting (CH)")
        );
        assert_eq!(
            translate(&manifest, "de-AT", "Hosting"),
            Some("Hosting (DE)")
        );
        assert_eq!(translate(&manifest, "fr", "Hosting"), None);
        let de = translation_for(&manifest, "de").unwrap();
        assert!(missing_texts(&manifest, de).is_empty());
        assert!(stale_originals(&manifest, de).is_empty());
    }

    #[test]
    fn a_repeated_key_or_a_non_text_is_refused_with_its_place() {
        for (extra, place) in [
            (
                r#","translations":{"de":{"a":"b","a":"c"}}"#,
                "translations[0][1]",
            ),
            (r#","translations":{"de":{"a":1}}"#, "translations[0][0]"),
            (r#","translations":{"de":[]}"#, "translations[0]"),
            (r#","translations":[]"#, "translations"),
        ] {
            let error = decode(extra).unwrap_err().to_string();
            assert!(error.contains(place), "{extra}: {error}");
        }
    }

    #[test]
    fn serialises_as_the_map_it_was_read_from() {
        let text = r#","translations":{"de":{"Hosting":"Hosting (DE)"}}"#;
        let manifest = decode(text).unwrap();
        let json = serde_json::to_value(&manifest).unwrap();
        assert_eq!(json["translations"]["de"]["Hosting"], "Hosting (DE)");
    }
}
