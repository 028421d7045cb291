//! Small text formatting helpers shared by the components (dates, sizes, day counts).

use trust_manifest::Date;
use yew::prelude::*;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A date as people read it, e.g. "28 Nov 2026".
pub fn date(date: Date) -> String {
    let month = MONTHS
        .get(usize::from(date.month().saturating_sub(1)))
        .copied()
        .unwrap_or("");
    format!("{} {} {}", date.day(), month, date.year())
}

/// "in 12 days", "today", "3 days ago".
pub fn relative_days(days: i64) -> String {
    match days {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        d if d > 0 => format!("in {d} days"),
        d => format!("{} days ago", -d),
    }
}

/// A byte count such as "1.2 MB" or "840 KB".
pub fn bytes(size: u64) -> String {
    const KB: u64 = 1_000;
    const MB: u64 = 1_000_000;
    if size >= MB {
        format!("{}.{} MB", size / MB, (size % MB) / 100_000)
    } else if size >= KB {
        format!("{} KB", size.div_ceil(KB))
    } else {
        format!("{size} bytes")
    }
}

/// The first `n` characters of a hex digest, for display.
pub fn hex_prefix(hex: &str, n: usize) -> String {
    let mut prefix = String::new();
    for c in hex.chars().take(n) {
        prefix.push(c);
    }
    prefix
}

/// One row of a definition list: `<div><dt>label</dt><dd>value</dd></div>`.
pub fn fact(label: &str, value: Html) -> Html {
    html! { <div class="tc-facts__row"><dt>{label.to_owned()}</dt><dd>{value}</dd></div> }
}

/// `node`, an element written with `html!` without a `class` or with a literal placeholder
/// `class="…"`, with its `class` attribute set to `class` (the same attribute, in the same last
/// position, as `class={…}` in the macro). The macro turns every non-literal `class` value into
/// Yew's `Classes` set first; setting the finished string here keeps that set's code out of the
/// wasm. The value goes into the attribute list the macro built (Yew's `Dynamic` form), not
/// through `VTag::add_attribute`, which would turn the list into an `IndexMap` and pull that
/// map's hashing and insertion code into the wasm as well.
///
/// An element whose other attributes are all literals (a static list) cannot take the value, as
/// such a list has no slot for it: give it a literal class instead (see `icons`).
pub fn with_class(node: Html, class: AttrValue) -> Html {
    with_optional_class(node, Some(class))
}

/// [`with_class`], or with no `class` attribute at all when `class` is `None` (the placeholder is
/// removed too).
pub fn with_optional_class(mut node: Html, class: Option<AttrValue>) -> Html {
    use yew::virtual_dom::{AttributeOrProperty, Attributes};

    // A node fresh from `html!` is not shared yet, so `get_mut` succeeds and nothing is copied.
    if let Html::VTag(tag) = &mut node {
        if let Some(tag) = std::rc::Rc::get_mut(tag) {
            let value = class.map(AttributeOrProperty::Attribute);
            match &mut tag.attributes {
                // Other attributes are dynamic: the macro put the placeholder `class` last.
                Attributes::Dynamic { keys, values } => {
                    if let Some(slot) = keys
                        .iter()
                        .position(|key| *key == "class")
                        .and_then(|index| values.get_mut(index))
                    {
                        *slot = value;
                    }
                }
                // No attribute, or only the placeholder `class`.
                Attributes::Static(list) if list.iter().all(|(key, _)| *key == "class") => {
                    tag.attributes = Attributes::Dynamic {
                        keys: &["class"],
                        values: Box::new([value]),
                    };
                }
                _ => debug_assert!(false, "with_class: the element cannot take a class"),
            }
        }
    }
    node
}

/// A `<time>` element showing `date` in words with the ISO date as `datetime`.
pub fn time(date: Date) -> Html {
    html! { <time datetime={date.to_string()}>{self::date(date)}</time> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let day = Date::from_ymd(2026, 11, 28).unwrap();
        assert_eq!(date(day), "28 Nov 2026");
        assert_eq!(relative_days(0), "today");
        assert_eq!(relative_days(5), "in 5 days");
        assert_eq!(relative_days(-3), "3 days ago");
        assert_eq!(bytes(1_250_000), "1.2 MB");
        assert_eq!(bytes(840_001), "841 KB");
        assert_eq!(bytes(12), "12 bytes");
        assert_eq!(hex_prefix("abcdef", 4), "abcd");
    }
}
