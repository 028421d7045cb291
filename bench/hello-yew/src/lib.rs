//! A minimal Yew "hello" app, built exactly like the widget (profile `wasm-release`,
//! wasm-bindgen `--target web`, the same wasm-opt flags) so that `scripts/bench.sh` can show how
//! much of the widget bundle is Yew's own floor and how much is the widget.

use yew::prelude::*;

/// The whole app: one paragraph.
#[component]
pub fn Hello() -> Html {
    html! { <p class="hello">{ "Hello from Yew" }</p> }
}

/// Renders [`Hello`] into `document.body` as soon as the module is instantiated.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    yew::Renderer::<Hello>::new().render();
}
