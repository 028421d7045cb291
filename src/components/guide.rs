//! The "Which do you need?" guide: the visitor picks where their customers are and what they
//! need, and gets a recommendation whose reasons point at rows of the comparison table.

use yew::prelude::*;

use crate::content::{recommend, Choice, Need, Recommendation, Region};
use crate::i18n::{content_text, Msg, Tr};

/// The visitor's answers so far.
#[derive(Clone, Debug, Default, PartialEq)]
struct GuideAnswers {
    region: Option<Region>,
    needs: Vec<Need>,
}

/// Renders a recommendation in English (also used by tests with fixed answers).
pub fn recommendation_view(recommendation: &Recommendation) -> Html {
    recommendation_view_in(Tr::english(), recommendation)
}

/// Renders a recommendation in the language of `tr`.
pub fn recommendation_view_in(tr: Tr, recommendation: &Recommendation) -> Html {
    let begin = recommendation.begin_with.map(|first| {
        tr.get(match first {
            Choice::Soc2 => Msg::GuideBeginSoc2,
            Choice::Iso27001 => Msg::GuideBeginIso,
            Choice::Both => Msg::GuideBeginBoth,
        })
    });
    let mut reasons = Vec::new();
    for reason in &recommendation.reasons {
        let [criterion, _, _] =
            content_text::comparison_row(tr, crate::content::ComparisonRow::get(reason.row));
        reasons.push(html! {
            <li>
                { tr.mirror(reason.msg, reason.text).to_owned() }
                <span class="tc-guide__row">
                    { " " }{ tr.fill(Msg::GuideComparisonRow, &[("row", criterion)]) }
                </span>
            </li>
        });
    }
    html! {
        <div class="tc-guide__result" data-choice={choice_key(recommendation.choice)}>
            <h3 class="tc-guide__headline">{ tr.mirror(recommendation.choice.headline_msg(), recommendation.choice.headline()).to_owned() }</h3>
            if let Some(begin) = begin {
                <p class="tc-guide__begin">{ begin }</p>
            }
            <ul class="tc-guide__reasons">
                { reasons }
            </ul>
            if let (Some(tip), Some(msg)) = (recommendation.tip, recommendation.tip_msg) {
                <p class="tc-guide__tip"><strong>{ tr.get(Msg::GuideTip) }</strong>{ " " }{ tr.mirror(msg, tip).to_owned() }</p>
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

/// Props of [`FrameworkGuide`].
#[derive(Properties, PartialEq, Clone, Default)]
pub struct FrameworkGuideProps {
    /// The page language's texts (English by default).
    #[prop_or_default]
    pub tr: Tr,
}

/// The interactive guide (the rules are built in). The surrounding page supplies the section
/// heading (`h2`); the recommendation is an `h3`.
#[component]
pub fn FrameworkGuide(props: &FrameworkGuideProps) -> Html {
    let answers = use_state(GuideAnswers::default);
    let tr = props.tr;

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
                <label for={id}>{ tr.mirror(region.label_msg(), region.label()).to_owned() }</label>
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
                <label for={id}>{ tr.mirror(need.label_msg(), need.label()).to_owned() }</label>
            </div>
        });
    }

    let result = match answers.region {
        Some(region) => recommendation_view_in(tr, &recommend(region, &answers.needs)),
        None => html! {
            <p class="tc-guide__prompt">
                { tr.get(Msg::GuidePrompt) }
            </p>
        },
    };

    html! {
        <div class="tc-guide">
            <p class="tc-guide__intro">
                { tr.get(Msg::GuideIntro) }
            </p>
            <form class="tc-guide__form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <fieldset class="tc-guide__fieldset">
                    <legend>{ tr.get(Msg::GuideRegionLegend) }</legend>
                    { region_options }
                </fieldset>
                <fieldset class="tc-guide__fieldset">
                    <legend>{ tr.get(Msg::GuideNeedLegend) }</legend>
                    { need_options }
                </fieldset>
            </form>
            <div class="tc-guide__output" aria-live="polite">
                { result }
            </div>
        </div>
    }
}
