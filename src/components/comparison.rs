//! The SOC 2® vs ISO/IEC 27001 comparison as an accessible table. Each data cell carries a
//! `data-label` so the phone layout (styles/30-comparison.css) can stack every row as a card.

use yew::prelude::*;

use crate::content::comparison::{CRITERION_HEADING, ISO_HEADING, SOC2_HEADING};
use crate::content::COMPARISON_ROWS;

/// The twelve-criterion comparison table (no properties: the content is built in). The
/// surrounding page supplies the section heading.
/// A plain function rather than a component: it has no state, and a component's lifecycle
/// code would cost more wasm than its markup.
pub fn view() -> Html {
    let mut rows = Vec::new();
    for row in COMPARISON_ROWS.iter() {
        rows.push(html! {
            <tr id={format!("tc-compare-{}", row.id.slug())}
                key={row.id.slug()}>
                <th scope="row">{ row.criterion }</th>
                <td data-label={SOC2_HEADING}>{ row.soc2 }</td>
                <td data-label={ISO_HEADING}>{ row.iso27001 }</td>
            </tr>
        });
    }
    html! {
        <div class="tc-comparison">
            <p class="tc-comparison__intro">
                { "Both show that a supplier takes security seriously, but they are different \
                   things: a SOC 2® report is an auditor's attestation, while ISO/IEC 27001 \
                   leads to a certificate. Here is how they differ, point by point." }
            </p>
            <div class="tc-comparison__wrap">
                <table class="tc-comparison__table">
                    <caption class="tc-comparison__caption">
                        { "Twelve differences between a SOC 2® report and an ISO/IEC 27001 \
                           certificate" }
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">{ CRITERION_HEADING }</th>
                            <th scope="col">{ SOC2_HEADING }</th>
                            <th scope="col">{ ISO_HEADING }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { rows }
                    </tbody>
                </table>
            </div>
        </div>
    }
}
