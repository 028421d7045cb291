//! `use_verified_manifest`: fetch → verify → evaluate, once per configuration.

use std::rc::Rc;

use yew::prelude::*;

use crate::config::Config;
use crate::i18n::Tr;
use crate::services::signature_check::{self, Refusal};
use crate::services::{clock, last_visit, manifest_fetch, rollback};
use crate::state::{LoadError, LoadState, VerifiedPage};

/// Loads the envelope at `config.manifest_url`, verifies it against the pinned keys and returns
/// the state to render. Today's date is read once, when the hook first runs. Retrying is done by
/// calling the returned callback. Without a configuration (the host attributes are wrong) nothing
/// is loaded and the state stays `Loading`; the caller shows the configuration error instead.
///
/// ```ignore
/// let (state, retry) = use_verified_manifest(Some(&config), tr);
/// ```
#[hook]
pub fn use_verified_manifest(config: Option<&Config>, tr: Tr) -> (LoadState, Callback<()>) {
    // Today's date, the attempt number and the state of the current attempt share one state
    // (each state type is a hook instantiation in the wasm). The date is read when the hook first
    // runs and kept on retries.
    let load = use_state(|| Load {
        today: clock::today_local(),
        attempt: 0,
        state: LoadState::Loading,
    });
    let (today, attempt) = (load.today, load.attempt);

    {
        let load = load.clone();
        let config = config.cloned();
        use_effect_with((config.clone(), attempt, tr), move |_| {
            let Some(config) = config else { return };
            let settle = move |state| {
                load.set(Load {
                    today,
                    attempt,
                    state,
                })
            };
            settle(LoadState::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                settle(load_and_verify(&config, today, tr).await);
            });
        });
    }

    let retry = {
        let load = load.clone();
        Callback::from(move |()| {
            load.set(Load {
                today,
                attempt: attempt.wrapping_add(1),
                state: LoadState::Loading,
            })
        })
    };
    (load.state.clone(), retry)
}

/// The hook's state: the date the statuses are computed for, which attempt this is (a retry
/// starts the next one) and how that attempt stands.
#[derive(Clone, PartialEq)]
struct Load {
    today: trust_manifest::Date,
    attempt: u32,
    state: LoadState,
}

async fn load_and_verify(config: &Config, today: trust_manifest::Date, tr: Tr) -> LoadState {
    let bytes = match manifest_fetch::fetch_envelope_bytes(
        &config.manifest_url,
        trust_manifest::MAX_ENVELOPE_BYTES,
    )
    .await
    {
        Ok(bytes) => bytes,
        Err(error) => return LoadState::Failed(error),
    };
    match signature_check::open_envelope(&bytes, &config.trust_policy(), today).await {
        Ok(verified) => {
            let mut page = VerifiedPage::from_verified(verified, today, config.dev);
            page.tr = tr;
            let key_set_id = config.key_set_id();
            page.rollback = rollback::check_and_remember(&key_set_id, page.manifest.version);
            // Read before the page renders; recorded only after it did (`embed`).
            page.last_seen_version = last_visit::read(&last_visit::storage_key(&key_set_id));
            LoadState::Verified(Rc::new(page))
        }
        Err(Refusal::Verify(error)) => LoadState::Failed(LoadError::verify(&error)),
        Err(Refusal::NoWebCrypto) => LoadState::Failed(LoadError::no_web_crypto()),
    }
}
