//! The "Which do you need?" guide: the visitor picks where their customers are and what they
//! need, and gets a recommendation whose reasons point at rows of the comparison table.

use yew::prelude::*;

use crate::content::{recommend, Choice, Need, Recommendation, Region};

/// The visitor's answers so far.
#[derive(Clone, Debug, Default, PartialEq)]
struct GuideAnswers {
    region: Option<Region>,
    needs: Vec<Need>,
}

/// Renders a recommendation (also used by tests with fixed answers).
pub fn recommendation_view(recommendation: &Recommendation) -> Html {
    let begin = recommendation.begin_with.map(|first| match first {
        Choice::Soc2 => "Begin with the SOC 2® report; it usually comes sooner.",
        Choice::Iso27001 => "Begin with ISO/IEC 27001; your answers lean towards it.",
        Choice::Both => "Prepare both together.",
    });
    let mut reasons = Vec::new();
    for reason in &recommendation.reasons {
        reasons.push(html! {
            <li>
                { reason.text }
                <span class="tc-guide__row">
                    { format!(" (comparison: {})", reason.row.criterion()) }
                </span>
            </li>
        });
    }
    html! {
        <div class="tc-guide__result" data-choice={choice_key(recommendation.choice)}>
            <h3 class="tc-guide__headline">{ recommendation.choice.headline() }</h3>
            if let Some(begin) = begin {
                <p class="tc-guide__begin">{ begin }</p>
            }
            <ul class="tc-guide__reasons">
                { reasons }
            </ul>
            if let Some(tip) = recommendation.tip {
                <p class="tc-guide__tip"><strong>{ "Tip: " }</strong>{ tip }</p>
            }
        </div>
    }
}

fn choice_key(choice: Choice) -> &'static str {
    match choice {
        Choice::Soc2 => "soc2",
        Choice::Iso27001 => "iso27001",
        Choice::Both => "both",
    }
}

/// The interactive guide (no properties: the rules are built in). The surrounding page supplies
/// the section heading (`h2`); the recommendation is an `h3`.
#[component]
pub fn FrameworkGuide() -> Html {
    let answers = use_state(GuideAnswers::default);

    let mut region_options = Vec::new();
    for &region in Region::ALL.iter() {
        let id = format!("tc-guide-region-{}", region.key());
        let onchange = {
            let answers = answers.clone();
            Callback::from(move |_: Event| {
                let mut next = (*answers).clone();
                next.region = Some(region);
                answers.set(next);
            })
        };
        region_options.push(html! {
            <div class="tc-guide__option" key={region.key()}>
                <input type="radio" name="tc-guide-region" id={id.clone()} value={region.key()}
                       checked={answers.region == Some(region)} {onchange} />
                <label for={id}>{ region.label() }</label>
            </div>
        });
    }

    let mut need_options = Vec::new();
    for &need in Need::ALL.iter() {
        let id = format!("tc-guide-need-{}", need.key());
        let checked = answers.needs.contains(&need);
        let onchange = {
            let answers = answers.clone();
            Callback::from(move |_: Event| {
                let mut next = (*answers).clone();
                if let Some(at) = next.needs.iter().position(|n| *n == need) {
                    next.needs.remove(at);
                } else {
                    next.needs.push(need);
                }
                answers.set(next);
            })
        };
        need_options.push(html! {
            <div class="tc-guide__option" key={need.key()}>
                <input type="checkbox" id={id.clone()} value={need.key()} {checked} {onchange} />
                <label for={id}>{ need.label() }</label>
            </div>
        });
    }

    let result = match answers.region {
        Some(region) => recommendation_view(&recommend(region, &answers.needs)),
        None => html! {
            <p class="tc-guide__prompt">
                { "Choose where your customers are to see a recommendation." }
            </p>
        },
    };

    html! {
        <div class="tc-guide">
            <p class="tc-guide__intro">
                { "Answer two questions about your own company and its customers. The answer is \
                   a rule of thumb based on the comparison above, not legal or audit advice." }
            </p>
            <form class="tc-guide__form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <fieldset class="tc-guide__fieldset">
                    <legend>{ "Where are most of your customers?" }</legend>
                    { region_options }
                </fieldset>
                <fieldset class="tc-guide__fieldset">
                    <legend>{ "What do you need? (choose any)" }</legend>
                    { need_options }
                </fieldset>
            </form>
            <div class="tc-guide__output" aria-live="polite">
                { result }
            </div>
        </div>
    }
}
