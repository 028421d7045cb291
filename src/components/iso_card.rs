//! `IsoCard`: the ISO/IEC 27001 certificate — number, edition, certification and accreditation
//! bodies, scope, dates, surveillance audits, expiry countdown and the registry link.

use std::rc::Rc;

use trust_manifest::IsoStatus;
use yew::prelude::*;

use crate::components::class_attr::with_class_string;
use crate::components::format::{self, fact, time};
use crate::components::safe_link::safe_link;
use crate::components::status_badge::{findings_list, status_badge};
use crate::i18n::{status_text, Msg, Tr};
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
    view_in(Tr::english(), props)
}

/// [`view`] in the language of `tr`.
pub fn view_in(tr: Tr, props: &IsoCardProps) -> Html {
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
                facts.push(fact(tr.get(Msg::IsoExpected), time(tr, expected)));
            }
        }
        if let Some(cert) = &iso.certificate {
            facts.push(fact(
                tr.get(Msg::IsoNumber),
                html! { <code>{cert.number.clone()}</code> },
            ));
            facts.push(fact(
                tr.get(Msg::IsoStandard),
                html! { {cert.edition.label()} },
            ));
            facts.push(fact(
                tr.get(Msg::IsoEntity),
                html! { {cert.certified_entity.clone()} },
            ));
            let accreditation = match (&cert.accreditation_body, cert.accredited) {
                (Some(body), true) => tr.fill(Msg::IsoAccreditedBy, &[("body", body)]),
                (None, true) => tr.get(Msg::IsoAccredited).to_owned(),
                (_, false) => tr.get(Msg::IsoNotAccredited).to_owned(),
            };
            facts.push(fact(
                tr.get(Msg::IsoBody),
                html! { <>{cert.certification_body.clone()}<span class="tc-muted">{format!(" · {accreditation}")}</span></> },
            ));
            facts.push(fact(
                tr.get(Msg::IsoFirstIssued),
                time(tr, cert.original_issue_date),
            ));
            facts.push(fact(
                tr.get(Msg::IsoCurrentIssued),
                time(tr, cert.issue_date),
            ));
            facts.push(fact(tr.get(Msg::IsoExpires), time(tr, cert.expiry_date)));
            if let Some(soa) = &cert.soa_version {
                facts.push(fact(
                    tr.get(Msg::IsoSoa),
                    html! { {tr.fill(Msg::IsoSoaVersion, &[("version", soa)])} },
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
                facts.push(fact(tr.get(Msg::IsoLastAudit), time(tr, done)));
            }
            if let Some(audit) = next_audit {
                let days = today.days_until(audit.due_by);
                let value = if days < 0 {
                    html! { <span class="tc-overdue"><span aria-hidden="true">{"! "}</span>{tr.text(Msg::IsoOverdueDueBy)}{" "}{time(tr, audit.due_by)}{format!(" ({})", format::relative_days(tr, days))}</span> }
                } else {
                    html! { <>{tr.text(Msg::IsoDueBy)}{" "}{time(tr, audit.due_by)}<span class="tc-muted">{format!(" ({})", format::relative_days(tr, days))}</span></> }
                };
                facts.push(fact(tr.get(Msg::IsoNextAudit), value));
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
                    tr.plural(Msg::IsoDaysUntilExpiry, days_left, &[])
                } else {
                    tr.plural(Msg::IsoExpiredDaysAgo, -days_left, &[])
                };
                countdown = html! {
                    <div class="tc-countdown">
                        <p class="tc-countdown__text">{text}</p>
                        <div class="tc-meter" role="img" aria-label={tr.fill(Msg::IsoCycleRemaining, &[("percent", &percent.to_string())])}>
                            {with_class_string(html! { <span class="tc-meter__fill"></span> }, format!("tc-meter__fill tc-meter__fill--p{}", (percent / 5) * 5))}
                        </div>
                    </div>
                };
            }

            let (scope_lang, scope_text) = page.vendor(&cert.scope);
            scope = html! {
                <div class="tc-scope">
                    <h4 class="tc-scope__title">{tr.text(Msg::IsoScopeTitle)}</h4>
                    <p class="tc-scope__text" lang={scope_lang}>{scope_text.to_owned()}</p>
                </div>
            };
            if let Some(url) = &cert.registry_url {
                registry = html! {
                    <div class="tc-card__actions">
                        {safe_link(tr, url.clone(), page.allow_loopback_http, Some("tc-button tc-button--secondary"), None, html! { {tr.text(Msg::IsoRegistryLink)} })}
                        <p class="tc-small tc-muted">
                            {tr.text(Msg::IsoRegistryNote)}
                        </p>
                    </div>
                };
            }
        }
    }

    html! {
        <article class="tc-card tc-framework" aria-labelledby="tc-iso-title">
            <header class="tc-card__header">
                <p class="tc-card__eyebrow">{tr.text(Msg::IsoEyebrow)}</p>
                <h3 id="tc-iso-title" class="tc-card__title">{tr.text(Msg::IsoTitle)}</h3>
                {status_badge(status.level, &status_text::render(tr, &status.headline))}
            </header>
            <p class="tc-card__explanation">{status_text::render(tr, &status.explanation)}</p>
            {findings_list(tr, &status.findings, &["next_surveillance_audit", "surveillance_overdue"])}
            {countdown}
            {scope}
            if !facts.is_empty() {
                <dl class="tc-facts">{facts}</dl>
            }
            {registry}
        </article>
    }
}
