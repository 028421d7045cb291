//! The framework FAQ: built-in SOC 2® / ISO/IEC 27001 questions plus the vendor's own, with
//! instant accent-insensitive search, `<mark>` highlighting, an accessible accordion and deep
//! links (`#faq-<id>`) that open and scroll to an entry.

use std::rc::Rc;

use trust_manifest::FaqEntry;
use yew::prelude::*;

use super::faq_items::{
    answer_has_match, count_message_in, faq_items_in, item_for_hash, item_matches, FaqItem,
    FaqSource,
};
use crate::components::class_attr::with_class;
use crate::i18n::{Msg, Tr};
use crate::search::{highlight, terms};

/// Properties of [`FrameworkFaq`].
#[derive(Properties, PartialEq, Clone)]
pub struct FrameworkFaqProps {
    /// The vendor's questions from the verified manifest, shown after the built-in ones.
    #[prop_or_default]
    pub vendor_entries: Vec<FaqEntry>,
    /// For each vendor entry, the language of its texts when they are not in the page language
    /// (the manifest does not translate them); `None` or missing: they are.
    #[prop_or_default]
    pub vendor_lang: Vec<Option<String>>,
    /// The page language's texts.
    pub tr: Tr,
}

/// The ids of the open entries: a set kept as a sorted vector (a few hundred ids at most; a
/// `BTreeSet` would add its tree code to the wasm for no gain).
#[derive(Clone, Debug, Default, PartialEq)]
struct OpenSet(Vec<String>);

impl OpenSet {
    fn contains(&self, id: &str) -> bool {
        self.0.iter().any(|open| open == id)
    }

    /// Adds `id`; false if it was already there.
    fn insert(&mut self, id: String) -> bool {
        let at = self.0.partition_point(|open| *open < id);
        if self.0.get(at) == Some(&id) {
            return false;
        }
        self.0.insert(at, id);
        true
    }

    /// Removes `id`; false if it was not there.
    fn remove(&mut self, id: &str) -> bool {
        match self.0.iter().position(|open| open == id) {
            Some(at) => {
                self.0.remove(at);
                true
            }
            None => false,
        }
    }
}

/// Search text, open entries and a pending scroll request.
#[derive(Clone, Debug, Default, PartialEq)]
struct FaqState {
    query: String,
    open: OpenSet,
    scroll_to: Option<String>,
    scroll_nonce: u32,
}

enum FaqAction {
    /// New search text; `open` lists the entries whose answer matches.
    Search { query: String, open: OpenSet },
    /// Open or close one entry.
    Toggle(String),
    /// Open an entry from a deep link and scroll it into view (clears the search).
    Reveal(String),
}

impl Reducible for FaqState {
    type Action = FaqAction;

    fn reduce(self: Rc<Self>, action: FaqAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            FaqAction::Search { query, open } => {
                next.query = query;
                next.open = open;
            }
            FaqAction::Toggle(id) => {
                if !next.open.remove(&id) {
                    next.open.insert(id);
                }
            }
            FaqAction::Reveal(id) => {
                next.query.clear();
                next.open.insert(id.clone());
                next.scroll_to = Some(id);
                next.scroll_nonce = next.scroll_nonce.wrapping_add(1);
            }
        }
        Rc::new(next)
    }
}

/// Renders text with every match of `terms` wrapped in `<mark>` (built as nodes, never HTML).
pub fn highlighted(text: &str, terms: &[String]) -> Vec<Html> {
    let mut nodes = Vec::new();
    for segment in highlight(text, terms) {
        nodes.push(if segment.highlighted {
            html! { <mark class="tc-faq__mark">{ segment.text }</mark> }
        } else {
            html! { { segment.text } }
        });
    }
    nodes
}

/// The searchable accordion of framework and vendor questions. The surrounding page supplies
/// the section heading (`h2`); questions are `h3`.
#[component]
pub fn FrameworkFaq(props: &FrameworkFaqProps) -> Html {
    let tr = props.tr;
    let items = use_memo(
        (props.vendor_entries.clone(), props.vendor_lang.clone(), tr),
        |(entries, langs, tr)| faq_items_in(*tr, entries, langs),
    );
    let state = use_reducer(FaqState::default);
    // `use_ref` rather than `use_node_ref`: that hook keeps the ref in a `use_state`, which adds
    // a whole state-handle instantiation to the wasm for a value that never changes.
    let container = use_ref(NodeRef::default);

    // Deep links: read the fragment after mounting and whenever it changes.
    {
        let items = items.clone();
        let dispatcher = state.dispatcher();
        use_effect_with(items, move |items| {
            let listener = deep_link::listen(items.clone(), dispatcher);
            move || drop(listener)
        });
    }
    // Scroll to (and focus) an entry opened by a deep link once it is rendered open.
    {
        let container = container.clone();
        let target = state.scroll_to.clone();
        use_effect_with(state.scroll_nonce, move |_| {
            if let Some(id) = target {
                deep_link::scroll_into_view(&container, &id);
            }
        });
    }

    let search_terms = terms(&state.query);

    let oninput = {
        let items = items.clone();
        let dispatcher = state.dispatcher();
        Callback::from(move |event: InputEvent| {
            let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let query = input.value();
            let found = terms(&query);
            let mut open = OpenSet::default();
            if !found.is_empty() {
                for item in items.iter() {
                    if item_matches(item, &found) && answer_has_match(item, &found) {
                        open.insert(item.dom_id.clone());
                    }
                }
            }
            dispatcher.dispatch(FaqAction::Search { query, open });
        })
    };
    let clear = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            dispatcher.dispatch(FaqAction::Search {
                query: String::new(),
                open: OpenSet::default(),
            })
        })
    };

    let render_item = |item: &FaqItem| -> Html {
        let open = state.open.contains(&item.dom_id);
        let button_id = format!("{}-button", item.dom_id);
        let panel_id = format!("{}-panel", item.dom_id);
        let onclick = {
            let dispatcher = state.dispatcher();
            let id = item.dom_id.clone();
            Callback::from(move |_: MouseEvent| dispatcher.dispatch(FaqAction::Toggle(id.clone())))
        };
        let class = if open {
            "tc-faq__item tc-faq__item--open"
        } else {
            "tc-faq__item"
        };
        let mut answer = Vec::new();
        for paragraph in &item.paragraphs {
            answer.push(html! { <p>{ highlighted(paragraph, &search_terms) }</p> });
        }
        let item_html = html! {
            <div id={item.dom_id.clone()} key={item.dom_id.clone()} class="tc-faq__item">
                <h3 class="tc-faq__question">
                    <button type="button" class="tc-faq__toggle" id={button_id.clone()}
                            aria-expanded={if open { "true" } else { "false" }} aria-controls={panel_id.clone()}
                            {onclick}>
                        <span class="tc-faq__question-text" lang={item.lang.clone()}>
                            { highlighted(&item.question, &search_terms) }
                        </span>
                        <span class="tc-faq__icon" aria-hidden="true"></span>
                    </button>
                </h3>
                <div class="tc-faq__answer" id={panel_id} role="region" lang={item.lang.clone()}
                     aria-labelledby={button_id} hidden={!open}>
                    { answer }
                </div>
            </div>
        };
        with_class(item_html, class)
    };

    let mut framework = Vec::new();
    let mut vendor = Vec::new();
    for item in items.iter() {
        if !item_matches(item, &search_terms) {
            continue;
        }
        match item.source {
            FaqSource::Framework => framework.push(render_item(item)),
            FaqSource::Vendor => vendor.push(render_item(item)),
        }
    }
    let shown = framework.len() + vendor.len();
    let count = count_message_in(tr, shown, items.len(), &state.query);

    html! {
        <div class="tc-faq" ref={(*container).clone()}>
            <div class="tc-faq__search" role="search">
                <label for="tc-faq-search" class="tc-faq__search-label">
                    { tr.get(Msg::FaqSearchLabel) }
                </label>
                <input id="tc-faq-search" class="tc-faq__search-input" type="search"
                       autocomplete="off" spellcheck="false"
                       placeholder={tr.get(Msg::FaqSearchPlaceholder)}
                       aria-describedby="tc-faq-count"
                       value={state.query.clone()} {oninput} />
            </div>
            <p id="tc-faq-count" class="tc-faq__count" role="status" aria-live="polite"
               aria-atomic="true">
                { count }
            </p>
            if shown == 0 {
                <div class="tc-faq__empty">
                    <p>{ tr.get(Msg::FaqEmpty) }</p>
                    <button type="button" class="tc-button tc-button--secondary" onclick={clear}>
                        { tr.get(Msg::FaqClear) }
                    </button>
                </div>
            }
            if !framework.is_empty() {
                <div class="tc-faq__group">
                    if !vendor.is_empty() {
                        <p class="tc-faq__group-title">{ tr.get(Msg::FaqGroupFramework) }</p>
                    }
                    { framework }
                </div>
            }
            if !vendor.is_empty() {
                <div class="tc-faq__group">
                    <p class="tc-faq__group-title">{ tr.get(Msg::FaqGroupVendor) }</p>
                    { vendor }
                </div>
            }
        </div>
    }
}

/// Browser side of deep links; only called from effects, never while rendering.
mod deep_link {
    use std::rc::Rc;

    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use yew::{NodeRef, UseReducerDispatcher};

    use super::{item_for_hash, FaqAction, FaqItem, FaqState};

    /// A registered `hashchange` listener; removed when dropped.
    pub struct HashListener {
        closure: Option<Closure<dyn Fn()>>,
    }

    impl Drop for HashListener {
        fn drop(&mut self) {
            if let (Some(window), Some(closure)) = (web_sys::window(), self.closure.take()) {
                let _ = window.remove_event_listener_with_callback(
                    "hashchange",
                    closure.as_ref().unchecked_ref(),
                );
            }
        }
    }

    fn reveal_current(items: &[FaqItem], dispatcher: &UseReducerDispatcher<FaqState>) {
        let Some(hash) = web_sys::window().and_then(|w| w.location().hash().ok()) else {
            return;
        };
        if let Some(item) = item_for_hash(items, &hash) {
            dispatcher.dispatch(FaqAction::Reveal(item.dom_id.clone()));
        }
    }

    /// Opens the entry named by the current fragment and keeps listening for changes.
    pub fn listen(
        items: Rc<Vec<FaqItem>>,
        dispatcher: UseReducerDispatcher<FaqState>,
    ) -> HashListener {
        reveal_current(&items, &dispatcher);
        let Some(window) = web_sys::window() else {
            return HashListener { closure: None };
        };
        let closure = Closure::<dyn Fn()>::new(move || reveal_current(&items, &dispatcher));
        let added = window
            .add_event_listener_with_callback("hashchange", closure.as_ref().unchecked_ref())
            .is_ok();
        HashListener {
            closure: added.then_some(closure),
        }
    }

    /// Scrolls the entry with element id `id` into view and focuses its toggle button.
    pub fn scroll_into_view(container: &NodeRef, id: &str) {
        let Some(root) = container.cast::<web_sys::Element>() else {
            return;
        };
        let Ok(Some(entry)) = root.query_selector(&format!("#{id}")) else {
            return;
        };
        entry.scroll_into_view();
        if let Ok(Some(button)) = root.query_selector(&format!("#{id}-button")) {
            if let Ok(button) = button.dyn_into::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        }
    }
}
