//! [`DecodeError`]: why a manifest or an envelope could not be read, as the JSON path of the
//! value at fault and the [`DecodeProblem`] found there. Its `Display` is the one text the
//! widget's error panel and `trustctl` both show for the same mistake.

use std::fmt;

use crate::json::JsonError;

/// The first problem found while reading a manifest or an envelope.
///
/// Displayed as `path: problem`, e.g. `soc2.report.period_start: expected a date like
/// 2026-01-31, found the string "2026-02-30"`, or as the problem alone when it concerns the
/// whole document (the text is not JSON, or not an object).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Where the problem is: field names and list indexes, e.g. `documents[2].kind`; empty for
    /// the whole document.
    pub path: String,
    /// What is wrong there.
    pub problem: DecodeProblem,
}

/// What is wrong at the [`DecodeError::path`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeProblem {
    /// The text is not one well-formed JSON value in UTF-8 (with the line and column).
    Syntax(JsonError),
    /// A field that must be present is missing.
    Missing,
    /// A field appears more than once in the same object.
    Duplicate,
    /// The value is of the wrong kind or out of range.
    Mismatch {
        /// What the field holds, e.g. `a date like 2026-01-31` or `one of "public", "nda"`.
        expected: String,
        /// What was found instead, e.g. `the string "2026-02-30"` or `an array`.
        found: String,
    },
}

impl DecodeError {
    /// A problem at `path` (empty for the whole document).
    #[cold]
    #[inline(never)]
    pub fn new(path: String, problem: DecodeProblem) -> DecodeError {
        DecodeError { path, problem }
    }

    /// The text is not JSON: a problem with the whole document.
    #[cold]
    #[inline(never)]
    pub fn syntax(error: JsonError) -> DecodeError {
        DecodeError::new(String::new(), DecodeProblem::Syntax(error))
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            f.write_str(&self.path)?;
            f.write_str(": ")?;
        }
        fmt::Display::fmt(&self.problem, f)
    }
}

impl fmt::Display for DecodeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeProblem::Syntax(error) => fmt::Display::fmt(error, f),
            DecodeProblem::Missing => f.write_str("this field is required but missing"),
            DecodeProblem::Duplicate => f.write_str("this field appears more than once"),
            DecodeProblem::Mismatch { expected, found } => {
                f.write_str("expected ")?;
                f.write_str(expected)?;
                f.write_str(", found ")?;
                f.write_str(found)
            }
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.problem {
            DecodeProblem::Syntax(error) => Some(error),
            _ => None,
        }
    }
}
