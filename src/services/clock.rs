//! The visitor's local calendar date, read once per widget load.

use trust_manifest::Date;

/// Today's date in the visitor's local time zone (in the browser), or UTC natively.
pub fn today_local() -> Date {
    #[cfg(target_arch = "wasm32")]
    {
        let now = js_sys::Date::new_0();
        let year = i32::try_from(now.get_full_year()).unwrap_or(1970);
        let month = u8::try_from(now.get_month() + 1).unwrap_or(1);
        let day = u8::try_from(now.get_date()).unwrap_or(1);
        Date::from_ymd(year, month, day).unwrap_or(Date::MIN)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_secs())
            .unwrap_or(0);
        let days = i64::try_from(seconds / 86_400).unwrap_or(0);
        Date::from_days_since_epoch(days).unwrap_or(Date::MIN)
    }
}
