//! `with_class`: sets an element's finished `class` string without Yew's `Classes` set.
//!
//! Size trick (docs/build.md, "Size budget"): `html!` turns every non-literal `class={…}` into a
//! `Classes` set (an `IndexSet` with its hashing) before joining it back into the attribute
//! string; with no `class={…}` left in the widget, that code is gone from the wasm. Where a class
//! depends on state, the element is written with its base class as a literal (`class="tc-x"`,
//! always a true class of the element, never a placeholder) and `with_class` replaces that value
//! in the attribute list the macro built. It does not go through `VTag::add_attribute`, which
//! would turn the list into an `IndexMap` and bring that map's insertion and hashing code (and,
//! through `Rc::make_mut`, `VTag`'s clone) into the wasm: together about 2.5 KB gzip.
//!
//! The two list shapes the macro builds for an element with a literal class are handled (the
//! tests below build both); anything else is a mistake at the call site, caught by a debug
//! assertion when the SSR tests render it.

use std::rc::Rc;

use yew::prelude::*;
use yew::virtual_dom::{AttributeOrProperty, Attributes};

/// `node` (one element fresh from `html!`, written with a literal base `class`) with its class
/// set to `class`.
pub fn with_class(node: Html, class: &'static str) -> Html {
    set_class(node, AttrValue::Static(class))
}

/// [`with_class`] with a class string built at run time.
pub fn with_class_string(node: Html, class: String) -> Html {
    set_class(node, AttrValue::from(class))
}

fn set_class(mut node: Html, class: AttrValue) -> Html {
    let mut done = false;
    // A node fresh from `html!` is not shared yet, so `get_mut` succeeds.
    if let Html::VTag(tag) = &mut node {
        if let Some(tag) = Rc::get_mut(tag) {
            let value = Some(AttributeOrProperty::Attribute(class));
            match &mut tag.attributes {
                // Other attributes are dynamic: the literal `class` is one slot of the list.
                Attributes::Dynamic { keys, values } => {
                    if let Some(slot) = keys
                        .iter()
                        .position(|key| *key == "class")
                        .and_then(|index| values.get_mut(index))
                    {
                        *slot = value;
                        done = true;
                    }
                }
                // Only the literal `class`: a static list, replaced by a one-slot dynamic list.
                Attributes::Static([("class", _)]) => {
                    tag.attributes = Attributes::Dynamic {
                        keys: &["class"],
                        values: Box::new([value]),
                    };
                    done = true;
                }
                _ => {}
            }
        }
    }
    debug_assert!(
        done,
        "with_class: write the element with a literal class and no other literal-only attributes"
    );
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(node: &Html) -> Vec<(String, String)> {
        let Html::VTag(tag) = node else {
            panic!("not an element")
        };
        tag.attributes
            .iter()
            .map(|(key, value)| (key.to_owned(), value.to_owned()))
            .collect()
    }

    #[test]
    fn replaces_the_literal_class_among_dynamic_attributes() {
        let id = String::from("x");
        let node = with_class(
            html! { <li {id} class="tc-a" tabindex="-1"></li> },
            "tc-a tc-a--b",
        );
        let attrs = attributes(&node);
        assert!(
            attrs.contains(&("class".into(), "tc-a tc-a--b".into())),
            "{attrs:?}"
        );
        assert!(attrs.contains(&("id".into(), "x".into())), "{attrs:?}");
        assert!(
            attrs.contains(&("tabindex".into(), "-1".into())),
            "{attrs:?}"
        );
        assert_eq!(attrs.len(), 3);
    }

    #[test]
    fn replaces_a_lone_literal_class() {
        let node = with_class_string(html! { <span class="tc-a"></span> }, "tc-a tc-a--c".into());
        assert_eq!(
            attributes(&node),
            vec![("class".to_owned(), "tc-a tc-a--c".to_owned())]
        );
    }
}
