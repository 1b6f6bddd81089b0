//! The return visit: what became of the customer's last failure (acknowledged, fixed, the
//! owner's reply) and, after a fix, "We fixed it — how are we doing now?" with its own rating
//! and Send. Shown above the question for a new entry, in a form of its own.

use tellus_core::entry::{Scale, Status};

use crate::components::app::dispatch;
use crate::components::rating::{self, RatingProps};
use crate::components::status::{error, failure_message};
use crate::state::{Action, Delivery, FollowUp};
use crate::strings::{Text, text};
use crate::vdom::{El, h};

const RERATE_ID: &str = "tl-rerate-q";

/// The news section, or nothing when there is no news.
pub fn news(follow_up: &FollowUp, scale: Scale, lang: &'static str) -> Option<El> {
    let FollowUp::News { receipt, rating, delivery, .. } = follow_up else {
        return None;
    };
    let status = match receipt.status {
        Some(Status::Fixed) => Text::NewsFixed,
        Some(Status::Acknowledged) => Text::NewsAcknowledged,
        _ => Text::NewsOpen,
    };
    let reply = receipt.reply.as_ref().map(|reply| {
        h("div")
            .attr("class", "reply")
            .attr("data-tellus", "reply")
            .child(h("p").attr("class", "label").child(text(lang, Text::ReplyLabel)))
            .child(h("blockquote").child(reply.text.clone()))
    });
    let rerate = match delivery {
        Delivery::Sent => {
            Some(h("p").attr("class", "thanks").attr("data-tellus", "rerated").child(text(lang, Text::Rerated)))
        }
        _ if receipt.can_rerate => {
            let failed = match delivery {
                Delivery::Failed(failure) => Some(error(failure_message(lang, failure))),
                _ => None,
            };
            let on_submit = |event: web_sys::Event| {
                event.prevent_default();
                dispatch(Action::SendRerate);
            };
            Some(
                h("form")
                    .attr("class", "rerate")
                    .on("submit", on_submit)
                    .child(
                        h("p").attr("class", "question").attr("id", RERATE_ID).child(text(lang, Text::RerateQuestion)),
                    )
                    .children(rating::rating(&RatingProps {
                        scale,
                        lang,
                        labelled_by: RERATE_ID,
                        name: "tl-rerate",
                        selected: *rating,
                        on_rate: Action::Rerate,
                    }))
                    .child(failed)
                    .child(
                        h("div").attr("class", "actions").child(
                            h("button")
                                .attr("type", "submit")
                                .attr("class", "primary")
                                .attr("data-tellus", "rerate-send")
                                .child(text(lang, Text::Send)),
                        ),
                    ),
            )
        }
        _ => None,
    };
    Some(
        h("section")
            .attr("class", "news")
            .attr("data-tellus", "news")
            .attr("aria-labelledby", "tl-news")
            .child(h("h3").attr("id", "tl-news").child(text(lang, Text::NewsTitle)))
            .child(h("p").attr("data-tellus", "news-status").child(text(lang, status)))
            .child(reply)
            .child(h("div").attr("aria-live", "polite").child(rerate)),
    )
}
