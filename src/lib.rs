//! The trust-center widget: verifies a signed manifest in the visitor's browser and renders the
//! trust page inside a shadow root.
