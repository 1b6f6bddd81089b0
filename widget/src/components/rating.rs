//! The rating question's answers: a radio group of native radios (so arrow keys, Space and
//! screen readers work as everywhere), CSAT 1–5 with faces and words or NPS 0–10 with numbers.

use tellus_core::entry::Scale;
use yew::prelude::*;

use crate::strings::{CSAT_FACES, Text, csat_label, rating_name, text};

/// Every rating as written (NPS goes 0–10): literals rather than numbers formatted at run time.
const NUMBERS: [&str; 11] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];

/// What a rating group is drawn from.
pub struct RatingProps {
    pub scale: Scale,
    pub lang: &'static str,
    /// Id of the element holding the question, which names the group.
    pub labelled_by: &'static str,
    /// The radios' `name`: the new entry's group and the re-rating's must differ.
    pub name: &'static str,
    pub selected: Option<u8>,
    pub on_rate: Callback<u8>,
}

/// The radio group. A function rather than a component: it has no state of its own, and its
/// parent passes a new `on_rate` on every render, so a component would re-render each time
/// anyway; as a component it cost its own copy of Yew's lifecycle (about 0.5 KB of brotli).
pub fn rating(props: &RatingProps) -> Html {
    let scale = props.scale;
    let name = |rating: u8| {
        let word = (scale == Scale::Csat).then(|| csat_label(props.lang, rating));
        rating_name(props.lang, rating, scale.max(), word)
    };
    let choices = (scale.min()..=scale.max()).map(|rating| {
        let number = NUMBERS.get(usize::from(rating)).copied().unwrap_or_default();
        let label = match scale {
            Scale::Csat => html! {
                <>
                    <span class="face" aria-hidden="true">
                        { CSAT_FACES.get(usize::from(rating.saturating_sub(1))).copied().unwrap_or_default() }
                    </span>
                    <span class="word">{ csat_label(props.lang, rating) }</span>
                </>
            },
            Scale::Nps => html! { <span class="word">{ number }</span> },
        };
        html! {
            <label class="choice" key={number}>
                <input
                    type="radio"
                    name={props.name}
                    value={number}
                    data-rating={number}
                    aria-label={name(rating)}
                    checked={props.selected == Some(rating)}
                    onchange={props.on_rate.reform(move |_: Event| rating)}
                />
                <span class="box">{ label }</span>
            </label>
        }
    });
    // Id of the NPS scale's end labels, which describe the group (one per group).
    let ends_id = AttrValue::from([props.name, "-ends"].concat());
    // `class` is a literal in each arm: a computed one goes through Yew's `Classes` (a hashed
    // set of strings, about 1 KB of brotli for two words).
    let group = match scale {
        Scale::Csat => html! {
            <div role="radiogroup" class="scale csat" aria-labelledby={props.labelled_by}>
                { for choices }
            </div>
        },
        Scale::Nps => html! {
            <div
                role="radiogroup"
                class="scale nps"
                aria-labelledby={props.labelled_by}
                aria-describedby={ends_id.clone()}
            >
                { for choices }
            </div>
        },
    };
    html! {
        <>
            { group }
            if scale == Scale::Nps {
                <div class="ends" id={ends_id}>
                    <span>{ text(props.lang, Text::NpsLow) }</span>
                    <span>{ text(props.lang, Text::NpsHigh) }</span>
                </div>
            }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The literals are the numbers, as `decimal` writes them.
    #[test]
    fn numbers_are_the_ratings_written_out() {
        for (rating, number) in NUMBERS.iter().enumerate() {
            assert_eq!(*number, crate::strings::decimal(rating as u64));
        }
    }
}
