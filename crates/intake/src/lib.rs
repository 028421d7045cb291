//! Intake service for NDA-gated report requests.
