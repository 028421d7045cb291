//! Small text formatting helpers shared by the components (dates, sizes, day counts), in the
//! page's language (see [`crate::i18n`]).

use trust_manifest::Date;
use yew::prelude::*;

use crate::i18n::{Msg, Tr};

/// A date as people read it in the page's language, e.g. "28 Nov 2026" / "28. Nov. 2026".
pub fn date(tr: Tr, date: Date) -> String {
    // The month's abbreviation: the month-th of the space-separated `date.months`.
    let mut months = tr.get(Msg::DateMonths);
    for _ in 1..date.month() {
        months = months.split_once(' ').map_or("", |(_, rest)| rest);
    }
    let month = months.split_once(' ').map_or(months, |(month, _)| month);
    tr.fill(
        Msg::DateFormat,
        &[
            ("day", &date.day().to_string()),
            ("month", month),
            ("year", &date.year().to_string()),
        ],
    )
}

/// "in 12 days", "today", "3 days ago".
pub fn relative_days(tr: Tr, days: i64) -> String {
    match days {
        0 => tr.get(Msg::DaysToday).to_owned(),
        1 => tr.get(Msg::DaysTomorrow).to_owned(),
        -1 => tr.get(Msg::DaysYesterday).to_owned(),
        d if d > 0 => tr.plural(Msg::DaysIn, d, &[]),
        d => tr.plural(Msg::DaysAgo, -d, &[]),
    }
}

/// A byte count such as "1.2 MB" or "840 KB" (units and decimal mark of the language).
pub fn bytes(tr: Tr, size: u64) -> String {
    const KB: u64 = 1_000;
    const MB: u64 = 1_000_000;
    if size >= MB {
        let number = format!(
            "{}{}{}",
            size / MB,
            tr.get(Msg::NumberDecimal),
            (size % MB) / 100_000
        );
        tr.fill(Msg::SizeMb, &[("n", &number)])
    } else if size >= KB {
        tr.fill(Msg::SizeKb, &[("n", &size.div_ceil(KB).to_string())])
    } else {
        tr.plural(Msg::SizeBytes, i64::try_from(size).unwrap_or(0), &[])
    }
}

/// The first `n` characters of a hex digest, for display.
pub fn hex_prefix(hex: &str, n: usize) -> String {
    let mut prefix = String::new();
    for c in hex.chars().take(n) {
        prefix.push(c);
    }
    prefix
}

/// One row of a definition list: `<div><dt>label</dt><dd>value</dd></div>`.
pub fn fact(label: &str, value: Html) -> Html {
    html! { <div class="tc-facts__row"><dt>{label.to_owned()}</dt><dd>{value}</dd></div> }
}

/// A `<time>` element showing `date` in words with the ISO date as `datetime`.
pub fn time(tr: Tr, date: Date) -> Html {
    html! { <time datetime={date.to_string()}>{self::date(tr, date)}</time> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let tr = Tr::english();
        let day = Date::from_ymd(2026, 11, 28).unwrap();
        assert_eq!(date(tr, day), "28 Nov 2026");
        assert_eq!(relative_days(tr, 0), "today");
        assert_eq!(relative_days(tr, 5), "in 5 days");
        assert_eq!(relative_days(tr, -3), "3 days ago");
        assert_eq!(bytes(tr, 1_250_000), "1.2 MB");
        assert_eq!(bytes(tr, 840_001), "841 KB");
        assert_eq!(bytes(tr, 12), "12 bytes");
        assert_eq!(bytes(tr, 1), "1 byte");
        assert_eq!(hex_prefix("abcdef", 4), "abcd");
    }
}
