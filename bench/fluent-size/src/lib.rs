//! Size probe: one exported function formats a plural message with a variable, either through
//! fluent-bundle (feature `fluent`, the FTL resource parsed at run time as the widget would do
//! with a downloaded language file) or by plain string concatenation (the baseline).

use wasm_bindgen::prelude::*;

#[cfg(feature = "fluent")]
#[wasm_bindgen]
pub fn format(ftl: String, lang: String, days: f64) -> String {
    use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
    let Ok(resource) = FluentResource::try_new(ftl) else { return String::new() };
    let Ok(id) = lang.parse::<unic_langid::LanguageIdentifier>() else { return String::new() };
    let mut bundle = FluentBundle::new(vec![id]);
    if bundle.add_resource(resource).is_err() {
        return String::new();
    }
    let Some(message) = bundle.get_message("days") else { return String::new() };
    let Some(pattern) = message.value() else { return String::new() };
    let mut args = FluentArgs::new();
    args.set("count", days);
    let mut errors = vec![];
    bundle.format_pattern(pattern, Some(&args), &mut errors).into_owned()
}

#[cfg(not(feature = "fluent"))]
#[wasm_bindgen]
pub fn format(ftl: String, lang: String, days: f64) -> String {
    format!("{ftl}{lang}{days}")
}
