//! The e-mailed link end to end over real HTTP: GET shows the download page and records no download,
//! the page's POST serves the watermarked file (checked with pdftotext) and records it with its SHA-256,
//! tampered and expired links are refused on both, the watermark policy decides what happens to files
//! that cannot be stamped, and `trustctl requests trace` names the request a copy came from.

mod common;

use std::process::ExitCode;

use common::*;
use serde_json::{json, Value};
use trust_intake::cli::{run_requests_to, RequestsArgs};
use trust_intake::token::{mint, TokenClaims};
use trust_intake::watermark::sha256_hex;

const CSP: &str =
    "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

fn create_for(service: &Service, body: &Value) -> String {
    let reply = post(&service.url("/v1/access-requests"), body);
    assert_eq!(
        reply.status,
        201,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.json()["request_id"].as_str().unwrap().to_string()
}

fn approved(service: &Service, email: &str, key: &str) -> (String, String) {
    let id = create_for(service, &submission(email, key));
    let token = service.approve(&id);
    (id, token)
}

fn link(service: &Service, token: &str) -> String {
    service.url(&format!("/v1/downloads/{token}"))
}

fn trail(env: &Env, id: &str) -> Vec<Value> {
    env.show_json(id)["audit"].as_array().unwrap().clone()
}

fn events(env: &Env, id: &str) -> Vec<String> {
    trail(env, id)
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_string())
        .collect()
}

fn text(reply: &Reply) -> String {
    String::from_utf8_lossy(&reply.body).into_owned()
}

/// `requests trace FILE`: exit status and output.
fn trace(env: &Env, file: &std::path::Path) -> (ExitCode, String) {
    let argv = [
        "requests",
        "trace",
        &file.display().to_string(),
        "--config",
        &env.config_path.display().to_string(),
    ];
    let parsed = <RequestsArgs as clap::Parser>::try_parse_from(argv).unwrap();
    let mut out = Vec::new();
    let code = run_requests_to(parsed, &mut out).unwrap();
    (code, String::from_utf8(out).unwrap())
}

#[test]
fn get_shows_the_page_and_records_no_download_post_serves_and_records_it() {
    let service = Service::start(Options::default());
    let mut body = submission("jane.doe@prospect.example", "key-page-flow-00001");
    body["name"] = json!("Jane <script>alert(1)</script> Doe");
    body["company"] = json!("Prospect & \"Sons\"");
    let id = create_for(&service, &body);
    let token = service.approve(&id);

    // A mail scanner and a browser open the link: two page views, no download.
    let scanner = get(&link(&service, &token));
    assert_eq!(scanner.status, 200);
    let page = get_html(&link(&service, &token));
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("content-security-policy").as_deref(), Some(CSP));
    assert_eq!(
        page.header("referrer-policy").as_deref(),
        Some("no-referrer")
    );
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(page.header("x-frame-options").as_deref(), Some("DENY"));
    let html = text(&page);
    for expected in [
        "SOC 2 Type 2 report 2026",
        "soc2.pdf",
        "Jane &lt;script&gt;alert(1)&lt;/script&gt; Doe",
        "Prospect &amp; &quot;Sons&quot;",
        "jane.doe@prospect.example",
        "NDA version 2026-01",
        "Access until",
        " UTC",
        "<form method=\"post\">",
        "<button type=\"submit\">Download</button>",
    ] {
        assert!(html.contains(expected), "page lacks {expected:?}: {html}");
    }
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("%PDF"), "the page must not carry the file");
    let size = format!(
        "<dd>{}</dd>",
        trust_intake::http::download_page::human_size(soc2_pdf().len() as u64)
    );
    assert!(html.contains(&size), "size {size}: {html}");
    assert_eq!(
        events(&service.env, &id),
        ["submitted", "approved", "page_viewed", "page_viewed"]
    );
    let viewed = &trail(&service.env, &id)[2];
    assert!(viewed["detail"]
        .as_str()
        .unwrap()
        .contains("not a download"));

    // The stylesheet the page links (relative, so it works behind a path prefix too).
    assert!(html.contains("href=\"../download-page.css\""));
    let css = get(&service.url("/v1/download-page.css"));
    assert_eq!(css.status, 200);
    assert_eq!(
        css.header("content-type").as_deref(),
        Some("text/css; charset=utf-8")
    );

    // The button: a browser's form POST carries `Origin: null` (the page is no-referrer).
    let file = {
        let reply = agent()
            .post(&link(&service, &token))
            .header("Origin", "null")
            .header("Accept", "text/html,*/*;q=0.8")
            .content_type("application/x-www-form-urlencoded")
            .send("")
            .unwrap();
        let status = reply.status().as_u16();
        let disposition = reply
            .headers()
            .get("content-disposition")
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = reply.into_body().read_to_vec().unwrap();
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        assert_eq!(
            disposition.as_deref(),
            Some("attachment; filename=\"soc2.pdf\"")
        );
        bytes
    };
    let dir = tempfile::tempdir().unwrap();
    let pages = common::pdf::pdftotext_pages(&file, dir.path());
    assert_eq!(pages.len(), 2);
    for page in &pages {
        let flat = page.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(SOC2_PAGE_TEXT) && flat.contains(&id),
            "{flat}"
        );
        assert!(
            flat.contains("Jane <script>alert(1)</script> Doe"),
            "{flat}"
        );
    }
    assert_eq!(
        events(&service.env, &id),
        [
            "submitted",
            "approved",
            "page_viewed",
            "page_viewed",
            "downloaded"
        ]
    );
    let detail = trail(&service.env, &id)[4]["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        detail.contains(&format!("sha256 {}", sha256_hex(&file))),
        "the audit trail records the served file's hash: {detail}"
    );
    assert!(detail.contains("watermarked from"), "{detail}");

    // Two downloads are two different files (each carries its own time stamp in metadata at least),
    // both on record.
    let again = post_form(&link(&service, &token));
    assert_eq!(again.status, 200);
    assert_eq!(
        events(&service.env, &id)
            .iter()
            .filter(|e| *e == "downloaded")
            .count(),
        2
    );
}

#[test]
fn tampered_and_expired_links_are_refused_on_get_and_post() {
    let service = Service::start(Options::default());
    let (id, token) = approved(&service, "t@prospect.example", "key-page-tamper-001");
    let mut tampered = token.clone().into_bytes();
    let last = tampered.len() - 3;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    let expired = mint(
        SECRET.as_bytes(),
        &TokenClaims {
            request_id: id.clone(),
            document_id: "soc2-type2-2026".into(),
            expires_at: trust_intake::clock::now_secs() - 60,
        },
    );
    for (bad, status, code) in [
        (&tampered, 403, "invalid_link"),
        (&expired, 410, "link_expired"),
    ] {
        let url = link(&service, bad);
        let api_get = get(&url);
        let api_post = post_form(&url);
        for reply in [&api_get, &api_post] {
            assert_eq!((reply.status, reply.error_code().as_str()), (status, code));
            assert!(!text(reply).contains("%PDF"));
        }
        // Browsers get an HTML error page under the same CSP.
        let browser = get_html(&url);
        assert_eq!(browser.status, status);
        assert_eq!(
            browser.header("content-security-policy").as_deref(),
            Some(CSP)
        );
        assert!(text(&browser).contains("<h1>"), "{}", text(&browser));
        assert!(
            !text(&browser).contains("<form"),
            "no button on a refused link"
        );
    }
    // Nothing was viewed or downloaded with the bad links.
    assert_eq!(events(&service.env, &id), ["submitted", "approved"]);

    // Revocation closes both doors too, and each refusal is audited.
    service.env.admin(&["revoke", &id]).unwrap();
    assert_eq!(get(&link(&service, &token)).status, 403);
    assert_eq!(post_form(&link(&service, &token)).status, 403);
    let refused: Vec<String> = trail(&service.env, &id)
        .iter()
        .filter(|e| e["event"] == "download_refused")
        .map(|e| e["detail"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(refused[0].contains("(page)") && refused[1].contains("(download)"));
}

#[test]
fn files_that_cannot_be_stamped_follow_the_policy() {
    let service = Service::start(Options::default());
    let docs = service.env.dir.path().join("docs");
    let scratch = tempfile::tempdir().unwrap();

    // `required` (the default): the SOC 2 report is replaced by an encrypted copy after start-up.
    let (id, token) = approved(&service, "enc@prospect.example", "key-page-encrypt-01");
    let encrypted = common::pdf::encrypt(&soc2_pdf(), "", scratch.path());
    std::fs::write(docs.join("soc2.pdf"), &encrypted).unwrap();
    let refused = post_form(&link(&service, &token));
    assert_eq!(
        (refused.status, refused.error_code().as_str()),
        (503, "document_unavailable")
    );
    assert!(!text(&refused).contains("%PDF"));
    let browser = finish_html_post(&link(&service, &token));
    assert_eq!(browser.0, 503);
    assert!(
        browser.1.contains("cannot be downloaded right now"),
        "{}",
        browser.1
    );
    let last = trail(&service.env, &id).last().unwrap().clone();
    assert_eq!(last["event"], "download_refused");
    assert!(
        last["detail"].as_str().unwrap().contains("encrypted"),
        "{last}"
    );
    assert!(!events(&service.env, &id).contains(&"downloaded".to_string()));

    // `off`: the ISO certificate (not even a real PDF) and then an encrypted PDF are served unchanged.
    let mut body = submission("iso@prospect.example", "key-page-isooff-001");
    body["document_id"] = json!("iso27001-cert");
    let iso_id = create_for(&service, &body);
    let iso_token = service.approve(&iso_id);
    let page = text(&get_html(&link(&service, &iso_token)));
    assert!(
        page.contains("Each download is recorded.") && !page.contains("stamped"),
        "{page}"
    );
    let served = post_form(&link(&service, &iso_token));
    assert_eq!((served.status, served.body.as_slice()), (200, ISO_BYTES));
    std::fs::write(docs.join("iso.pdf"), &encrypted).unwrap();
    let served = post_form(&link(&service, &iso_token));
    assert_eq!(served.status, 200);
    assert_eq!(served.body, encrypted);
    let detail = trail(&service.env, &iso_id).last().unwrap()["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        detail.contains("not watermarked") && detail.contains(&sha256_hex(&encrypted)),
        "{detail}"
    );
}

fn finish_html_post(url: &str) -> (u16, String) {
    let reply = agent()
        .post(url)
        .header("Accept", "text/html")
        .content_type("application/x-www-form-urlencoded")
        .send("")
        .unwrap();
    let status = reply.status().as_u16();
    (status, reply.into_body().read_to_string().unwrap())
}

#[test]
fn start_up_names_a_required_document_that_cannot_be_stamped() {
    let env = Env::new(&Options::default());
    let scratch = tempfile::tempdir().unwrap();
    let encrypted = common::pdf::encrypt(&soc2_pdf(), "user-pw", scratch.path());
    std::fs::write(env.dir.path().join("docs/soc2.pdf"), encrypted).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let error = match runtime.block_on(trust_intake::start(env.config())) {
        Ok(_) => panic!("started with an encrypted required document"),
        Err(error) => error.to_string(),
    };
    for expected in [
        "soc2-type2-2026",
        "soc2.pdf",
        "encrypted",
        "watermark = \"off\"",
    ] {
        assert!(error.contains(expected), "{expected:?} missing: {error}");
    }
    // A settings table for an unknown document is a configuration error too.
    let text = std::fs::read_to_string(&env.config_path).unwrap();
    std::fs::write(
        &env.config_path,
        text.replace(
            "[documents.settings.iso27001-cert]",
            "[documents.settings.nope]",
        ),
    )
    .unwrap();
    let error = trust_intake::Config::load(&env.config_path)
        .unwrap_err()
        .to_string();
    assert!(error.contains("documents.settings.nope"), "{error}");
}

#[test]
fn trace_names_the_request_of_a_stamped_copy_and_cannot_tell_for_a_clean_file() {
    let service = Service::start(Options::default());
    let (_other, other_token) = approved(&service, "other@prospect.example", "key-trace-other-001");
    assert_eq!(post_form(&link(&service, &other_token)).status, 200);
    let (id, token) = approved(&service, "leaker@prospect.example", "key-trace-leaker-01");
    let leaked = post_form(&link(&service, &token));
    assert_eq!(leaked.status, 200);
    let dir = tempfile::tempdir().unwrap();

    // The copy as downloaded: all three kinds of evidence agree.
    let exact = dir.path().join("leaked.pdf");
    std::fs::write(&exact, &leaked.body).unwrap();
    let (code, out) = trace(&service.env, &exact);
    assert_eq!(code, ExitCode::SUCCESS, "{out}");
    assert!(out.contains(&format!("Traced to    {id}")), "{out}");
    assert!(
        out.contains("Jane Doe <leaker@prospect.example>, Prospect Ltd"),
        "{out}"
    );
    assert!(out.contains(&format!("metadata     names {id}")), "{out}");
    assert!(
        out.contains(&format!("stamp text   names {id} on 2 of 2 page(s)")),
        "{out}"
    );
    assert!(out.contains("identical to the copy downloaded"), "{out}");
    assert!(out.contains("<- this copy"), "{out}");

    // Metadata scrubbed and the file re-saved: the hash no longer matches, the page text still names it.
    let mut document = lopdf::Document::load_mem(&leaked.body).unwrap();
    document.trailer.remove(b"Info");
    let mut scrubbed = Vec::new();
    document.save_to(&mut scrubbed).unwrap();
    let scrubbed_path = dir.path().join("scrubbed.pdf");
    std::fs::write(&scrubbed_path, &scrubbed).unwrap();
    let (code, out) = trace(&service.env, &scrubbed_path);
    assert_eq!(code, ExitCode::SUCCESS, "{out}");
    assert!(out.contains(&format!("Traced to    {id}")), "{out}");
    assert!(out.contains("metadata     no request id"), "{out}");
    assert!(out.contains("matches no recorded download"), "{out}");

    // An unstamped (watermark = "off") document is traced by its hash alone.
    let mut body = submission("iso-leak@prospect.example", "key-trace-iso-00001");
    body["document_id"] = json!("iso27001-cert");
    let iso_id = create_for(&service, &body);
    let iso_token = service.approve(&iso_id);
    let iso = post_form(&link(&service, &iso_token));
    let iso_path = dir.path().join("iso.pdf");
    std::fs::write(&iso_path, &iso.body).unwrap();
    let (code, out) = trace(&service.env, &iso_path);
    assert_eq!(code, ExitCode::SUCCESS, "{out}");
    assert!(out.contains(&format!("Traced to    {iso_id}")), "{out}");

    // The clean original, another PDF and a non-PDF: cannot tell.
    for (name, bytes) in [
        ("clean.pdf", soc2_pdf()),
        ("unrelated.pdf", common::pdf::simple(1)),
        ("notes.txt", b"just some text".to_vec()),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (code, out) = trace(&service.env, &path);
        assert_eq!(code, ExitCode::from(1), "{name}: {out}");
        assert!(
            out.contains("CANNOT TELL: not ours, or not traceable."),
            "{name}: {out}"
        );
    }

    // A stamp naming a request this database does not know (another installation, or forged).
    let foreign = trust_intake::watermark::stamp::stamp_pdf(
        &soc2_pdf(),
        &trust_intake::watermark::StampFacts {
            request_id: "req_ffffffffffffffffffffffffffffffff".into(),
            name: "Someone".into(),
            company: "Elsewhere".into(),
            email: "someone@elsewhere.example".into(),
            nda_version: "1".into(),
            downloaded_at: 0,
        },
    )
    .unwrap();
    let foreign_path = dir.path().join("foreign.pdf");
    std::fs::write(&foreign_path, foreign).unwrap();
    let (code, out) = trace(&service.env, &foreign_path);
    assert_eq!(code, ExitCode::from(1), "{out}");
    assert!(out.contains("not in this database"), "{out}");
}

#[test]
fn an_erased_requester_s_link_is_refused_and_the_admin_views_show_nothing_of_them() {
    let service = Service::start(Options::default());
    let mut body = submission("erin.erased@prospect.example", "key-erase-flow-0001");
    body["name"] = json!("Erin Erasedperson");
    let (id, token) = {
        let id = create_for(&service, &body);
        (id.clone(), service.approve(&id))
    };
    assert_eq!(get(&link(&service, &token)).status, 200);

    // Access still running: refused without --revoke, and nothing changed.
    let refused = service.env.admin(&["erase", &id]).unwrap_err();
    assert!(refused.contains("--revoke"), "{refused}");
    assert_eq!(get(&link(&service, &token)).status, 200);

    let output = service.env.admin(&["erase", &id, "--revoke"]).unwrap();
    assert!(output.contains("Revoked"), "{output}");
    assert!(
        output.contains("Erased the requester's personal data"),
        "{output}"
    );
    assert!(
        output.contains("Old copies: the SQLite file was rebuilt"),
        "{output}"
    );
    assert!(!output.contains("erin"), "{output}");

    // The link answers as a revoked one does, on GET and on POST.
    let page = get(&link(&service, &token));
    assert_eq!(
        (page.status, page.error_code()),
        (403, "access_revoked".into())
    );
    let download = post_form(&link(&service, &token));
    assert_eq!(download.status, 403);

    let shown = service.env.admin(&["show", &id]).unwrap();
    assert!(shown.contains("revoked, erased"), "{shown}");
    let listed = service.env.admin(&["list"]).unwrap();
    assert!(listed.contains("(erased)"), "{listed}");
    for view in [&shown, &listed, &service.env.admin(&["outbox"]).unwrap()] {
        let lower = view.to_lowercase();
        assert!(
            !lower.contains("erin") && !lower.contains("erasedperson"),
            "{view}"
        );
    }
    let evidence = service.env.show_json(&id);
    assert_eq!(evidence["request"]["nda_version"], "2026-01");
    let trail = trail(&service.env, &id);
    let events: Vec<&str> = trail.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(
        events,
        [
            "submitted",
            "approved",
            "page_viewed",
            "page_viewed",
            "revoked",
            "erased",
            "download_refused",
            "download_refused"
        ]
    );
    // The refusals after the erasure store no IP address again; nothing before it kept one.
    assert!(trail.iter().all(|e| e["client_ip"].is_null()), "{trail:?}");

    // Twice: a no-op that says so; an unknown id: not found, its text made inert.
    let again = service.env.admin(&["erase", &id, "--json"]).unwrap();
    let again: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(again["erasure"]["erased_now"], false);
    let again = service.env.admin(&["erase", &id]).unwrap();
    assert!(again.contains("already erased"), "{again}");
    let missing = service
        .env
        .admin(&["erase", "req_x\u{1b}[31m"])
        .unwrap_err();
    assert!(missing.contains("req_x\\u{1b}[31m"), "{missing}");
}
