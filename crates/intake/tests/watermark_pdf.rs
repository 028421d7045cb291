//! Stamping real PDFs (made with lopdf in the test, encrypted with qpdf) and reading them back with
//! poppler's `pdftotext`/`pdfinfo`: every page carries the stamp and keeps its own text.

mod common;

use common::pdf::{self, PageSpec};
use trust_intake::watermark::{
    prepare, stamp::stamp_pdf, StampFacts, Unstampable, WatermarkPolicy,
};

const REQUEST_ID: &str = "req_0123456789abcdef0123456789abcdef";

fn facts() -> StampFacts {
    StampFacts {
        request_id: REQUEST_ID.into(),
        name: "Jane Doe".into(),
        company: "Prospect Ltd".into(),
        email: "jane.doe@prospect.example".into(),
        nda_version: "2026-01".into(),
        downloaded_at: 1_796_160_605, // 2026-12-01 21:30:05 UTC
    }
}

/// pdftotext puts line breaks where the margin text wraps; compare with whitespace collapsed.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_every_page_stamped(stamped: &[u8], originals: &[String]) {
    let dir = tempfile::tempdir().unwrap();
    let pages = pdf::pdftotext_pages(stamped, dir.path());
    assert_eq!(pages.len(), originals.len());
    for (index, (text, original)) in pages.iter().zip(originals).enumerate() {
        let text = flat(text);
        let n = index + 1;
        assert!(text.contains(original), "page {n} lost its text: {text}");
        for expected in [
            REQUEST_ID,
            "Jane Doe",
            "Prospect Ltd",
            "jane.doe@prospect.example",
            "Confidential \u{2014} shared under NDA 2026-01",
            "2026-12-01 21:30:05 UTC",
        ] {
            assert!(
                text.contains(expected),
                "page {n} lacks {expected:?}: {text}"
            );
        }
    }
}

#[test]
fn one_page_is_stamped_and_keeps_its_text_and_metadata() {
    let original = pdf::simple(1);
    let stamped = stamp_pdf(&original, &facts()).unwrap();
    assert_every_page_stamped(&stamped, &["Original text of page 1".into()]);
    let dir = tempfile::tempdir().unwrap();
    let info = pdf::pdfinfo(&stamped, dir.path());
    assert!(
        info.contains("Title:") && info.contains("Test report"),
        "{info}"
    );
    let document = lopdf::Document::load_mem(&stamped).unwrap();
    let recorded = trust_intake::watermark::metadata::read(&document).unwrap();
    assert_eq!(recorded.request_id, REQUEST_ID);
    assert_eq!(
        recorded.recipient.as_deref(),
        Some("Jane Doe, Prospect Ltd <jane.doe@prospect.example>")
    );
}

#[test]
fn many_pages_are_all_stamped() {
    let original = pdf::simple(12);
    let stamped = stamp_pdf(&original, &facts()).unwrap();
    let originals: Vec<String> = (1..=12)
        .map(|n| format!("Original text of page {n}"))
        .collect();
    assert_every_page_stamped(&stamped, &originals);
}

#[test]
fn rotated_pages_and_mixed_page_boxes_are_stamped_upright_inside_the_visible_area() {
    let specs = vec![
        PageSpec {
            rotate: 90,
            ..PageSpec::letter("Rotated ninety")
        },
        PageSpec {
            rotate: 180,
            ..PageSpec::letter("Rotated one eighty")
        },
        PageSpec {
            rotate: 270,
            ..PageSpec::letter("Rotated two seventy")
        },
        PageSpec {
            media_box: [0.0, 0.0, 842.0, 595.0],
            ..PageSpec::letter("Landscape A4")
        },
        PageSpec {
            media_box: [0.0, 0.0, 300.0, 400.0],
            crop_box: Some([50.0, 60.0, 250.0, 360.0]),
            ..PageSpec::letter("Small cropped")
        },
        PageSpec {
            media_box: [-200.0, -100.0, 400.0, 700.0],
            rotate: 90,
            ..PageSpec::letter("Offset origin rotated")
        },
    ];
    let originals: Vec<String> = specs.iter().map(|s| s.text.clone()).collect();
    let stamped = stamp_pdf(&pdf::build(&specs), &facts()).unwrap();
    assert_every_page_stamped(&stamped, &originals);

    // The margin text reads upright (pdftotext -raw keeps it on one line only when it is not rotated
    // relative to the displayed page) and lies inside the displayed area of each page.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("boxes.pdf");
    std::fs::write(&path, &stamped).unwrap();
    let output = std::process::Command::new("pdftotext")
        .args(["-bbox"])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&output.stdout);
    let pages: Vec<&str> = html.split("<page ").skip(1).collect();
    assert_eq!(pages.len(), specs.len());
    for (n, page) in pages.iter().enumerate() {
        let attr = |text: &str, name: &str| -> f32 {
            let start = text.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            text[start..].split('"').next().unwrap().parse().unwrap()
        };
        // The displayed area in poppler's word coordinates (origin at the top left of the MediaBox
        // as displayed; poppler's own page width/height attributes are unrotated). The rotated pages
        // here have no CropBox; the cropped page is not rotated.
        let spec = &specs[n];
        let [mx0, my0, mx1, my1] = spec.media_box;
        let (left, top, right, bottom) = match spec.crop_box {
            Some([cx0, cy0, cx1, cy1]) => (cx0 - mx0, my1 - cy1, cx1 - mx0, my1 - cy0),
            None if spec.rotate % 180 == 0 => (0.0, 0.0, mx1 - mx0, my1 - my0),
            None => (0.0, 0.0, my1 - my0, mx1 - mx0),
        };
        let word = page
            .split("<word ")
            .find(|w| w.contains(REQUEST_ID))
            .unwrap_or_else(|| panic!("page {}: no request id word", n + 1));
        let (x_min, y_min, x_max, y_max) = (
            attr(word, "xMin"),
            attr(word, "yMin"),
            attr(word, "xMax"),
            attr(word, "yMax"),
        );
        assert!(
            x_min >= left && y_min >= top && x_max <= right && y_max <= bottom,
            "page {}: request id at {x_min},{y_min}-{x_max},{y_max} outside {left},{top}-{right},{bottom}",
            n + 1
        );
        // Upright: wider than tall, legible size (a leaked 0.9 scale or a rotation would change this).
        let (w, h) = (x_max - x_min, y_max - y_min);
        assert!(
            w > h * 5.0 && h >= 3.0,
            "page {}: request id box {w}x{h}",
            n + 1
        );
        // In the bottom margin of the page as displayed.
        assert!(
            y_min > top + (bottom - top) * 0.85,
            "page {}: stamp not at the bottom: {y_min} in {top}-{bottom}",
            n + 1
        );
    }
}

#[test]
fn an_incremental_update_is_stamped_on_its_latest_revision() {
    let original = pdf::incremental_update();
    let dir = tempfile::tempdir().unwrap();
    let before = pdf::pdftotext_pages(&original, dir.path());
    assert!(
        before[1].contains("Updated text of page 2"),
        "fixture: {before:?}"
    );
    let stamped = stamp_pdf(&original, &facts()).unwrap();
    assert_every_page_stamped(
        &stamped,
        &[
            "Original text of page 1".into(),
            "Updated text of page 2".into(),
        ],
    );
    let after = pdf::pdftotext_pages(&stamped, dir.path());
    assert!(!after[1].contains("Original text of page 2"), "{after:?}");
}

#[test]
fn object_streams_compressed_content_and_linearized_files_are_stamped() {
    let dir = tempfile::tempdir().unwrap();
    let original = pdf::simple(3);
    let originals: Vec<String> = (1..=3)
        .map(|n| format!("Original text of page {n}"))
        .collect();
    for args in [
        &["--object-streams=generate", "--compress-streams=y"][..],
        &["--linearize"][..],
    ] {
        let rewritten = pdf::qpdf_rewrite(&original, args, dir.path());
        assert_ne!(rewritten, original);
        let stamped = stamp_pdf(&rewritten, &facts()).unwrap();
        assert_every_page_stamped(&stamped, &originals);
    }
}

#[test]
fn encrypted_pdfs_are_refused_under_required_and_served_unchanged_under_off() {
    let dir = tempfile::tempdir().unwrap();
    let plain = pdf::simple(1);
    for user_password in ["", "user-secret"] {
        let encrypted = pdf::encrypt(&plain, user_password, dir.path());
        assert_eq!(
            prepare(encrypted.clone(), WatermarkPolicy::Required, &facts()).unwrap_err(),
            Unstampable::Encrypted,
            "user password {user_password:?}"
        );
        let served = prepare(encrypted.clone(), WatermarkPolicy::Off, &facts()).unwrap();
        assert!(!served.stamped);
        assert_eq!(served.bytes, encrypted);
    }
}

#[test]
fn non_pdf_and_malformed_files_are_refused_under_required() {
    assert_eq!(
        prepare(b"plain text".to_vec(), WatermarkPolicy::Required, &facts()).unwrap_err(),
        Unstampable::NotPdf
    );
    let truncated = pdf::simple(1)[..200].to_vec();
    assert!(matches!(
        prepare(truncated, WatermarkPolicy::Required, &facts()).unwrap_err(),
        Unstampable::Malformed(_)
    ));
}

#[test]
fn hostile_and_non_latin_recipient_text_is_inert_and_honest() {
    let mut hostile = facts();
    hostile.name = "Evil) Tj ET BT /F1 99 Tf (x\\ Иван 李".into();
    hostile.company = "<</Type/Catalog>> endstream".into();
    let stamped = stamp_pdf(&pdf::simple(1), &hostile).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let text = flat(&pdf::pdftotext_pages(&stamped, dir.path())[0]);
    // Shown literally, with characters outside WinAnsi as "?".
    assert!(
        text.contains("Evil) Tj ET BT /F1 99 Tf (x\\ ???? ?"),
        "{text}"
    );
    assert!(text.contains("<</Type/Catalog>> endstream"), "{text}");
    assert!(text.contains("Original text of page 1"), "{text}");
    // The exact name, in any script, is in the metadata.
    let document = lopdf::Document::load_mem(&stamped).unwrap();
    let recorded = trust_intake::watermark::metadata::read(&document).unwrap();
    assert!(recorded.recipient.unwrap().contains("Иван 李"));
}
