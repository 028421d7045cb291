//! A small, strict RFC 8259 JSON reader: bytes → a [`Value`] tree. It is what the browser uses
//! to read the DSSE envelope and the manifest (see [`crate::decode`]), so that the widget's
//! WebAssembly carries no serde_json and no floating-point parsing code.
//!
//! - The whole input must be UTF-8 (no byte-order mark) and hold exactly one value, with only
//!   JSON whitespace (space, tab, line feed, carriage return) around it.
//! - Strings: control characters U+0000–U+001F must be escaped; only the escapes of RFC 8259
//!   (`\" \\ \/ \b \f \n \r \t \uXXXX`) are valid; a `\u` escape of a UTF-16 surrogate must be a
//!   high surrogate directly followed by a low one.
//! - Numbers follow the RFC grammar (no leading zeros, no `+`, no bare `.`, no `NaN`) and are
//!   kept as their text ([`Value::Number`]); nothing here parses floating point.
//! - Objects keep their members in document order, duplicates included: whoever reads the tree
//!   decides what a duplicate means (the decoders refuse duplicates of the fields they read).
//! - Depth: containers nested up to [`MAX_DEPTH`] levels deep are read into the tree. Deeper ones
//!   are still checked for correct syntax — without recursion, so no input can exhaust the stack —
//!   but are kept only as [`Value::TooDeep`]. This is serde_json's limit (it refuses the 128th
//!   level) and, like serde_json, it leaves deeply nested content in ignored fields readable.
//!
//! Errors say what was expected, in plain words, with the line and column (in bytes, from 1).

use std::borrow::Cow;
use std::fmt;

/// Containers nested this many levels deep (the outermost one is level 1) are read into the
/// tree; deeper ones become [`Value::TooDeep`].
pub const MAX_DEPTH: usize = 127;

/// One JSON value. Strings without escapes borrow from the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, exactly as written (it matches the RFC 8259 grammar).
    Number(&'a str),
    /// A string, escapes decoded.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object: its members in document order, duplicate names included.
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
    /// An array or object nested more than [`MAX_DEPTH`] levels deep: its syntax was checked,
    /// its content was not kept.
    TooDeep,
}

impl Value<'_> {
    /// What kind of value this is, for error messages: "null", "a string", "an array", ….
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(true) => "true",
            Value::Bool(false) => "false",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
            Value::TooDeep => "a value nested too deeply",
        }
    }
}

/// Why the input is not one well-formed JSON value, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset of the problem, from 0.
    pub offset: usize,
    /// Line of the problem, from 1.
    pub line: usize,
    /// Column of the problem in bytes, from 1.
    pub column: usize,
    /// What is wrong, e.g. "expected ',' or '}' after an object member".
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {}, column {}",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for JsonError {}

/// Reads `bytes` as exactly one JSON value.
pub fn parse(bytes: &[u8]) -> Result<Value<'_>, JsonError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            return Err(error_at(
                bytes,
                error.valid_up_to(),
                "the text is not UTF-8: this byte is not part of a valid character".to_owned(),
            ))
        }
    };
    let mut reader = Reader {
        text,
        bytes,
        pos: 0,
    };
    let value = reader.value(0).map_err(|error| *error)?;
    reader.skip_whitespace();
    if reader.pos < bytes.len() {
        return Err(*reader.error("unexpected text after the end of the JSON value"));
    }
    Ok(value)
}

/// `text` between `quote` marks for an error message, escaped as Rust's `{:?}` escapes ASCII:
/// `\\`, the quote mark itself, `\n`, `\r`, `\t`, `\0` and other control characters as
/// `\u{7f}`. Other characters stay as they are. Written out instead of using `{:?}` so that the
/// widget's bundle can be built without `Debug` formatting (`-Zfmt-debug=none`).
pub fn quoted(text: &str, quote: char) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {
                out.push_str("\\u{");
                let code = u32::from(c);
                let digits = (32 - code.leading_zeros()).div_ceil(4).max(1);
                for shift in (0..digits).rev() {
                    let nibble = (code >> (shift * 4)) & 0xf;
                    out.push(char::from_digit(nibble, 16).unwrap_or('0'));
                }
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn error_at(bytes: &[u8], offset: usize, message: String) -> JsonError {
    let offset = offset.min(bytes.len());
    // The line breaks before the offset give the line and where it starts.
    let mut line = 1;
    let mut line_start = 0;
    for (at, &byte) in bytes[..offset].iter().enumerate() {
        if byte == b'\n' {
            line += 1;
            line_start = at + 1;
        }
    }
    JsonError {
        offset,
        line,
        column: offset - line_start + 1,
        message,
    }
}

/// The bytes that end a run of ordinary string content: `"`, `\\` and the control characters.
static STOPS_A_STRING: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// What the reader's steps return: errors are boxed, so the common `Ok` case moves little.
type Read<T> = Result<T, Box<JsonError>>;

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn error(&self, message: &str) -> Box<JsonError> {
        self.error_at(self.pos, message.to_owned())
    }

    fn error_at(&self, offset: usize, message: String) -> Box<JsonError> {
        Box::new(error_at(self.bytes, offset, message))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Skips whitespace and consumes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        let found = self.peek() == Some(byte);
        self.pos += usize::from(found);
        found
    }

    fn expect(&mut self, byte: u8, message: &str) -> Read<()> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.unexpected(message))
        }
    }

    /// "expected …" at the current position, noting the end of the input if that is where we are.
    fn unexpected(&self, expected: &str) -> Box<JsonError> {
        match self.peek() {
            None => self.error_at(
                self.pos,
                format!("unexpected end of the text: expected {expected}"),
            ),
            Some(_) => {
                let found = self.text[self.pos..].chars().next().unwrap_or('?');
                let found = quoted(found.encode_utf8(&mut [0; 4]), '\'');
                self.error_at(self.pos, format!("expected {expected}, found {found}"))
            }
        }
    }

    /// One value; `depth` is the number of containers around it.
    fn value(&mut self, depth: usize) -> Read<Value<'a>> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{' | b'[') if depth >= MAX_DEPTH => {
                self.skip_nested()?;
                Ok(Value::TooDeep)
            }
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            _ => self.scalar(),
        }
    }

    /// A string, number or literal.
    fn scalar(&mut self) -> Read<Value<'a>> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => Ok(Value::Number(self.number()?)),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            _ => {
                Err(self
                    .unexpected("a value (an object, array, string, number, true, false or null)"))
            }
        }
    }

    fn literal(&mut self, word: &str, value: Value<'a>) -> Read<Value<'a>> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error_at(
                self.pos,
                format!(
                    "expected the word {word} (JSON words are true, false and null, in lowercase)"
                ),
            ))
        }
    }

    fn object(&mut self, depth: usize) -> Read<Value<'a>> {
        self.pos += 1; // '{'
        let mut members = Vec::new();
        if self.eat(b'}') {
            return Ok(Value::Object(members));
        }
        loop {
            let key = self.key()?;
            let value = self.value(depth)?;
            members.push((key, value));
            if self.eat(b'}') {
                return Ok(Value::Object(members));
            }
            self.expect(b',', "',' or '}' after an object member")?;
        }
    }

    fn array(&mut self, depth: usize) -> Read<Value<'a>> {
        self.pos += 1; // '['
        let mut items = Vec::new();
        if self.eat(b']') {
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            if self.eat(b']') {
                return Ok(Value::Array(items));
            }
            self.expect(b',', "',' or ']' after an array element")?;
        }
    }

    /// An object member's name and the colon after it.
    fn key(&mut self) -> Read<Cow<'a, str>> {
        self.skip_whitespace();
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("a member name in double quotes"));
        }
        let key = self.string()?;
        self.expect(b':', "':' after the member name")?;
        Ok(key)
    }

    /// Checks the syntax of an array or object without keeping it and without recursion: the
    /// brackets still open are a stack of bytes.
    fn skip_nested(&mut self) -> Read<()> {
        let mut open: Vec<u8> = Vec::new();
        loop {
            // A value is expected here.
            self.skip_whitespace();
            match self.peek() {
                Some(b'[') => {
                    self.pos += 1;
                    if !self.eat(b']') {
                        open.push(b']');
                        continue;
                    }
                }
                Some(b'{') => {
                    self.pos += 1;
                    if !self.eat(b'}') {
                        open.push(b'}');
                        self.key()?;
                        continue;
                    }
                }
                _ => {
                    self.scalar()?;
                }
            }
            // A value has ended: close what ends here, then expect the next element or member.
            loop {
                let Some(&close) = open.last() else {
                    return Ok(());
                };
                if self.eat(close) {
                    open.pop();
                } else if close == b']' {
                    self.expect(b',', "',' or ']' after an array element")?;
                    break;
                } else {
                    self.expect(b',', "',' or '}' after an object member")?;
                    self.key()?;
                    break;
                }
            }
        }
    }

    /// A number's text. Grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Read<&'a str> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error("numbers may not have leading zeros"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.required_digits("a digit after the decimal point")?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.required_digits("a digit in the exponent")?;
        }
        Ok(&self.text[start..self.pos])
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn required_digits(&mut self, expected: &str) -> Read<()> {
        match self.peek() {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            _ => Err(self.unexpected(expected)),
        }
    }

    /// Moves past ordinary string bytes: up to the next quote, backslash or control character
    /// (or the end of the input). Eight bytes at a time while it can, like serde_json.
    fn skip_plain(&mut self) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let mut chunks = self.bytes[self.pos..].chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            let x = u64::from_le_bytes(word);
            let quote = x ^ (ONES * u64::from(b'"'));
            let backslash = x ^ (ONES * u64::from(b'\\'));
            // A high bit is set for the first byte that is a quote, a backslash or below 0x20
            // (bits above it may be set spuriously; only the lowest one is used).
            let stops = (quote.wrapping_sub(ONES) & !quote
                | backslash.wrapping_sub(ONES) & !backslash
                | x.wrapping_sub(ONES * 0x20) & !x)
                & HIGH;
            if stops != 0 {
                self.pos += (stops.trailing_zeros() / 8) as usize;
                return;
            }
            self.pos += 8;
        }
        let rest = chunks.remainder();
        self.pos += rest
            .iter()
            .position(|&byte| STOPS_A_STRING[usize::from(byte)])
            .unwrap_or(rest.len());
    }

    /// A string starting at the opening quote. Borrows from the input unless it has escapes.
    fn string(&mut self) -> Read<Cow<'a, str>> {
        self.pos += 1; // '"'
        let start = self.pos;
        self.skip_plain();
        match self.peek() {
            Some(b'"') => {
                let text = &self.text[start..self.pos];
                self.pos += 1;
                return Ok(Cow::Borrowed(text));
            }
            Some(b'\\') => {}
            Some(byte) => return Err(self.control_character(byte)),
            None => return Err(self.unterminated(start)),
        }
        let mut owned = String::from(&self.text[start..self.pos]);
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(owned));
                }
                Some(b'\\') => owned.push(self.escape()?),
                Some(byte) => return Err(self.control_character(byte)),
                None => return Err(self.unterminated(start)),
            }
            let run = self.pos;
            self.skip_plain();
            owned.push_str(&self.text[run..self.pos]);
        }
    }

    fn control_character(&self, byte: u8) -> Box<JsonError> {
        self.error_at(self.pos, format!(
            "control character U+{byte:04X} inside a string (it must be written as an escape such as \\n or \\u{byte:04x})"
        ))
    }

    fn unterminated(&self, start: usize) -> Box<JsonError> {
        self.error_at(
            start - 1,
            "this string has no closing double quote".to_owned(),
        )
    }

    /// One escape sequence starting at the backslash.
    fn escape(&mut self) -> Read<char> {
        let at = self.pos;
        self.pos += 1; // '\\'
        let Some(byte) = self.peek() else {
            return Err(self.unterminated(at));
        };
        self.pos += 1;
        let simple =
            match byte {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => return self.unicode_escape(at),
                _ => return Err(self.error_at(
                    at,
                    "invalid escape: after a backslash only \" \\ / b f n r t or uXXXX may follow"
                        .to_owned(),
                )),
            };
        Ok(simple)
    }

    /// `\uXXXX`, or a surrogate pair `\uD8xx\uDCxx`; `at` is the position of the backslash.
    fn unicode_escape(&mut self, at: usize) -> Read<char> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.bytes[self.pos..].starts_with(b"\\u") {
                    return Err(self.lone_surrogate(at, first));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.lone_surrogate(at, first));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.lone_surrogate(at, first)),
            _ => first,
        };
        char::from_u32(code).ok_or_else(|| self.lone_surrogate(at, first))
    }

    fn lone_surrogate(&self, at: usize, unit: u32) -> Box<JsonError> {
        self.error_at(
            at,
            format!("\\u{unit:04x} is half of a UTF-16 surrogate pair without its other half"),
        )
    }

    fn hex4(&mut self) -> Read<u32> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|byte| char::from(byte).to_digit(16))
                .ok_or_else(|| self.unexpected("four hexadecimal digits after \\u"))?;
            code = code * 16 + digit;
            self.pos += 1;
        }
        Ok(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_matches_debug_for_ascii_and_letters() {
        let mut samples: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        samples.extend(
            [
                "",
                "plain",
                "a \"quoted\" \\ path\n",
                "Zürich – Ελλάδα",
                "it's",
            ]
            .map(String::from),
        );
        for text in &samples {
            assert_eq!(quoted(text, '"'), format!("{text:?}"), "string {text:?}");
        }
        for c in (0u8..0x80).map(char::from).chain(['é', 'λ']) {
            assert_eq!(
                quoted(c.encode_utf8(&mut [0; 4]), '\''),
                format!("{c:?}"),
                "char {c:?}"
            );
        }
    }

    fn ok(text: &str) -> Value<'_> {
        parse(text.as_bytes()).unwrap_or_else(|error| panic!("{text:?}: {error}"))
    }

    fn err(text: &[u8]) -> JsonError {
        match parse(text) {
            Ok(value) => panic!(
                "{:?} was accepted as {value:?}",
                String::from_utf8_lossy(text)
            ),
            Err(error) => error,
        }
    }

    #[test]
    fn reads_every_kind_of_value() {
        assert_eq!(ok(" null "), Value::Null);
        assert_eq!(ok("true"), Value::Bool(true));
        assert_eq!(ok("false"), Value::Bool(false));
        for number in ["0", "-0", "12", "-3.25", "1e5", "1E+05", "2.5e-3", "-0.0e0"] {
            assert_eq!(ok(number), Value::Number(number));
        }
        assert_eq!(
            ok(r#"{"b":[1,"x",{}],"a":null,"b":2}"#),
            Value::Object(vec![
                (
                    "b".into(),
                    Value::Array(vec![
                        Value::Number("1"),
                        Value::String("x".into()),
                        Value::Object(vec![])
                    ])
                ),
                ("a".into(), Value::Null),
                ("b".into(), Value::Number("2")),
            ])
        );
        assert_eq!(ok("\t[ ]\r\n"), Value::Array(vec![]));
    }

    #[test]
    fn decodes_escapes_and_borrows_plain_strings() {
        let Value::String(plain) = ok(r#""plain é""#) else {
            panic!("not a string")
        };
        assert!(matches!(plain, Cow::Borrowed("plain é")));
        assert_eq!(
            ok(r#""a\"\\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00z""#),
            Value::String("a\"\\/\u{8}\u{c}\n\r\tAé😀z".into())
        );
        assert_eq!(
            ok(r#"{"k\u0065y":1}"#),
            Value::Object(vec![("key".into(), Value::Number("1"))])
        );
    }

    #[test]
    fn finds_the_end_of_plain_string_runs_at_every_offset() {
        for length in 0..24 {
            let plain = "aé\u{7f}\u{80}ÿ~ "
                .chars()
                .cycle()
                .take(length)
                .collect::<String>();
            assert_eq!(
                ok(&format!("\"{plain}\"")),
                Value::String(plain.as_str().into())
            );
            assert_eq!(
                ok(&format!("\"{plain}\\n{plain}\"")),
                Value::String(format!("{plain}\n{plain}").into())
            );
            for stop in ['\u{0}', '\u{1f}', '\n'] {
                assert!(parse(format!("\"{plain}{stop}{plain}\"").as_bytes()).is_err());
            }
            assert!(parse(format!("\"{plain}").as_bytes()).is_err());
        }
    }

    #[test]
    fn refuses_what_rfc_8259_does_not_allow() {
        for bad in [
            &b""[..],
            b"   ",
            b"01",
            b"-01",
            b"1.",
            b".5",
            b"+1",
            b"1e",
            b"1e+",
            b"-",
            b"NaN",
            b"Infinity",
            b"tru",
            b"True",
            b"nul",
            b"[1,]",
            b"[1 2]",
            b"{\"a\":1,}",
            b"{\"a\" 1}",
            b"{a:1}",
            b"{'a':1}",
            b"{\"a\":1",
            b"[",
            b"\"abc",
            b"\"a\\x\"",
            b"\"a\\u12\"",
            b"\"a\\u12G4\"",
            b"\"\\ud800\"",
            b"\"\\udc00\"",
            b"\"\\ud800\\u0041\"",
            b"\"\\ud800x\"",
            b"\"tab\there\"",
            b"\"nul\x00\"",
            b"\"\x1f\"",
            b"1 2",
            b"{} {}",
            b"[]x",
            b"\xef\xbb\xbf{}",
            b"\"\xff\"",
            b"\"\xed\xa0\x80\"",
            b"{\"a\":1}\x00",
            b"\x0c1",
        ] {
            err(bad);
        }
    }

    #[test]
    fn errors_say_where_and_what() {
        let error = err(b"{\n  \"a\": 1,\n  \"b\" 2\n}");
        assert_eq!((error.line, error.column, error.offset), (3, 7, 18));
        assert_eq!(
            error.to_string(),
            "expected ':' after the member name, found '2' at line 3, column 7"
        );
        assert_eq!(
            err(b"[1, 2").to_string(),
            "unexpected end of the text: expected ',' or ']' after an array element at line 1, column 6"
        );
        assert_eq!(
            err(b"{\"a\":01}").message,
            "numbers may not have leading zeros"
        );
        assert!(err(b"\"\\ud800\"").message.contains("surrogate"));
        assert!(err(b"\"a\nb\"")
            .message
            .contains("control character U+000A"));
        assert_eq!(
            err(b"[] 1").message,
            "unexpected text after the end of the JSON value"
        );
        let utf8 = err(b"[\"\xc3\"]");
        assert_eq!((utf8.offset, utf8.column), (2, 3));
        assert!(utf8.message.contains("not UTF-8"));
    }

    fn nested(depth: usize) -> String {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }

    /// How many containers wrap the innermost value of a single-child chain, and that value.
    fn descend(mut value: Value<'_>) -> (usize, Value<'_>) {
        let mut levels = 0;
        loop {
            value = match value {
                Value::Array(mut items) if items.len() == 1 => items.pop().unwrap_or(Value::Null),
                Value::Object(mut members) if members.len() == 1 => {
                    members.pop().map_or(Value::Null, |(_, v)| v)
                }
                other => return (levels, other),
            };
            levels += 1;
        }
    }

    #[test]
    fn keeps_127_levels_and_checks_deeper_ones_without_recursion() {
        assert_eq!(
            descend(ok(&nested(MAX_DEPTH))),
            (MAX_DEPTH - 1, Value::Array(vec![]))
        );
        assert_eq!(
            descend(ok(&nested(MAX_DEPTH + 1))),
            (MAX_DEPTH, Value::TooDeep)
        );
        let deep_objects = format!("{}1{}", "{\"a\":".repeat(500_000), "}".repeat(500_000));
        assert_eq!(descend(ok(&deep_objects)), (MAX_DEPTH, Value::TooDeep));
        assert_eq!(descend(ok(&nested(500_000))), (MAX_DEPTH, Value::TooDeep));
        // Syntax errors deep down are still found.
        for bad in [
            format!("{}1,]{}", "[".repeat(300), "]".repeat(299)),
            format!("{}{}", "[".repeat(300), "]".repeat(299)),
            format!("{}{}", "[".repeat(300), "]".repeat(301)),
            format!("{}{{\"a\"}}{}", "[".repeat(300), "]".repeat(300)),
            format!("{}{{\"a\":1}}}}{}", "[".repeat(300), "]".repeat(300)),
            format!("{}[\"\\q\"]{}", "[".repeat(300), "]".repeat(300)),
            format!("{}[01]{}", "[".repeat(300), "]".repeat(300)),
            format!("{}{{\"a\":1,}}{}", "[".repeat(300), "]".repeat(300)),
            format!("{}[1,]{}", "[".repeat(300), "]".repeat(300)),
        ] {
            err(bad.as_bytes());
        }
        for good in [
            format!(
                "{}1,{{}},[],{{\"a\":[true,null]}}{}",
                "[".repeat(300),
                "]".repeat(300)
            ),
            format!(
                "{}{{\"a\":1,\"b\":{{}}}}{}",
                "[".repeat(300),
                "]".repeat(300)
            ),
        ] {
            ok(&good);
        }
    }
}
