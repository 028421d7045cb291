//! The overview: requests per week, approval rate, median time to a (human) decision, downloads per
//! document — and the audit-export form.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Html;
use maud::html;

use super::layout::{duration, html, page, time, Nav};
use crate::clock::now_secs;
use crate::console::db::median;
use crate::console::export::utc_date;
use crate::console::respond::ConsoleError;
use crate::console::session::SignedIn;
use crate::console::{blocking, ConsoleState};

/// Weeks shown in the per-week table.
const WEEKS: i64 = 12;

/// `GET /overview`.
pub async fn show(
    State(state): State<Arc<ConsoleState>>,
    reviewer: SignedIn,
) -> Result<Html<String>, ConsoleError> {
    let db = state.db.clone();
    let now = now_secs();
    let overview = blocking(move || db.overview(now, WEEKS)).await?;
    let decided = overview.approved + overview.denied;
    let rate = (decided > 0).then(|| overview.approved * 100 / decided);
    let nav = Nav {
        reviewer: &reviewer.name,
        csrf_token: &reviewer.csrf_token,
        current: "overview",
    };
    let today = utc_date(now);
    let ninety_days_ago = utc_date(now - 90 * 86_400);
    Ok(html(page(
        "Overview",
        Some(&nav),
        false,
        html! {
            h1 { "Overview" }
            dl class="figures" {
                div { dt { "Approval rate" } dd { @if let Some(rate) = rate { (rate) " % of " (decided) " decided" } @else { "no decisions yet" } } }
                div { dt { "Median time to a decision" } dd { @if let Some(m) = median(&overview.decision_seconds) { (duration(m)) } @else { "no decisions by a reviewer yet" } } }
                div { dt { "Waiting for a decision" } dd { (overview.pending) } }
            }
            div class="columns" {
                section aria-labelledby="weeks-heading" {
                    h2 id="weeks-heading" { "Requests per week" }
                    table {
                        caption { "The last " (WEEKS) " weeks (weeks start on Monday, UTC)" }
                        thead { tr { th scope="col" { "Week of" } th scope="col" { "Requests" } } }
                        tbody {
                            @for (start, count) in overview.per_week.iter().rev() {
                                tr { td { (time(*start)) } td { (count) } }
                            }
                        }
                    }
                }
                section aria-labelledby="downloads-heading" {
                    h2 id="downloads-heading" { "Downloads per document" }
                    @if overview.downloads.is_empty() {
                        p { "No downloads yet." }
                    } @else {
                        table {
                            thead { tr { th scope="col" { "Document" } th scope="col" { "Downloads" } } }
                            tbody {
                                @for (document, count) in &overview.downloads {
                                    tr { td { (document) } td { (count) } }
                                }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="export-heading" {
                h2 id="export-heading" { "Export the audit trail" }
                form class="filters" method="get" action="/export" {
                    div class="field" {
                        label for="export-from" { "From (UTC, included)" }
                        input id="export-from" name="from" type="date" value=(ninety_days_ago);
                    }
                    div class="field" {
                        label for="export-to" { "To (UTC, included)" }
                        input id="export-to" name="to" type="date" value=(today);
                    }
                    div class="field" {
                        label for="export-format" { "Format" }
                        select id="export-format" name="format" {
                            option value="csv" { "CSV (spreadsheets)" }
                            option value="json" { "JSON" }
                        }
                    }
                    div class="buttons" { button type="submit" { "Download the export" } }
                }
            }
        },
    )))
}
