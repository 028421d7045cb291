//! The built-in content (crate::content) in the page language. The content modules keep the
//! English text; the translations are the catalogue's `mirror.compare.*`, `mirror.faq.*` and
//! `mirror.guide.*` messages, laid out in the content's order so that a row or question finds its
//! messages by position (tests/i18n_catalogue.rs checks that the English messages are exactly the
//! content's text, position by position).

use crate::content::{ComparisonRow, FrameworkQuestion, FRAMEWORK_FAQ};

use super::{Msg, Tr};

/// Messages per comparison row: `criterion`, `iso`, `soc2` (their ids sort in that order).
const PER_ROW: usize = 3;

/// Messages per built-in question: `a1`, `a2`, `q`.
pub const PER_QUESTION: usize = 3;

/// A comparison row's criterion, SOC 2 and ISO/IEC 27001 cells.
pub fn comparison_row(tr: Tr, row: &ComparisonRow) -> [&'static str; 3] {
    let first = Msg::MirrorCompare01Criterion as usize + PER_ROW * row.id as usize;
    [
        tr.mirror_at(first, row.criterion),
        tr.mirror_at(first + 2, row.soc2),
        tr.mirror_at(first + 1, row.iso27001),
    ]
}

/// A built-in question and its answer paragraphs.
pub fn faq_question(tr: Tr, question: &FrameworkQuestion) -> (&'static str, Vec<&'static str>) {
    let position = FRAMEWORK_FAQ
        .iter()
        .position(|q| q.id == question.id)
        .unwrap_or_default();
    let first = Msg::MirrorFaq1A1 as usize + PER_QUESTION * position;
    let mut paragraphs = Vec::with_capacity(question.answer.len());
    for (index, paragraph) in question.answer.iter().enumerate() {
        paragraphs.push(tr.mirror_at(first + index, paragraph));
    }
    (tr.mirror_at(first + 2, question.question), paragraphs)
}
