//! The heap allocator of the widget's WebAssembly: Talc instead of Rust's default for wasm32
//! (dlmalloc). The bundle is downloaded by every visitor, and Talc's code is smaller: about 2 KB
//! gzip less, measured on the widget with `scripts/build-widget.sh`. Talc is also the faster of
//! the two in its authors' wasm benchmarks; the widget's own are in `scripts/bench.sh`.
//!
//! `disable-realloc-in-place` drops Talc's grow/shrink-in-place code (another ~150 bytes gzip):
//! a growing `Vec` or `String` is then always copied to a new block, which costs little for the
//! sizes the widget handles (at most one envelope of `MAX_ENVELOPE_BYTES`).
//!
//! Native builds (tests, SSR) keep the system allocator.

#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
