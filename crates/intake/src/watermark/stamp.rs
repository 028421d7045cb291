//! Stamping every page of a PDF with lopdf.
//!
//! For each page the stamp:
//! 1. copies the inherited attributes (`Resources`, `MediaBox`, `CropBox`, `Rotate`) down from the page
//!    tree onto the page itself, so the additions below never change a resource dictionary that other
//!    pages share;
//! 2. wraps the existing content in `q … Q`, so whatever graphics state the page leaves behind (a
//!    transformation, a clipping path, a colour) cannot distort the stamp; a `q` the content itself
//!    leaves open is closed as well;
//! 3. draws, through a transformation that undoes `/Rotate`, a margin text (small, dark grey, 75 %
//!    opacity) along the bottom of the visible area (CropBox ∩ MediaBox) and two large, very light
//!    (12 % opacity) diagonal lines across its centre; the content beneath stays readable;
//! 4. records the request in the document information dictionary (see [`super::metadata`]).
//!
//! The result is a complete rewrite of the file (lopdf saves with a single cross-reference table), so
//! earlier incremental updates are folded in and no older revision of the pages survives next to the
//! stamped one.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::metadata;
use super::text::{hex_string, to_win_ansi, wrap, StampFacts};
use super::Unstampable;

/// Resource names the stamp adds; [`free_name`] picks another if a page already uses one.
const FONT_NAME: &str = "TCWmFont";
const MARGIN_STATE_NAME: &str = "TCWmMargin";
const DIAGONAL_STATE_NAME: &str = "TCWmDiagonal";
/// Courier's advance width in text space units per point of font size.
const COURIER_ADVANCE: f32 = 0.6;
/// A page tree deeper than this is treated as malformed (and protects against reference cycles).
const MAX_TREE_DEPTH: usize = 64;

/// Parses `original`, stamps every page with `facts` and returns the new file.
pub fn stamp_pdf(original: &[u8], facts: &StampFacts) -> Result<Vec<u8>, Unstampable> {
    let mut document = load(original)?;
    let pages: Vec<ObjectId> = document.get_pages().into_values().collect();
    if pages.is_empty() {
        return Err(Unstampable::Malformed("the document has no pages".into()));
    }
    let font = document.add_object(courier_font());
    let margin_state = document.add_object(opacity_state(0.75));
    let diagonal_state = document.add_object(opacity_state(0.12));
    for page in pages {
        stamp_page(
            &mut document,
            page,
            facts,
            font,
            margin_state,
            diagonal_state,
        )?;
    }
    metadata::record(&mut document, facts);
    let mut out = Vec::with_capacity(original.len() + 4096);
    document
        .save_to(&mut out)
        .map_err(|e| Unstampable::Malformed(format!("the stamped file cannot be written: {e}")))?;
    Ok(out)
}

/// Loads a PDF, refusing anything that is not one, cannot be parsed, or is encrypted.
pub fn load(bytes: &[u8]) -> Result<Document, Unstampable> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(Unstampable::NotPdf);
    }
    let document = Document::load_mem(bytes).map_err(|e| {
        if matches!(e, lopdf::Error::Decryption(_)) {
            Unstampable::Encrypted
        } else {
            Unstampable::Malformed(e.to_string())
        }
    })?;
    if document.was_encrypted() || document.is_encrypted() || document.trailer.has(b"Encrypt") {
        return Err(Unstampable::Encrypted);
    }
    Ok(document)
}

fn courier_font() -> Object {
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Subtype", Object::Name(b"Type1".to_vec()));
    font.set("BaseFont", Object::Name(b"Courier".to_vec()));
    font.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
    Object::Dictionary(font)
}

fn opacity_state(alpha: f32) -> Object {
    let mut state = Dictionary::new();
    state.set("Type", Object::Name(b"ExtGState".to_vec()));
    state.set("ca", Object::Real(alpha));
    state.set("CA", Object::Real(alpha));
    Object::Dictionary(state)
}

/// Follows references until a direct object (bounded, so a reference cycle is an error, not a hang).
fn resolve<'a>(document: &'a Document, mut object: &'a Object) -> Result<&'a Object, Unstampable> {
    for _ in 0..MAX_TREE_DEPTH {
        match object {
            Object::Reference(id) => {
                object = document.get_object(*id).map_err(|e| {
                    Unstampable::Malformed(format!("object {} {} is missing: {e}", id.0, id.1))
                })?;
            }
            direct => return Ok(direct),
        }
    }
    Err(Unstampable::Malformed(
        "a reference chain does not end".into(),
    ))
}

/// A page attribute from the page itself or the nearest ancestor in the page tree that has it.
fn inherited(
    document: &Document,
    page: ObjectId,
    key: &[u8],
) -> Result<Option<Object>, Unstampable> {
    let mut node = page;
    for _ in 0..MAX_TREE_DEPTH {
        let dictionary = document
            .get_dictionary(node)
            .map_err(|e| Unstampable::Malformed(format!("a page tree node is missing: {e}")))?;
        if let Ok(value) = dictionary.get(key) {
            return Ok(Some(resolve(document, value)?.clone()));
        }
        match dictionary.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) => node = parent,
            Err(_) => return Ok(None),
        }
    }
    Err(Unstampable::Malformed(
        "the page tree is too deep or cyclic".into(),
    ))
}

/// `[x0 y0 x1 y1]` normalised so that x0 < x1 and y0 < y1.
fn rectangle(document: &Document, object: &Object) -> Option<[f32; 4]> {
    let items = resolve(document, object).ok()?.as_array().ok()?;
    if items.len() != 4 {
        return None;
    }
    let mut numbers = [0.0f32; 4];
    for (slot, item) in numbers.iter_mut().zip(items) {
        *slot = resolve(document, item).ok()?.as_float().ok()?;
    }
    let [a, b, c, d] = numbers;
    let rect = [a.min(c), b.min(d), a.max(c), b.max(d)];
    (rect[2] - rect[0] > 1.0 && rect[3] - rect[1] > 1.0).then_some(rect)
}

fn rectangle_object(rect: [f32; 4]) -> Object {
    Object::Array(rect.iter().map(|v| Object::Real(*v)).collect())
}

/// A dictionary-valued entry of `resources` (direct or referenced), cloned, or an empty one.
fn sub_dictionary(document: &Document, resources: &Dictionary, key: &[u8]) -> Dictionary {
    resources
        .get(key)
        .ok()
        .and_then(|value| resolve(document, value).ok())
        .and_then(|value| value.as_dict().ok())
        .cloned()
        .unwrap_or_default()
}

/// `wanted`, or `wanted` with a number appended when the dictionary already has that key.
fn free_name(dictionary: &Dictionary, wanted: &str) -> String {
    if !dictionary.has(wanted.as_bytes()) {
        return wanted.to_string();
    }
    (1..)
        .map(|n| format!("{wanted}{n}"))
        .find(|name| !dictionary.has(name.as_bytes()))
        .unwrap_or_else(|| wanted.to_string())
}

fn stamp_page(
    document: &mut Document,
    page: ObjectId,
    facts: &StampFacts,
    font: ObjectId,
    margin_state: ObjectId,
    diagonal_state: ObjectId,
) -> Result<(), Unstampable> {
    let resources = match inherited(document, page, b"Resources")? {
        Some(Object::Dictionary(resources)) => resources,
        _ => Dictionary::new(),
    };
    let media_box = inherited(document, page, b"MediaBox")?
        .and_then(|b| rectangle(document, &b))
        .unwrap_or([0.0, 0.0, 612.0, 792.0]);
    let crop_box = inherited(document, page, b"CropBox")?
        .and_then(|b| rectangle(document, &b))
        .unwrap_or(media_box);
    let rotate = inherited(document, page, b"Rotate")?
        .and_then(|r| r.as_i64().ok())
        .unwrap_or(0);
    let visible = intersect(media_box, crop_box).unwrap_or(media_box);

    let mut fonts = sub_dictionary(document, &resources, b"Font");
    let mut states = sub_dictionary(document, &resources, b"ExtGState");
    let font_name = free_name(&fonts, FONT_NAME);
    fonts.set(font_name.as_bytes(), Object::Reference(font));
    let margin_name = free_name(&states, MARGIN_STATE_NAME);
    states.set(margin_name.as_bytes(), Object::Reference(margin_state));
    let diagonal_name = free_name(&states, DIAGONAL_STATE_NAME);
    states.set(diagonal_name.as_bytes(), Object::Reference(diagonal_state));
    let mut own_resources = resources;
    own_resources.set("Font", Object::Dictionary(fonts));
    own_resources.set("ExtGState", Object::Dictionary(states));

    let names = Names {
        font: &font_name,
        margin: &margin_name,
        diagonal: &diagonal_name,
    };
    let unclosed = unclosed_saves(document, page);
    let drawing = stamp_content(visible, rotate, facts, &names, unclosed);
    let opening = document.add_object(Stream::new(Dictionary::new(), b"q\n".to_vec()));
    let closing = document.add_object(Stream::new(Dictionary::new(), drawing.into_bytes()));

    let existing = existing_contents(document, page)?;
    let mut contents = Vec::with_capacity(existing.len() + 2);
    contents.push(Object::Reference(opening));
    contents.extend(existing);
    contents.push(Object::Reference(closing));

    let dictionary = document
        .get_dictionary_mut(page)
        .map_err(|e| Unstampable::Malformed(format!("a page is missing: {e}")))?;
    dictionary.set("Resources", Object::Dictionary(own_resources));
    dictionary.set("MediaBox", rectangle_object(media_box));
    if crop_box != media_box {
        dictionary.set("CropBox", rectangle_object(crop_box));
    }
    if rotate != 0 {
        dictionary.set("Rotate", Object::Integer(rotate));
    }
    dictionary.set("Contents", Object::Array(contents));
    Ok(())
}

/// The page's content streams as references (a page without content gets an empty list).
fn existing_contents(document: &Document, page: ObjectId) -> Result<Vec<Object>, Unstampable> {
    let dictionary = document
        .get_dictionary(page)
        .map_err(|e| Unstampable::Malformed(format!("a page is missing: {e}")))?;
    let Ok(contents) = dictionary.get(b"Contents") else {
        return Ok(Vec::new());
    };
    match contents {
        Object::Reference(id) => match document.get_object(*id) {
            Ok(Object::Array(items)) => Ok(items.clone()),
            Ok(Object::Stream(_)) => Ok(vec![Object::Reference(*id)]),
            _ => Err(Unstampable::Malformed(
                "a page's /Contents is neither a stream nor an array".into(),
            )),
        },
        Object::Array(items) => Ok(items.clone()),
        _ => Err(Unstampable::Malformed(
            "a page's /Contents is not a reference".into(),
        )),
    }
}

fn intersect(a: [f32; 4], b: [f32; 4]) -> Option<[f32; 4]> {
    let rect = [
        a[0].max(b[0]),
        a[1].max(b[1]),
        a[2].min(b[2]),
        a[3].min(b[3]),
    ];
    (rect[2] - rect[0] > 1.0 && rect[3] - rect[1] > 1.0).then_some(rect)
}

struct Names<'a> {
    font: &'a str,
    margin: &'a str,
    diagonal: &'a str,
}

/// The matrix from "viewer space" (origin at the bottom left of the page as displayed, after `/Rotate`)
/// to the page's user space, and the displayed width and height.
fn viewer_transform(visible: [f32; 4], rotate: i64) -> ([f32; 6], f32, f32) {
    let [x0, y0, x1, y1] = visible;
    let (w, h) = (x1 - x0, y1 - y0);
    match rotate.rem_euclid(360) {
        90 => ([0.0, 1.0, -1.0, 0.0, x1, y0], h, w),
        180 => ([-1.0, 0.0, 0.0, -1.0, x1, y1], w, h),
        270 => ([0.0, -1.0, 1.0, 0.0, x0, y1], h, w),
        _ => ([1.0, 0.0, 0.0, 1.0, x0, y0], w, h),
    }
}

fn number(value: f32) -> String {
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" || text.is_empty() {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// How many `q` the page's own content leaves open (sloppy producers do): the stamp closes them too, so
/// their transformation cannot shrink, move or clip it. A content stream that cannot be parsed counts as
/// balanced.
fn unclosed_saves(document: &Document, page: ObjectId) -> usize {
    let Ok(content) = document.get_page_content(page) else {
        return 0;
    };
    let Ok(content) = lopdf::content::Content::decode(&content) else {
        return 0;
    };
    let mut depth: usize = 0;
    for operation in &content.operations {
        match operation.operator.as_str() {
            "q" => depth += 1,
            "Q" => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth
}

/// The stamp's content stream: closes the `q` opened before the original content (and any the content
/// left open), then draws.
fn stamp_content(
    visible: [f32; 4],
    rotate: i64,
    facts: &StampFacts,
    names: &Names<'_>,
    unclosed: usize,
) -> String {
    let (matrix, width, height) = viewer_transform(visible, rotate);
    let cm = matrix
        .iter()
        .map(|v| number(*v))
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::from("\n");
    out.push_str(&"Q ".repeat(unclosed.min(64)));
    out.push_str("Q\n");

    // Margin text along the bottom edge, wrapped to the width.
    let margin = (width * 0.04).clamp(6.0, 36.0);
    let size = (width / 90.0).clamp(4.0, 7.5);
    let per_line = ((width - 2.0 * margin) / (size * COURIER_ADVANCE))
        .floor()
        .max(8.0) as usize;
    let lines = wrap(&to_win_ansi(&facts.margin_text()), per_line);
    let leading = size * 1.25;
    out.push_str(&format!(
        "q {cm} cm /{} gs BT 0.25 g /{} {} Tf {} TL {} {} Td\n",
        names.margin,
        names.font,
        number(size),
        number(leading),
        number(margin),
        number((margin * 0.5).max(4.0) + leading * (lines.len().saturating_sub(1)) as f32),
    ));
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            out.push_str("T* ");
        }
        out.push_str(&hex_string(line));
        out.push_str(" Tj\n");
    }
    out.push_str("ET Q\n");

    // Two large diagonal lines across the centre, light enough to read the page through.
    let diagonal = (width * width + height * height).sqrt();
    let (sin, cos) = (height / diagonal, width / diagonal);
    let lines = facts.diagonal_lines().map(|line| to_win_ansi(&line));
    let longest = lines.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32;
    let size = (diagonal * 0.75 / (longest * COURIER_ADVANCE)).clamp(6.0, 54.0);
    out.push_str(&format!(
        "q {cm} cm /{} gs BT 0.5 g /{} {} Tf\n",
        names.diagonal,
        names.font,
        number(size)
    ));
    for (index, line) in lines.iter().enumerate() {
        let text_width = line.len() as f32 * size * COURIER_ADVANCE;
        // Centre each line on the diagonal; the first sits above it, the second below.
        let offset = if index == 0 {
            size * 0.35
        } else {
            -size * 1.05
        };
        let x = width / 2.0 - cos * text_width / 2.0 - sin * offset;
        let y = height / 2.0 - sin * text_width / 2.0 + cos * offset;
        out.push_str(&format!(
            "{} {} {} {} {} {} Tm {} Tj\n",
            number(cos),
            number(sin),
            number(-sin),
            number(cos),
            number(x),
            number(y),
            hex_string(line)
        ));
    }
    out.push_str("ET Q\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewer_space_maps_onto_the_visible_box_for_every_rotation() {
        let visible = [10.0, 20.0, 110.0, 220.0];
        for rotate in [0, 90, 180, 270, -90, 450] {
            let (m, w, h) = viewer_transform(visible, rotate);
            let apply = |u: f32, v: f32| (m[0] * u + m[2] * v + m[4], m[1] * u + m[3] * v + m[5]);
            for (u, v) in [(0.0, 0.0), (w, 0.0), (0.0, h), (w, h)] {
                let (x, y) = apply(u, v);
                assert!(
                    (10.0..=110.0).contains(&x) && (20.0..=220.0).contains(&y),
                    "{rotate}: {x} {y}"
                );
            }
        }
        assert_eq!(viewer_transform(visible, 90).1, 200.0);
    }

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(number(1.0), "1");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(0.125), "0.125");
    }
}
