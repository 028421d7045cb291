//! Built-in reference texts shown on every trust page: the SOC 2® vs ISO/IEC 27001 comparison,
//! the framework FAQ and the rules of the "Which do you need?" guide, kept as plain Rust data so
//! they can be rendered, searched and tested without a browser.

pub mod comparison;
pub mod faq;
pub mod guide;

pub use comparison::{ComparisonRow, RowId, COMPARISON_ROWS};
pub use faq::{FrameworkQuestion, FRAMEWORK_FAQ};
pub use guide::{recommend, Choice, Need, Reason, Recommendation, Region};
