//! `Soc2Card`: the SOC 2® report — type, criteria, CPA firm, period, freshness, bridge letter and
//! the "Request report under NDA" action. Attestation wording only: a report, never "certified".

use std::rc::Rc;

use trust_manifest::{DocumentAccess, Soc2ReportKind, Soc2Status, TrustServicesCriterion};
use yew::prelude::*;

use crate::nda::OpenRequest;

use crate::components::format::{self, fact, time};
use crate::components::safe_link::safe_link;
use crate::components::status_badge::{findings_list, status_badge};
use crate::i18n::{labels, status_text, Msg, Tr};
use crate::state::VerifiedPage;

/// Props of [`view`].
#[derive(Properties, PartialEq, Clone)]
pub struct Soc2CardProps {
    /// The verified page.
    pub page: Rc<VerifiedPage>,
    /// Called with the report's document id when the visitor asks for it under NDA.
    #[prop_or_default]
    pub on_request: Callback<OpenRequest>,
}

/// The SOC 2 card.
/// A plain function rather than a component: it has no state, and a component's lifecycle
/// code would cost more wasm than its markup.
pub fn view(props: &Soc2CardProps) -> Html {
    view_in(Tr::english(), props)
}

/// [`view`] in the language of `tr`.
pub fn view_in(tr: Tr, props: &Soc2CardProps) -> Html {
    let page = &props.page;
    let status = &page.status.soc2;
    let soc2 = page.manifest.soc2.as_ref();

    let title = match soc2.and_then(|s| s.report.as_ref()).map(|r| r.kind) {
        Some(Soc2ReportKind::Type1 { .. }) => Msg::Soc2TitleType1,
        Some(Soc2ReportKind::Type2 { .. }) => Msg::Soc2TitleType2,
        None => Msg::Soc2Title,
    };

    let mut facts: Vec<Html> = Vec::new();
    let mut chips = Html::default();
    let mut actions: Vec<Html> = Vec::new();

    if let Some(soc2) = soc2 {
        match soc2.status {
            Soc2Status::NotStarted => {}
            Soc2Status::InProgress => facts.push(fact(
                tr.get(Msg::Soc2Stage),
                html! {tr.text(Msg::Soc2StageInProgress)},
            )),
            Soc2Status::ReportAvailable => {}
        }
        if let Some(report) = &soc2.report {
            let mut in_scope = Vec::new();
            let mut out_of_scope = String::new();
            for criterion in TrustServicesCriterion::ALL {
                if report.criteria.contains(&criterion)
                    || criterion == TrustServicesCriterion::Security
                {
                    in_scope.push(html! { <li class="tc-chip"><span aria-hidden="true">{"✓ "}</span>{labels::criterion(tr, criterion).to_owned()}</li> });
                } else {
                    if !out_of_scope.is_empty() {
                        out_of_scope.push_str(", ");
                    }
                    out_of_scope.push_str(labels::criterion(tr, criterion));
                }
            }
            chips = html! {
                <div class="tc-criteria">
                    <h4 class="tc-criteria__title">{tr.text(Msg::Soc2CriteriaInScope)}</h4>
                    <ul class="tc-chips">
                        {in_scope}
                    </ul>
                    if !out_of_scope.is_empty() {
                        <p class="tc-muted tc-small">{tr.text(Msg::Soc2NotInScope)}{" "}{out_of_scope}</p>
                    }
                </div>
            };
            facts.push(fact(
                tr.get(Msg::Soc2CpaFirm),
                html! { {report.auditor.clone()} },
            ));
            match report.kind {
                Soc2ReportKind::Type1 { as_of } => {
                    facts.push(fact(tr.get(Msg::Soc2AssessedAsOf), time(tr, as_of)));
                }
                Soc2ReportKind::Type2 {
                    period_start,
                    period_end,
                } => {
                    let months = (period_start.days_until(period_end) + 15) / 30;
                    facts.push(fact(
                        tr.get(Msg::Soc2ObservationPeriod),
                        html! { <>{time(tr, period_start)}{" – "}{time(tr, period_end)}<span class="tc-muted">{" ("}{tr.plural(Msg::Soc2AboutMonths, months, &[])}{")"}</span></> },
                    ));
                }
            }
            facts.push(fact(
                tr.get(Msg::Soc2ReportDate),
                time(tr, report.report_date),
            ));
        }
        if let Some(letter) = &soc2.bridge_letter {
            let covers = page.today <= letter.covers_through;
            let words = tr.fill(
                if covers {
                    Msg::Soc2BridgeCurrent
                } else {
                    Msg::Soc2BridgeLapsed
                },
                &[
                    ("issued", &format::date(tr, letter.issued_on)),
                    ("through", &format::date(tr, letter.covers_through)),
                ],
            );
            facts.push(fact(tr.get(Msg::Soc2BridgeLetter), html! { {words} }));
        } else if soc2.report.is_some() {
            facts.push(fact(
                tr.get(Msg::Soc2BridgeLetter),
                html! { <span class="tc-muted">{tr.text(Msg::Soc2BridgeNone)}</span> },
            ));
        }
        if let Some(next) = soc2.next_report_expected {
            facts.push(fact(tr.get(Msg::Soc2NextReport), time(tr, next)));
        }

        if let Some(document_id) = soc2.report_document_id.clone() {
            let gated = page
                .manifest
                .documents
                .iter()
                .find(|d| d.id == document_id)
                .map(|d| d.access == DocumentAccess::Nda)
                .unwrap_or(false);
            if gated && page.manifest.access_requests.is_some() {
                let on_request = props.on_request.clone();
                actions.push(html! {
                    <button type="button" class="tc-button tc-button--primary"
                        onclick={Callback::from(move |event: MouseEvent| on_request.emit(OpenRequest::from_click(document_id.clone(), &event)))}>
                        {tr.text(Msg::Soc2RequestReport)}
                    </button>
                });
            }
        }
        if let Some(url) = &soc2.soc3_url {
            actions.push(html! {
                {safe_link(tr, url.clone(), page.allow_loopback_http, Some("tc-button tc-button--secondary"), None, html! { {tr.text(Msg::Soc2ReadSoc3)} })}
            });
        }
    }

    html! {
        <article class="tc-card tc-framework" aria-labelledby="tc-soc2-title">
            <header class="tc-card__header">
                <p class="tc-card__eyebrow">{tr.text(Msg::Soc2Eyebrow)}</p>
                <h3 id="tc-soc2-title" class="tc-card__title">{tr.get(title)}</h3>
                {status_badge(status.level, &status_text::render(tr, &status.headline))}
            </header>
            <p class="tc-card__explanation">{status_text::render(tr, &status.explanation)}</p>
            {findings_list(tr, &status.findings, &[])}
            {chips}
            if !facts.is_empty() {
                <dl class="tc-facts">{facts}</dl>
            }
            if !actions.is_empty() {
                <div class="tc-card__actions">{actions}</div>
            }
            <p class="tc-card__note">
                {tr.text(Msg::Soc2Note)}
            </p>
        </article>
    }
}
