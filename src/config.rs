//! Host-element attributes → a typed widget configuration, or an error that names the attribute.
//!
//! Pure: the caller passes a getter (`host.get_attribute`) so this is unit-tested natively.

use std::fmt;

use trust_manifest::{PublicKey, TrustPolicy};

/// Colour theme requested by the host page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Theme {
    /// Follow the visitor's system setting (`prefers-color-scheme`).
    #[default]
    Auto,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// The attribute value, e.g. `"dark"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// Everything the widget needs to know from its host element.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Address of the signed envelope (`manifest` attribute).
    pub manifest_url: String,
    /// Pinned public keys (`public-key` attribute, separated by spaces or commas).
    pub public_keys: Vec<PublicKey>,
    /// How many distinct trusted keys must have signed (`threshold`, default 1).
    pub threshold: usize,
    /// Language tag for the page (`lang`, default `en`).
    pub lang: String,
    /// Colour theme (`theme`).
    pub theme: Theme,
    /// Development mode (`dev`): allows `http://127.0.0.1` / `localhost` links and intake.
    pub dev: bool,
}

/// A host attribute that is missing or has a value the widget cannot use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The attribute's name, e.g. `public-key`.
    pub attribute: &'static str,
    /// What is wrong with it, in plain words.
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The \"{}\" attribute of <trust-center> {}",
            self.attribute, self.problem
        )
    }
}

impl std::error::Error for ConfigError {}

fn error(attribute: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        attribute,
        problem: problem.into(),
    }
}

impl Config {
    /// Reads and checks the host attributes through `get` (returns the attribute's value, if set).
    pub fn from_attributes(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let manifest_url = get("manifest")
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
            .ok_or_else(|| {
                error(
                    "manifest",
                    "is missing: set it to the address of the signed trust-center file, for example /.well-known/trust-center.json.",
                )
            })?;
        if manifest_url.chars().any(char::is_whitespace) {
            return Err(error(
                "manifest",
                "contains spaces; it must be a single address.",
            ));
        }

        let keys_text = get("public-key").unwrap_or_default();
        let mut public_keys: Vec<PublicKey> = Vec::new();
        for (index, part) in keys_text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|part| !part.is_empty())
            .enumerate()
        {
            let key = PublicKey::from_base64(part).map_err(|_| {
                error(
                    "public-key",
                    format!(
                        "has a value that is not a public key (key {} should be the 44-character base64 text from trustctl keygen).",
                        index + 1
                    ),
                )
            })?;
            if !public_keys.contains(&key) {
                public_keys.push(key);
            }
        }
        if public_keys.is_empty() {
            return Err(error(
                "public-key",
                "is missing: the page cannot be verified without the vendor's pinned public key.",
            ));
        }

        let threshold = match get("threshold").map(|value| value.trim().to_owned()) {
            None => 1,
            Some(value) if value.is_empty() => 1,
            Some(value) => {
                let number = crate::small_std::whole_number(&value)
                    .and_then(|number| usize::try_from(number).ok())
                    .ok_or_else(|| {
                        error(
                            "threshold",
                            format!("must be a whole number such as 1 or 2, not \"{value}\"."),
                        )
                    })?;
                if number == 0 || number > public_keys.len() {
                    return Err(error(
                        "threshold",
                        format!(
                            "is {number}, but it must be between 1 and the number of public keys ({}).",
                            public_keys.len()
                        ),
                    ));
                }
                number
            }
        };

        let lang = match get("lang").map(|value| value.trim().to_owned()) {
            None => "en".to_owned(),
            Some(value) if value.is_empty() => "en".to_owned(),
            Some(value) => {
                let valid = value.len() <= 35
                    && value.split('-').all(|part| {
                        !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric())
                    });
                if !valid {
                    return Err(error(
                        "lang",
                        format!(
                            "must be a language tag such as \"en\" or \"en-GB\", not \"{value}\"."
                        ),
                    ));
                }
                value
            }
        };

        let theme = match get("theme").map(|value| value.trim().to_ascii_lowercase()) {
            None => Theme::Auto,
            Some(value) => match value.as_str() {
                "" | "auto" => Theme::Auto,
                "light" => Theme::Light,
                "dark" => Theme::Dark,
                _ => {
                    return Err(error(
                        "theme",
                        format!("must be \"light\", \"dark\" or \"auto\", not \"{value}\"."),
                    ))
                }
            },
        };

        let dev = match get("dev").map(|value| value.trim().to_ascii_lowercase()) {
            None => false,
            Some(value) => match value.as_str() {
                "" | "true" | "dev" => true,
                "false" => false,
                _ => {
                    return Err(error(
                        "dev",
                        format!(
                        "must be present without a value (or \"true\"/\"false\"), not \"{value}\"."
                    ),
                    ))
                }
            },
        };

        Ok(Config {
            manifest_url,
            public_keys,
            threshold,
            lang,
            theme,
            dev,
        })
    }

    /// The trust policy (pinned keys and threshold) the envelope is opened with.
    pub fn trust_policy(&self) -> TrustPolicy {
        TrustPolicy {
            keys: self.public_keys.clone(),
            threshold: self.threshold,
        }
    }

    /// Identifies the pinned key set (sorted key ids), used to remember the highest version seen.
    pub fn key_set_id(&self) -> String {
        // Sorted by inserting each id in place (a handful of keys; no sort routine needed).
        let mut ids: Vec<String> = Vec::with_capacity(self.public_keys.len());
        for id in self.public_keys.iter().map(PublicKey::key_id) {
            let at = ids.partition_point(|other| *other <= id);
            ids.insert(at, id);
        }
        crate::small_std::join(&ids, "+")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 32 zero bytes is not necessarily a valid Ed25519 point; use a real public key instead: the
    // RFC 8032 test vector 1 public key.
    const KEY_A: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    fn get_from<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn minimal_attributes_give_defaults() {
        let config = Config::from_attributes(get_from(&[
            ("manifest", "/.well-known/trust-center.json"),
            ("public-key", KEY_A),
        ]))
        .unwrap();
        assert_eq!(config.manifest_url, "/.well-known/trust-center.json");
        assert_eq!(config.public_keys.len(), 1);
        assert_eq!(config.threshold, 1);
        assert_eq!(config.lang, "en");
        assert_eq!(config.theme, Theme::Auto);
        assert!(!config.dev);
        assert_eq!(config.trust_policy().threshold, 1);
    }

    #[test]
    fn missing_manifest_names_the_attribute() {
        let err = Config::from_attributes(get_from(&[("public-key", KEY_A)])).unwrap_err();
        assert_eq!(err.attribute, "manifest");
        assert!(err.to_string().contains("\"manifest\" attribute"));
    }

    #[test]
    fn missing_or_bad_key_names_public_key() {
        let err = Config::from_attributes(get_from(&[("manifest", "/m.json")])).unwrap_err();
        assert_eq!(err.attribute, "public-key");
        let err = Config::from_attributes(get_from(&[
            ("manifest", "/m.json"),
            ("public-key", "not-a-key"),
        ]))
        .unwrap_err();
        assert_eq!(err.attribute, "public-key");
        assert!(err.problem.contains("key 1"));
    }

    #[test]
    fn several_keys_by_comma_or_space_and_duplicates_collapse() {
        let value = format!("{KEY_A}, {KEY_A}");
        let config = Config::from_attributes(get_from(&[
            ("manifest", "/m.json"),
            ("public-key", value.as_str()),
        ]))
        .unwrap();
        assert_eq!(config.public_keys.len(), 1);
    }

    #[test]
    fn threshold_is_checked_against_key_count() {
        for bad in ["0", "2", "two", "-1"] {
            let err = Config::from_attributes(get_from(&[
                ("manifest", "/m.json"),
                ("public-key", KEY_A),
                ("threshold", bad),
            ]))
            .unwrap_err();
            assert_eq!(err.attribute, "threshold", "value {bad}");
        }
    }

    #[test]
    fn theme_lang_and_dev() {
        let config = Config::from_attributes(get_from(&[
            ("manifest", "/m.json"),
            ("public-key", KEY_A),
            ("theme", "Dark"),
            ("lang", "en-GB"),
            ("dev", ""),
        ]))
        .unwrap();
        assert_eq!(config.theme, Theme::Dark);
        assert_eq!(config.lang, "en-GB");
        assert!(config.dev);

        let err = Config::from_attributes(get_from(&[
            ("manifest", "/m.json"),
            ("public-key", KEY_A),
            ("theme", "purple"),
        ]))
        .unwrap_err();
        assert_eq!(err.attribute, "theme");
        let err = Config::from_attributes(get_from(&[
            ("manifest", "/m.json"),
            ("public-key", KEY_A),
            ("lang", "en_GB!"),
        ]))
        .unwrap_err();
        assert_eq!(err.attribute, "lang");
    }

    #[test]
    fn key_set_id_is_order_independent() {
        let config =
            Config::from_attributes(get_from(&[("manifest", "/m.json"), ("public-key", KEY_A)]))
                .unwrap();
        assert_eq!(config.key_set_id().len(), 64);
    }
}
