//! `IsoCard`: the ISO/IEC 27001 certificate — number, edition, certification and accreditation
//! bodies, scope, dates, surveillance audits, expiry countdown and the registry link.

use std::rc::Rc;

use trust_manifest::IsoStatus;
use yew::prelude::*;

use crate::components::class_attr::with_class_string;
use crate::components::format::{self, fact, time};
use crate::components::safe_link::safe_link;
use crate::components::status_badge::{findings_list, status_badge};
use crate::state::VerifiedPage;

/// Props of [`view`].
#[derive(Properties, PartialEq, Clone)]
pub struct IsoCardProps {
    /// The verified page.
    pub page: Rc<VerifiedPage>,
}

/// The ISO/IEC 27001 card.
/// A plain function rather than a component: it has no state, and a component's lifecycle
/// code would cost more wasm than its markup.
pub fn view(props: &IsoCardProps) -> Html {
    let page = &props.page;
    let today = page.today;
    let status = &page.status.iso27001;
    let iso = page.manifest.iso27001.as_ref();

    let mut facts: Vec<Html> = Vec::new();
    let mut registry = Html::default();
    let mut scope = Html::default();
    let mut countdown = Html::default();

    if let Some(iso) = iso {
        if iso.status == IsoStatus::InProgress {
            if let Some(expected) = iso.expected_certification {
                facts.push(fact("Certification expected", time(expected)));
            }
        }
        if let Some(cert) = &iso.certificate {
            facts.push(fact(
                "Certificate number",
                html! { <code>{cert.number.clone()}</code> },
            ));
            facts.push(fact("Standard", html! { {cert.edition.label()} }));
            facts.push(fact(
                "Certified entity",
                html! { {cert.certified_entity.clone()} },
            ));
            let accreditation = match (&cert.accreditation_body, cert.accredited) {
                (Some(body), true) => format!("Accredited by {body}"),
                (None, true) => "Accredited".to_owned(),
                (_, false) => "Not accredited".to_owned(),
            };
            facts.push(fact(
                "Certification body",
                html! { <>{cert.certification_body.clone()}<span class="tc-muted">{format!(" · {accreditation}")}</span></> },
            ));
            facts.push(fact("First issued", time(cert.original_issue_date)));
            facts.push(fact("Current certificate issued", time(cert.issue_date)));
            facts.push(fact("Expires", time(cert.expiry_date)));
            if let Some(soa) = &cert.soa_version {
                facts.push(fact(
                    "Statement of Applicability",
                    html! { {format!("Version {soa}")} },
                ));
            }

            let next_audit = cert
                .surveillance_audits
                .iter()
                .filter(|audit| audit.completed_on.is_none())
                .min_by_key(|audit| audit.due_by);
            let last_done = cert
                .surveillance_audits
                .iter()
                .filter_map(|audit| audit.completed_on)
                .max();
            if let Some(done) = last_done {
                facts.push(fact("Last surveillance audit", time(done)));
            }
            if let Some(audit) = next_audit {
                let days = today.days_until(audit.due_by);
                let value = if days < 0 {
                    html! { <span class="tc-overdue"><span aria-hidden="true">{"! "}</span>{"Overdue: was due by "}{time(audit.due_by)}{format!(" ({})", format::relative_days(days))}</span> }
                } else {
                    html! { <>{"Due by "}{time(audit.due_by)}<span class="tc-muted">{format!(" ({})", format::relative_days(days))}</span></> }
                };
                facts.push(fact("Next surveillance audit", value));
            }

            let days_left = status
                .days_remaining
                .unwrap_or_else(|| today.days_until(cert.expiry_date));
            let active = matches!(iso.status, IsoStatus::Active);
            if active {
                // The cycle is three years; show how much of it remains.
                let cycle = cert.issue_date.days_until(cert.expiry_date).max(1);
                let percent = (days_left.clamp(0, cycle) * 100) / cycle;
                let text = if days_left >= 0 {
                    format!("{days_left} days until the certificate expires")
                } else {
                    format!("Certificate expired {} days ago", -days_left)
                };
                countdown = html! {
                    <div class="tc-countdown">
                        <p class="tc-countdown__text">{text}</p>
                        <div class="tc-meter" role="img" aria-label={format!("{percent}% of the certificate cycle remaining")}>
                            {with_class_string(html! { <span class="tc-meter__fill"></span> }, format!("tc-meter__fill tc-meter__fill--p{}", (percent / 5) * 5))}
                        </div>
                    </div>
                };
            }

            scope = html! {
                <div class="tc-scope">
                    <h4 class="tc-scope__title">{"Scope of the certified management system"}</h4>
                    <p class="tc-scope__text">{cert.scope.clone()}</p>
                </div>
            };
            if let Some(url) = &cert.registry_url {
                registry = html! {
                    <div class="tc-card__actions">
                        {safe_link(url.clone(), page.allow_loopback_http, Some("tc-button tc-button--secondary"), None, html! { {"Verify with the registry"} })}
                        <p class="tc-small tc-muted">
                            {"Registries do not list every certificate, so a missing entry is a reason to ask the vendor, not proof of a problem."}
                        </p>
                    </div>
                };
            }
        }
    }

    html! {
        <article class="tc-card tc-framework" aria-labelledby="tc-iso-title">
            <header class="tc-card__header">
                <p class="tc-card__eyebrow">{"Certification by an accredited body"}</p>
                <h3 id="tc-iso-title" class="tc-card__title">{"ISO/IEC 27001 certificate"}</h3>
                {status_badge(status.level, &status.headline)}
            </header>
            <p class="tc-card__explanation">{status.explanation.clone()}</p>
            {findings_list(&status.findings, &["next_surveillance_audit", "surveillance_overdue"])}
            {countdown}
            {scope}
            if !facts.is_empty() {
                <dl class="tc-facts">{facts}</dl>
            }
            {registry}
        </article>
    }
}
