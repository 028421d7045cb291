//! Real PDFs made with lopdf for the tests, read back with Debian's poppler-utils (`pdftotext`, `pdfinfo`)
//! and encrypted with `qpdf`, independent tools that share no code with the stamping.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use lopdf::{dictionary, Document, IncrementalDocument, Object, Stream};

/// One page of a generated document.
#[derive(Clone, Debug)]
pub struct PageSpec {
    pub media_box: [f32; 4],
    pub crop_box: Option<[f32; 4]>,
    pub rotate: i64,
    pub text: String,
}

impl PageSpec {
    pub fn letter(text: &str) -> PageSpec {
        PageSpec {
            media_box: [0.0, 0.0, 612.0, 792.0],
            crop_box: None,
            rotate: 0,
            text: text.to_string(),
        }
    }
}

/// A PDF with the given pages. Resources (the Helvetica font) and the default MediaBox sit on the page
/// tree root and are inherited, like many real producers write them; each page's content also leaves a
/// scaling matrix and a fill colour behind, and a `q` it never closes with a second scaling inside, which
/// a stamp must not inherit.
pub fn build(pages: &[PageSpec]) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for spec in pages {
        let [x0, y0, _, y1] = spec.crop_box.unwrap_or(spec.media_box);
        let content = format!(
            "BT /F1 11 Tf {} {} Td ({}) Tj ET 0.9 0 0 0.9 0 0 cm 1 0 0 rg q 0.5 0 0 0.5 0 0 cm",
            x0 + 30.0,
            y1 - 40.0 - (y1 - y0) * 0.2,
            spec.text
        );
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        let mut page = dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        };
        if spec.media_box != [0.0, 0.0, 612.0, 792.0] {
            page.set("MediaBox", rect(spec.media_box));
        }
        if let Some(crop) = spec.crop_box {
            page.set("CropBox", rect(crop));
        }
        if spec.rotate != 0 {
            page.set("Rotate", spec.rotate);
        }
        kids.push(Object::Reference(doc.add_object(page)));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count,
            "Resources" => resources, "MediaBox" => rect([0.0, 0.0, 612.0, 792.0]),
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let info = doc.add_object(dictionary! { "Title" => Object::string_literal("Test report") });
    doc.trailer.set("Info", info);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn rect(r: [f32; 4]) -> Object {
    Object::Array(r.iter().map(|v| Object::Real(*v)).collect())
}

/// `pages` pages of letter size, "Original text of page N".
pub fn simple(pages: usize) -> Vec<u8> {
    let specs: Vec<PageSpec> = (1..=pages)
        .map(|n| PageSpec::letter(&format!("Original text of page {n}")))
        .collect();
    build(&specs)
}

/// A two-page document plus an incremental update (appended objects, a second xref section with
/// `/Prev`) that replaces page 2's content with "Updated text of page 2".
pub fn incremental_update() -> Vec<u8> {
    let base = simple(2);
    let previous = Document::load_mem(&base).unwrap();
    let page_two = *previous.get_pages().get(&2).unwrap();
    let mut incremental = IncrementalDocument::create_from(base, previous);
    incremental
        .opt_clone_object_to_new_document(page_two)
        .unwrap();
    let new_doc = &mut incremental.new_document;
    let content = new_doc.add_object(Stream::new(
        dictionary! {},
        b"BT /F1 11 Tf 30 600 Td (Updated text of page 2) Tj ET".to_vec(),
    ));
    new_doc
        .get_object_mut(page_two)
        .unwrap()
        .as_dict_mut()
        .unwrap()
        .set("Contents", content);
    let mut out = Vec::new();
    incremental.save_to(&mut out).unwrap();
    out
}

/// `qpdf --encrypt USER OWNER 256` on `plain` (empty `user` = opens without a password).
pub fn encrypt(plain: &[u8], user: &str, dir: &Path) -> Vec<u8> {
    let input = dir.join("plain-for-qpdf.pdf");
    let output = dir.join("encrypted-by-qpdf.pdf");
    std::fs::write(&input, plain).unwrap();
    let status = Command::new("qpdf")
        .args(["--encrypt", user, "owner-secret", "256", "--"])
        .arg(&input)
        .arg(&output)
        .status()
        .expect("qpdf is installed by scripts/setup.sh");
    assert!(status.success(), "qpdf --encrypt failed");
    std::fs::read(output).unwrap()
}

/// `plain` rewritten by qpdf with extra arguments (e.g. object streams, linearization).
pub fn qpdf_rewrite(plain: &[u8], args: &[&str], dir: &Path) -> Vec<u8> {
    let input = dir.join(format!("qpdf-in-{}.pdf", unique()));
    let output = dir.join(format!("qpdf-out-{}.pdf", unique()));
    std::fs::write(&input, plain).unwrap();
    let status = Command::new("qpdf")
        .args(args)
        .arg(&input)
        .arg(&output)
        .status()
        .expect("qpdf is installed by scripts/setup.sh");
    assert!(status.success(), "qpdf {args:?} failed");
    std::fs::read(output).unwrap()
}

/// The text of each page as `pdftotext` (poppler) extracts it.
pub fn pdftotext_pages(pdf: &[u8], dir: &Path) -> Vec<String> {
    let path = dir.join(format!("read-back-{}.pdf", unique()));
    std::fs::write(&path, pdf).unwrap();
    let pages = page_count(&path);
    (1..=pages)
        .map(|n| {
            let output = Command::new("pdftotext")
                .args(["-f", &n.to_string(), "-l", &n.to_string(), "-enc", "UTF-8"])
                .arg(&path)
                .arg("-")
                .output()
                .expect("pdftotext is installed by scripts/setup.sh");
            assert!(output.status.success(), "pdftotext failed on page {n}");
            String::from_utf8(output.stdout).unwrap()
        })
        .collect()
}

/// `pdfinfo` output for the file.
pub fn pdfinfo(pdf: &[u8], dir: &Path) -> String {
    let path = dir.join(format!("info-{}.pdf", unique()));
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new("pdfinfo").arg(&path).output().unwrap();
    assert!(output.status.success(), "pdfinfo failed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn page_count(path: &Path) -> usize {
    let output = Command::new("pdfinfo").arg(path).output().unwrap();
    assert!(output.status.success(), "pdfinfo failed");
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

pub fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
