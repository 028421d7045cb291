//! `use_verified_manifest`: fetch → verify → evaluate, once per configuration.

use std::rc::Rc;

use yew::prelude::*;

use crate::config::Config;
use crate::services::{clock, manifest_fetch, rollback};
use crate::state::{LoadError, LoadState, VerifiedPage};

/// Loads the envelope at `config.manifest_url`, verifies it against the pinned keys and returns
/// the state to render. Today's date is read once, when the hook first runs. Retrying is done by
/// calling the returned callback. Without a configuration (the host attributes are wrong) nothing
/// is loaded and the state stays `Loading`; the caller shows the configuration error instead.
///
/// ```ignore
/// let (state, retry) = use_verified_manifest(Some(&config));
/// ```
#[hook]
pub fn use_verified_manifest(config: Option<&Config>) -> (LoadState, Callback<()>) {
    // Today's date and the retry count share one state (one hook instantiation less in the
    // wasm); the date is read when the hook first runs and kept on retries.
    let attempt = use_state(|| (clock::today_local(), 0_u32));
    let (today, count) = *attempt;
    let state = use_state(|| LoadState::Loading);

    {
        let state = state.clone();
        let config = config.cloned();
        use_effect_with((config.clone(), count), move |_| {
            let Some(config) = config else { return };
            state.set(LoadState::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                let next = load(&config, today).await;
                state.set(next);
            });
        });
    }

    let retry = {
        let attempt = attempt.clone();
        Callback::from(move |()| attempt.set((today, count.wrapping_add(1))))
    };
    ((*state).clone(), retry)
}

async fn load(config: &Config, today: trust_manifest::Date) -> LoadState {
    let bytes = match manifest_fetch::fetch_envelope_bytes(
        &config.manifest_url,
        trust_manifest::MAX_ENVELOPE_BYTES,
    )
    .await
    {
        Ok(bytes) => bytes,
        Err(error) => return LoadState::Failed(error),
    };
    match trust_manifest::open_envelope(&bytes, &config.trust_policy(), today) {
        Ok(verified) => {
            let mut page = VerifiedPage::from_verified(verified, today, config.dev);
            page.rollback =
                rollback::check_and_remember(&config.key_set_id(), page.manifest.version);
            LoadState::Verified(Rc::new(page))
        }
        Err(error) => LoadState::Failed(LoadError::verify(&error)),
    }
}
