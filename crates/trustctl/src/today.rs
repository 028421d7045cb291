//! Today's date: the system clock (UTC) unless `--today` overrides it. Only trustctl reads the
//! clock; the manifest library always takes "today" as a parameter.

use std::time::{SystemTime, UNIX_EPOCH};

use trust_manifest::Date;

use crate::exit::{CliError, CliResult, IO};

/// Today's UTC date, or `override_date` when given.
pub fn today(override_date: Option<Date>) -> CliResult<Date> {
    if let Some(date) = override_date {
        return Ok(date);
    }
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| {
            CliError::new(
                IO,
                "the system clock is set before 1970; fix the clock or pass --today YYYY-MM-DD",
            )
        })?
        .as_secs();
    let days = i64::try_from(seconds / 86_400).map_err(|_| {
        CliError::new(
            IO,
            "the system clock is out of range; pass --today YYYY-MM-DD",
        )
    })?;
    Date::from_days_since_epoch(days).ok_or_else(|| {
        CliError::new(
            IO,
            "the system clock is out of range; pass --today YYYY-MM-DD",
        )
    })
}
