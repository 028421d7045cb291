//! Side effects of the widget, kept out of the components: network, local storage, the clock,
//! the browser's signature checks.

pub mod clock;
pub mod http;
pub mod last_visit;
pub mod manifest_fetch;
pub mod rollback;
pub mod signature_check;
pub mod storage;
