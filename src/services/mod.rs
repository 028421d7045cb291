//! Side effects of the widget, kept out of the components: network, local storage, the clock.

pub mod clock;
pub mod http;
pub mod last_visit;
pub mod manifest_fetch;
pub mod rollback;
pub mod storage;
