//! The rating question's answers: a radio group of native radios (so arrow keys, Space and
//! screen readers work as everywhere), CSAT 1–5 with faces and words or NPS 0–10 with numbers.

use tellus_core::entry::Scale;

use crate::components::app::dispatch;
use crate::state::Action;
use crate::strings::{CSAT_FACES, Text, csat_label, rating_name, text};
use crate::vdom::{Node, h};

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
    /// What choosing a rating does.
    pub on_rate: fn(u8) -> Action,
}

/// The radio group and, for NPS, the scale's end labels: always two nodes (the second empty
/// for CSAT), so what follows keeps its place.
pub fn rating(props: &RatingProps) -> [Node; 2] {
    let (scale, lang, on_rate) = (props.scale, props.lang, props.on_rate);
    let choices = (scale.min()..=scale.max()).map(|rating| {
        let number = NUMBERS.get(usize::from(rating)).copied().unwrap_or_default();
        let word = (scale == Scale::Csat).then(|| csat_label(lang, rating));
        let label = match scale {
            Scale::Csat => h("span")
                .attr("class", "box")
                .child(
                    h("span")
                        .attr("class", "face")
                        .attr("aria-hidden", "true")
                        .child(CSAT_FACES.get(usize::from(rating.saturating_sub(1))).copied().unwrap_or_default()),
                )
                .child(h("span").attr("class", "word").child(csat_label(lang, rating))),
            Scale::Nps => h("span").attr("class", "box").child(h("span").attr("class", "word").child(number)),
        };
        Node::from(
            h("label")
                .attr("class", "choice")
                .child(
                    h("input")
                        .attr("type", "radio")
                        .attr("name", props.name)
                        .attr("value", number)
                        .attr("data-rating", number)
                        .attr("aria-label", rating_name(lang, rating, scale.max(), word))
                        .checked(props.selected == Some(rating))
                        .on("change", move |_| dispatch(on_rate(rating))),
                )
                .child(label),
        )
    });
    let group = h("div").attr("role", "radiogroup").attr("aria-labelledby", props.labelled_by);
    match scale {
        Scale::Csat => [group.attr("class", "scale csat").children(choices).into(), Node::Empty],
        Scale::Nps => {
            // The end labels describe the group (one per group).
            let ends_id = [props.name, "-ends"].concat();
            [
                group.attr("class", "scale nps").attr("aria-describedby", ends_id.clone()).children(choices).into(),
                h("div")
                    .attr("class", "ends")
                    .attr("id", ends_id)
                    .child(h("span").child(text(lang, Text::NpsLow)))
                    .child(h("span").child(text(lang, Text::NpsHigh)))
                    .into(),
            ]
        }
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
