//! Whole numbers written as plain ASCII digits, read by one loop. The manifest's numbers, the
//! parts of its dates and the widget's few numeric texts (attributes, headers, stored values) all
//! go through [`value`], so the widget's WebAssembly carries this one loop instead of the
//! standard library's parser for each integer type.

/// The value of `text` if it is one or more ASCII digits (no sign, space or other character) and
/// fits in a `u64`; `None` otherwise.
pub fn value(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    let mut number: u64 = 0;
    for byte in text.bytes() {
        if !byte.is_ascii_digit() {
            return None;
        }
        number = number
            .checked_mul(10)?
            .checked_add(u64::from(byte - b'0'))?;
    }
    Some(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_only_and_within_u64() {
        for text in [
            "",
            "0",
            "007",
            "42",
            "+7",
            "-1",
            " 1",
            "1 ",
            "1_000",
            "4294967296",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999",
            "١٢",
        ] {
            let by_std = text
                .parse::<u64>()
                .ok()
                .filter(|_| text.bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(value(text), by_std, "{text:?}");
        }
    }
}
