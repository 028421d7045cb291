//! Small text formatting helpers shared by the components (dates, sizes, day counts).

use trust_manifest::Date;
use yew::prelude::*;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A date as people read it, e.g. "28 Nov 2026".
pub fn date(date: Date) -> String {
    let month = MONTHS
        .get(usize::from(date.month().saturating_sub(1)))
        .copied()
        .unwrap_or("");
    format!("{} {} {}", date.day(), month, date.year())
}

/// "in 12 days", "today", "3 days ago".
pub fn relative_days(days: i64) -> String {
    match days {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        d if d > 0 => format!("in {d} days"),
        d => format!("{} days ago", -d),
    }
}

/// A byte count such as "1.2 MB" or "840 KB".
pub fn bytes(size: u64) -> String {
    const KB: u64 = 1_000;
    const MB: u64 = 1_000_000;
    if size >= MB {
        format!("{}.{} MB", size / MB, (size % MB) / 100_000)
    } else if size >= KB {
        format!("{} KB", size.div_ceil(KB))
    } else {
        format!("{size} bytes")
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
pub fn time(date: Date) -> Html {
    html! { <time datetime={date.to_string()}>{self::date(date)}</time> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let day = Date::from_ymd(2026, 11, 28).unwrap();
        assert_eq!(date(day), "28 Nov 2026");
        assert_eq!(relative_days(0), "today");
        assert_eq!(relative_days(5), "in 5 days");
        assert_eq!(relative_days(-3), "3 days ago");
        assert_eq!(bytes(1_250_000), "1.2 MB");
        assert_eq!(bytes(840_001), "841 KB");
        assert_eq!(bytes(12), "12 bytes");
        assert_eq!(hex_prefix("abcdef", 4), "abcd");
    }
}
