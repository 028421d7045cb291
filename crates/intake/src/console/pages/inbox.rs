//! The inbox: every request, pending first, with filters by status, document and e-mail domain and a
//! search over name, company and e-mail. A plain GET form, so it works without JavaScript and the
//! filtered view can be bookmarked.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{Html, Redirect};
use maud::html;
use serde::Deserialize;

use super::layout::{age, html, page, Nav};
use crate::clock::now_secs;
use crate::console::db::InboxFilter;
use crate::console::respond::ConsoleError;
use crate::console::session::SignedIn;
use crate::console::{blocking, ConsoleState};
use crate::store::RequestStatus;

/// Rows shown at most.
const INBOX_LIMIT: u32 = 500;

/// `GET /`: the inbox.
pub async fn root(_reviewer: SignedIn) -> Redirect {
    Redirect::to("/inbox")
}

/// The filter form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct InboxQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub document: String,
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub q: String,
}

impl InboxQuery {
    fn filter(&self) -> InboxFilter {
        let some = |text: &str| Some(text.trim().to_string()).filter(|t| !t.is_empty());
        InboxFilter {
            status: RequestStatus::parse(self.status.trim()),
            document_id: some(&self.document),
            email_domain: some(&self.domain).map(|d| d.trim_start_matches('@').to_string()),
            search: some(&self.q),
        }
    }
}

/// `GET /inbox`.
pub async fn show(
    State(state): State<Arc<ConsoleState>>,
    reviewer: SignedIn,
    Query(query): Query<InboxQuery>,
) -> Result<Html<String>, ConsoleError> {
    let filter = query.filter();
    let db = state.db.clone();
    let wanted = filter.clone();
    let (rows, requested) =
        blocking(move || Ok((db.inbox(&wanted, INBOX_LIMIT)?, db.requested_documents()?))).await?;
    let mut documents: Vec<String> = state.config.documents.files.keys().cloned().collect();
    for id in requested {
        if !documents.contains(&id) {
            documents.push(id);
        }
    }
    documents.sort();
    let now = now_secs();
    let pending = rows
        .iter()
        .filter(|r| r.status == RequestStatus::Pending)
        .count();
    let filtered = filter != InboxFilter::default();
    let nav = Nav {
        reviewer: &reviewer.name,
        csrf_token: &reviewer.csrf_token,
        current: "inbox",
    };
    let statuses = ["pending", "approved", "denied", "revoked"];
    Ok(html(page(
        "Inbox",
        Some(&nav),
        false,
        html! {
            h1 { "Inbox" }
            form class="filters" method="get" action="/inbox" role="search" aria-label="Filter requests" {
                div class="field" {
                    label for="filter-status" { "Status" }
                    select id="filter-status" name="status" {
                        option value="" selected[filter.status.is_none()] { "Any" }
                        @for status in statuses {
                            option value=(status) selected[filter.status.map(|s| s.as_str()) == Some(status)] { (status) }
                        }
                    }
                }
                div class="field" {
                    label for="filter-document" { "Document" }
                    select id="filter-document" name="document" {
                        option value="" selected[filter.document_id.is_none()] { "Any" }
                        @for id in &documents {
                            option value=(id) selected[filter.document_id.as_deref() == Some(id.as_str())] { (id) }
                        }
                    }
                }
                div class="field" {
                    label for="filter-domain" { "E-mail domain" }
                    input id="filter-domain" name="domain" type="text" value=(query.domain) placeholder="example.com";
                }
                div class="field" {
                    label for="filter-q" { "Search name, company or e-mail" }
                    input id="filter-q" name="q" type="search" value=(query.q);
                }
                div class="buttons" {
                    button type="submit" { "Apply filters" }
                    @if filtered { a href="/inbox" { "Clear filters" } }
                }
            }
            @if rows.is_empty() {
                p class="empty" { @if filtered { "No request matches these filters." } @else { "No requests yet." } }
            } @else {
                table class="inbox" {
                    caption {
                        (rows.len()) " request" @if rows.len() != 1 { "s" }
                        @if filtered { " matching the filters" }
                        ", " (pending) " pending"
                    }
                    thead {
                        tr {
                            th scope="col" { "Company" }
                            th scope="col" { "Requester" }
                            th scope="col" { "Domain" }
                            th scope="col" { "Document" }
                            th scope="col" { "Status" }
                            th scope="col" { "Age" }
                            th scope="col" { "Rule" }
                        }
                    }
                    tbody {
                        @for row in &rows {
                            tr data-request-id=(row.id) {
                                @if row.email.is_empty() {
                                    // Erased (`trustctl requests erase`): nothing personal is left.
                                    td { a href={ "/requests/" (row.id) } { "(erased)" } }
                                    td { "(erased)" }
                                } @else {
                                    td { a href={ "/requests/" (row.id) } { (row.company) } }
                                    td { (row.name) br; span class="muted" { (row.email) } }
                                }
                                td { (row.email_domain) }
                                td { (row.document_id) }
                                td { span class={ "badge badge--" (row.status.as_str()) } { (row.status.as_str()) } }
                                td { (age(now, row.created_at)) }
                                td { (row.rule.as_deref().unwrap_or("no rule matched: manual review")) }
                            }
                        }
                    }
                }
            }
        },
    )))
}
