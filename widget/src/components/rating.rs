//! The rating question's answers: a radio group of native radios (so arrow keys, Space and
//! screen readers work as everywhere), CSAT 1–5 with faces and words or NPS 0–10 with numbers.

use tellus_core::entry::Scale;
use yew::prelude::*;

use crate::strings::{CSAT_FACES, Text, csat_label, rating_name, text};

#[derive(Properties, PartialEq)]
pub struct RatingProps {
    pub scale: Scale,
    pub lang: AttrValue,
    /// Id of the element holding the question, which names the group.
    pub labelled_by: AttrValue,
    /// The radios' `name`: the new entry's group and the re-rating's must differ.
    pub name: AttrValue,
    pub selected: Option<u8>,
    pub on_rate: Callback<u8>,
}

#[component]
pub fn Rating(props: &RatingProps) -> Html {
    let scale = props.scale;
    let name = |rating: u8| {
        let word = (scale == Scale::Csat).then(|| csat_label(&props.lang, rating));
        rating_name(&props.lang, rating, scale.max(), word)
    };
    let choices = (scale.min()..=scale.max()).map(|rating| {
        let label = match scale {
            Scale::Csat => html! {
                <>
                    <span class="face" aria-hidden="true">
                        { CSAT_FACES.get(usize::from(rating.saturating_sub(1))).copied().unwrap_or_default() }
                    </span>
                    <span class="word">{ csat_label(&props.lang, rating) }</span>
                </>
            },
            Scale::Nps => html! { <span class="word">{ rating }</span> },
        };
        html! {
            <label class="choice" key={rating}>
                <input
                    type="radio"
                    name={props.name.clone()}
                    value={rating.to_string()}
                    data-rating={rating.to_string()}
                    aria-label={name(rating)}
                    checked={props.selected == Some(rating)}
                    onchange={props.on_rate.reform(move |_: Event| rating)}
                />
                <span class="box">{ label }</span>
            </label>
        }
    });
    // Id of the NPS scale's end labels, which describe the group (one per group).
    let ends_id = AttrValue::from([props.name.as_str(), "-ends"].concat());
    let (class, described_by) = match scale {
        Scale::Csat => ("scale csat", None),
        Scale::Nps => ("scale nps", Some(ends_id.clone())),
    };
    html! {
        <>
            <div
                role="radiogroup"
                class={class}
                aria-labelledby={props.labelled_by.clone()}
                aria-describedby={described_by}
            >
                { for choices }
            </div>
            if scale == Scale::Nps {
                <div class="ends" id={ends_id}>
                    <span>{ text(&props.lang, Text::NpsLow) }</span>
                    <span>{ text(&props.lang, Text::NpsHigh) }</span>
                </div>
            }
        </>
    }
}
