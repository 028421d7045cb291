//! The SOC 2® vs ISO/IEC 27001 comparison as an accessible table. Each data cell carries a
//! `data-label` so the phone layout (styles/30-comparison.css) can stack every row as a card.

use yew::prelude::*;

use crate::content::comparison::{CRITERION_HEADING, ISO_HEADING, SOC2_HEADING};
use crate::content::COMPARISON_ROWS;
use crate::i18n::{content_text, Msg, Tr};

/// The twelve-criterion comparison table (no properties: the content is built in). The
/// surrounding page supplies the section heading.
/// A plain function rather than a component: it has no state, and a component's lifecycle
/// code would cost more wasm than its markup.
pub fn view() -> Html {
    view_in(Tr::english())
}

/// [`view`] in the language of `tr`.
pub fn view_in(tr: Tr) -> Html {
    let soc2_heading = tr.mirror(Msg::MirrorCompareHeadingSoc2, SOC2_HEADING);
    let iso_heading = tr.mirror(Msg::MirrorCompareHeadingIso, ISO_HEADING);
    let mut rows = Vec::new();
    for row in COMPARISON_ROWS.iter() {
        let [criterion, soc2, iso27001] = content_text::comparison_row(tr, row);
        rows.push(html! {
            <tr id={format!("tc-compare-{}", row.id.slug())}
                key={row.id.slug()}>
                <th scope="row">{ criterion.to_owned() }</th>
                <td data-label={soc2_heading.to_owned()}>{ soc2.to_owned() }</td>
                <td data-label={iso_heading.to_owned()}>{ iso27001.to_owned() }</td>
            </tr>
        });
    }
    html! {
        <div class="tc-comparison">
            <p class="tc-comparison__intro">
                { tr.get(Msg::CompareIntro) }
            </p>
            <div class="tc-comparison__wrap">
                <table class="tc-comparison__table">
                    <caption class="tc-comparison__caption">
                        { tr.get(Msg::CompareCaption) }
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">{ tr.mirror(Msg::MirrorCompareHeadingCriterion, CRITERION_HEADING).to_owned() }</th>
                            <th scope="col">{ soc2_heading.to_owned() }</th>
                            <th scope="col">{ iso_heading.to_owned() }</th>
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
