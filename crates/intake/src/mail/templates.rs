//! The e-mail templates: built-in defaults compiled into the binary, each replaceable by a file of the
//! same name in `smtp.template_dir`.
//!
//! Rendering uses minijinja. Templates whose name ends in `.html` auto-escape every variable for HTML;
//! the `.txt` ones are plain text. Every variable is made inert ([`super::inert`]) before rendering,
//! whatever part it goes to. Unknown variables are errors, and every template is rendered once with
//! sample values when the mailer starts, so a broken vendor template stops `trustctl serve` instead of
//! a message.

use std::collections::BTreeMap;
use std::path::Path;

use minijinja::{Environment, UndefinedBehavior};

use super::content::{MailContent, MailKind, MULTI_LINE_VARIABLES};
use super::inert;

/// Built-in templates: (file name, text).
const BUILT_IN: &[(&str, &str)] = &[
    (
        "layout.html",
        include_str!("../../templates/mail/layout.html"),
    ),
    (
        "new_request.subject.txt",
        include_str!("../../templates/mail/new_request.subject.txt"),
    ),
    (
        "new_request.txt",
        include_str!("../../templates/mail/new_request.txt"),
    ),
    (
        "new_request.html",
        include_str!("../../templates/mail/new_request.html"),
    ),
    (
        "receipt.subject.txt",
        include_str!("../../templates/mail/receipt.subject.txt"),
    ),
    (
        "receipt.txt",
        include_str!("../../templates/mail/receipt.txt"),
    ),
    (
        "receipt.html",
        include_str!("../../templates/mail/receipt.html"),
    ),
    (
        "approval.subject.txt",
        include_str!("../../templates/mail/approval.subject.txt"),
    ),
    (
        "approval.txt",
        include_str!("../../templates/mail/approval.txt"),
    ),
    (
        "approval.html",
        include_str!("../../templates/mail/approval.html"),
    ),
    (
        "denial.subject.txt",
        include_str!("../../templates/mail/denial.subject.txt"),
    ),
    (
        "denial.txt",
        include_str!("../../templates/mail/denial.txt"),
    ),
    (
        "denial.html",
        include_str!("../../templates/mail/denial.html"),
    ),
    (
        "test.subject.txt",
        include_str!("../../templates/mail/test.subject.txt"),
    ),
    ("test.txt", include_str!("../../templates/mail/test.txt")),
    ("test.html", include_str!("../../templates/mail/test.html")),
    (
        "subscription_confirmation.subject.txt",
        include_str!("../../templates/mail/subscription_confirmation.subject.txt"),
    ),
    (
        "subscription_confirmation.txt",
        include_str!("../../templates/mail/subscription_confirmation.txt"),
    ),
    (
        "subscription_confirmation.html",
        include_str!("../../templates/mail/subscription_confirmation.html"),
    ),
    (
        "change_notice.subject.txt",
        include_str!("../../templates/mail/change_notice.subject.txt"),
    ),
    (
        "change_notice.txt",
        include_str!("../../templates/mail/change_notice.txt"),
    ),
    (
        "change_notice.html",
        include_str!("../../templates/mail/change_notice.html"),
    ),
];

/// The variables each kind receives besides the common ones (`vendor_name`, `logo_url`,
/// `console_url`), with a sample value used by the start-up check. Documented in docs/intake.md.
pub fn sample_variables(kind: MailKind) -> BTreeMap<String, String> {
    let pairs: &[(&str, &str)] = match kind {
        MailKind::NewRequest => &[
            ("request_id", "req_0123456789abcdef0123456789abcdef"),
            ("requester_name", "Jane Doe"),
            ("requester_email", "jane@prospect.example"),
            ("company", "Prospect Inc."),
            ("reason", "Vendor review"),
            ("document_id", "soc2-type2"),
            ("nda_version", "2026-01"),
            (
                "nda_sha256",
                "0000000000000000000000000000000000000000000000000000000000000000",
            ),
            ("accepted_at", "2026-01-01T00:00:00Z"),
            ("client_ip", "192.0.2.1"),
            ("user_agent", "Mozilla/5.0"),
            ("status", "pending"),
            (
                "status_url",
                "https://trust.example/v1/access-requests/req_0",
            ),
            (
                "approve_command",
                "trustctl requests approve req_0 --config intake.toml",
            ),
            (
                "deny_command",
                "trustctl requests deny req_0 --config intake.toml",
            ),
            (
                "show_command",
                "trustctl requests show req_0 --config intake.toml",
            ),
        ],
        MailKind::Receipt => &[
            ("request_id", "req_0123456789abcdef0123456789abcdef"),
            ("requester_name", "Jane Doe"),
            ("company", "Prospect Inc."),
            ("document_id", "soc2-type2"),
            ("nda_version", "2026-01"),
            (
                "nda_sha256",
                "0000000000000000000000000000000000000000000000000000000000000000",
            ),
            ("accepted_at", "2026-01-01T00:00:00Z"),
            ("status", "pending"),
            (
                "status_url",
                "https://trust.example/v1/access-requests/req_0",
            ),
        ],
        MailKind::Approval => &[
            ("request_id", "req_0123456789abcdef0123456789abcdef"),
            ("requester_name", "Jane Doe"),
            ("document_id", "soc2-type2"),
            ("link", "https://trust.example/v1/downloads/token"),
            ("expires_at", "2026-02-01T00:00:00Z"),
        ],
        MailKind::Denial => &[
            ("request_id", "req_0123456789abcdef0123456789abcdef"),
            ("requester_name", "Jane Doe"),
            ("document_id", "soc2-type2"),
            ("reviewer_message", "Please ask your account manager."),
        ],
        MailKind::Test => &[("sent_at", "2026-01-01T00:00:00Z")],
        MailKind::SubscriptionConfirmation => &[
            ("categories", "Subprocessors (new, replaced or removed)"),
            (
                "confirm_url",
                "https://trust.example/v1/subscriptions/confirm?token=t",
            ),
            ("expires_at", "2026-01-08T00:00:00Z"),
            (
                "unsubscribe_url",
                "https://trust.example/v1/subscriptions/unsubscribe?token=t",
            ),
        ],
        MailKind::ChangeNotice => &[
            ("version", "7"),
            ("change_count", "1"),
            (
                "changes",
                "[Subprocessors] 2026-12-02: Acme Analytics added\nEffective 2027-01-01",
            ),
            ("has_subprocessor_changes", "yes"),
            ("object_contact", "mailto:security@vendor.example"),
            ("history_url", "https://trust.example/changes.atom"),
            ("categories", "Subprocessors (new, replaced or removed)"),
            (
                "preferences_url",
                "https://trust.example/v1/subscriptions/preferences?token=t",
            ),
            (
                "unsubscribe_url",
                "https://trust.example/v1/subscriptions/unsubscribe?token=t",
            ),
        ],
    };
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Values every template receives.
#[derive(Debug, Clone, Default)]
pub struct Branding {
    pub vendor_name: String,
    pub logo_url: Option<String>,
    pub console_url: Option<String>,
}

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The loaded templates.
pub struct Templates {
    env: Environment<'static>,
    branding: Branding,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("branding", &self.branding)
            .finish()
    }
}

impl Templates {
    /// Loads the built-in templates, replaced by files in `dir` where present, and test-renders each.
    pub fn load(dir: Option<&Path>, branding: Branding) -> Result<Templates, String> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(true);
        for (name, built_in) in BUILT_IN {
            let source = match dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
                Some(path) => std::fs::read_to_string(&path).map_err(|e| {
                    format!("cannot read the mail template {}: {e}", path.display())
                })?,
                None => (*built_in).to_string(),
            };
            env.add_template_owned(*name, source)
                .map_err(|e| format!("mail template {name} does not parse: {e}"))?;
        }
        let templates = Templates { env, branding };
        for kind in MailKind::ALL {
            templates
                .render(&MailContent {
                    template: kind,
                    vars: sample_variables(kind),
                })
                .map_err(|e| format!("{e} (checked with sample values at start-up)"))?;
        }
        Ok(templates)
    }

    /// Renders subject, text and HTML of `content`; every variable is made inert first.
    pub fn render(&self, content: &MailContent) -> Result<Rendered, String> {
        let mut vars: BTreeMap<String, String> = BTreeMap::new();
        for (key, value) in &content.vars {
            let clean = if MULTI_LINE_VARIABLES.contains(&key.as_str()) {
                inert::paragraph(value)
            } else {
                inert::line(value)
            };
            vars.insert(key.clone(), clean);
        }
        vars.insert(
            "vendor_name".into(),
            inert::line(&self.branding.vendor_name),
        );
        vars.insert(
            "logo_url".into(),
            inert::line(self.branding.logo_url.as_deref().unwrap_or("")),
        );
        vars.entry("console_url".into())
            .or_insert_with(|| inert::line(self.branding.console_url.as_deref().unwrap_or("")));
        let base = content.template.template_name();
        let render = |suffix: &str| -> Result<String, String> {
            let name = format!("{base}{suffix}");
            self.env
                .get_template(&name)
                .and_then(|t| t.render(&vars))
                .map_err(|e| format!("mail template {name} cannot be rendered: {e:#}"))
        };
        Ok(Rendered {
            subject: inert::line(&render(".subject.txt")?),
            text: render(".txt")?,
            html: render(".html")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn templates() -> Templates {
        Templates::load(
            None,
            Branding {
                vendor_name: "Acme <Trust>".into(),
                logo_url: None,
                console_url: None,
            },
        )
        .unwrap()
    }

    #[test]
    fn html_part_escapes_and_both_parts_are_inert() {
        let mut vars = sample_variables(MailKind::Receipt);
        vars.insert(
            "requester_name".into(),
            "<script>alert(1)</script>\u{202E}moc.live\r\nBcc: x".into(),
        );
        let rendered = templates()
            .render(&MailContent {
                template: MailKind::Receipt,
                vars,
            })
            .unwrap();
        assert!(!rendered.html.contains("<script>"));
        assert!(rendered.html.contains("&lt;script&gt;"));
        assert!(rendered.html.contains("Acme &lt;Trust&gt;"));
        for part in [&rendered.text, &rendered.html, &rendered.subject] {
            assert!(!part.contains('\u{202E}'));
            assert!(!part.contains("\r\nBcc"));
        }
        assert!(rendered.text.contains("<script>alert(1)</script>"));
    }

    #[test]
    fn a_reviewer_message_reaches_both_parts_of_the_denial_and_is_absent_otherwise() {
        let mut vars = sample_variables(MailKind::Denial);
        let with = templates()
            .render(&MailContent {
                template: MailKind::Denial,
                vars: vars.clone(),
            })
            .unwrap();
        assert!(with.text.contains("Please ask your account manager."));
        assert!(with.html.contains("Please ask your account manager."));
        assert!(!with.text.contains("{\""), "no JSON in the message");
        vars.insert("reviewer_message".into(), String::new());
        let without = templates()
            .render(&MailContent {
                template: MailKind::Denial,
                vars,
            })
            .unwrap();
        assert!(!without.text.contains("A note from the reviewer"));
        assert!(!without.html.contains("A note from the reviewer"));
    }

    #[test]
    fn vendor_file_replaces_a_built_in_and_bad_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("denial.txt"),
            "Sorry {{ requester_name }}.\n",
        )
        .unwrap();
        let loaded = Templates::load(Some(dir.path()), Branding::default()).unwrap();
        let rendered = loaded
            .render(&MailContent {
                template: MailKind::Denial,
                vars: sample_variables(MailKind::Denial),
            })
            .unwrap();
        assert_eq!(rendered.text, "Sorry Jane Doe.\n");
        std::fs::write(dir.path().join("denial.txt"), "{{ no_such_variable }}").unwrap();
        let error = Templates::load(Some(dir.path()), Branding::default()).unwrap_err();
        assert!(error.contains("denial.txt"), "{error}");
    }
}
