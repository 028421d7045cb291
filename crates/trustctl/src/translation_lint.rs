//! `trustctl lint`'s translation warnings (issue 19): for each language in the manifest's
//! `translations`, the vendor texts present in the main language that it does not translate
//! (visitors in that language see them in the main language), the translations whose original
//! text no field holds any more (a changed or removed text), and keys that are not usable
//! language tags or repeat the main language.

use serde::Serialize;
use trust_manifest::translations::{main_language, missing_texts, same_language, stale_originals};
use trust_manifest::Manifest;

/// How many untranslated paths a warning lists before "and N more".
const LISTED: usize = 5;

/// One warning about the manifest's translations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TranslationWarning {
    /// The language tag (the key in `translations`).
    pub lang: String,
    /// What kind of problem: `missing`, `stale`, `bad_tag` or `main_language`.
    pub code: &'static str,
    /// JSON paths of the texts concerned (for `missing`), or the stale original text.
    pub items: Vec<String>,
    /// The warning in plain words.
    pub message: String,
}

/// Whether `tag` looks like a BCP 47 language tag (`de`, `de-CH`, `es-419`, `zh-Hant-TW`).
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let base_ok = parts.next().is_some_and(|base| {
        (2..=3).contains(&base.len()) && base.chars().all(|c| c.is_ascii_alphabetic())
    });
    base_ok
        && parts.all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// Every translation warning for `manifest`, language by language.
pub fn translation_warnings(manifest: &Manifest) -> Vec<TranslationWarning> {
    let main = main_language(manifest);
    let mut warnings = Vec::new();
    for translation in &manifest.translations {
        let lang = translation.lang.clone();
        if !is_language_tag(&lang) {
            warnings.push(TranslationWarning {
                lang: lang.clone(),
                code: "bad_tag",
                items: Vec::new(),
                message: format!(
                    "translations.\"{lang}\": not a language tag such as \"de\" or \"fr-CA\"; no visitor will see it"
                ),
            });
            continue;
        }
        if same_language(&lang, main) {
            warnings.push(TranslationWarning {
                lang: lang.clone(),
                code: "main_language",
                items: Vec::new(),
                message: format!(
                    "translations.{lang}: the manifest's texts are already in {main} (\"language\"); this translation is never shown"
                ),
            });
            continue;
        }
        let missing = missing_texts(manifest, translation);
        if !missing.is_empty() {
            let paths: Vec<String> = missing.iter().map(|(path, _)| path.clone()).collect();
            let mut listed = paths
                .iter()
                .take(LISTED)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            if paths.len() > LISTED {
                listed.push_str(&format!(" and {} more", paths.len() - LISTED));
            }
            warnings.push(TranslationWarning {
                lang: lang.clone(),
                code: "missing",
                message: format!(
                    "translations.{lang}: {} of the texts in {main} {} no translation, so visitors reading {lang} see {} in {main}: {listed}",
                    paths.len(),
                    if paths.len() == 1 { "has" } else { "have" },
                    if paths.len() == 1 { "it" } else { "them" },
                ),
                items: paths,
            });
        }
        for original in stale_originals(manifest, translation) {
            let shown: String = original.chars().take(60).collect();
            warnings.push(TranslationWarning {
                lang: lang.clone(),
                code: "stale",
                items: vec![original.to_owned()],
                message: format!(
                    "translations.{lang}: translates \"{shown}{}\", which no text of the manifest says (changed or removed?)",
                    if original.chars().count() > 60 { "…" } else { "" }
                ),
            });
        }
    }
    warnings
}

/// Prints the warnings in `lint`'s human report.
pub fn print_translation_warnings(manifest: &Manifest, warnings: &[TranslationWarning]) {
    if manifest.translations.is_empty() {
        return;
    }
    if warnings.is_empty() {
        say!(
            "✓ Translations: {} complete",
            manifest
                .translations
                .iter()
                .map(|t| t.lang.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return;
    }
    say!(
        "! Translations: {} warning{}",
        warnings.len(),
        if warnings.len() == 1 { "" } else { "s" }
    );
    for warning in warnings {
        say!("    ! {}", warning.message);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use trust_manifest::translations::{TranslatedText, Translation};

    fn manifest() -> Manifest {
        crate::example::example_manifest(trust_manifest::Date::from_ymd(2026, 11, 28).unwrap())
    }

    fn translation(lang: &str, texts: &[(&str, &str)]) -> Translation {
        Translation {
            lang: lang.to_owned(),
            texts: texts
                .iter()
                .map(|(original, text)| TranslatedText {
                    original: (*original).to_owned(),
                    text: (*text).to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn no_translations_no_warnings() {
        assert!(translation_warnings(&manifest()).is_empty());
    }

    #[test]
    fn untranslated_and_stale_texts_are_reported_per_language() {
        let mut m = manifest();
        let purpose = m.subprocessors[0].purpose.clone();
        m.translations = vec![
            translation(
                "de",
                &[
                    (purpose.as_str(), "Hosting"),
                    ("An old text", "Ein alter Text"),
                ],
            ),
            translation("en-GB", &[]),
            translation("not a tag", &[]),
        ];
        let warnings = translation_warnings(&m);
        let codes: Vec<_> = warnings.iter().map(|w| (w.lang.as_str(), w.code)).collect();
        assert_eq!(
            codes,
            [
                ("de", "missing"),
                ("de", "stale"),
                ("en-GB", "main_language"),
                ("not a tag", "bad_tag")
            ]
        );
        let missing = &warnings[0];
        assert!(!missing
            .items
            .contains(&"subprocessors[0].purpose".to_owned()));
        assert!(
            missing.items.contains(&"not_claimed[0]".to_owned()),
            "{:?}",
            missing.items
        );
        assert!(
            missing
                .message
                .contains("visitors reading de see them in en"),
            "{}",
            missing.message
        );
        assert_eq!(warnings[1].items, ["An old text"]);
    }

    #[test]
    fn a_complete_translation_has_no_warning() {
        let mut m = manifest();
        let texts: Vec<(String, String)> = trust_manifest::translations::translatable_texts(&m)
            .into_iter()
            .map(|(_, text)| (text.to_owned(), format!("DE {text}")))
            .collect();
        let pairs: Vec<(&str, &str)> = texts
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        m.translations = vec![translation("de", &pairs)];
        assert!(translation_warnings(&m).is_empty());
    }
}
