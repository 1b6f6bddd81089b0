//! The modal frame: dialog semantics, a title and a Close button, Esc to close, Tab kept
//! inside (the root moves focus in on open and gives it back on close). It carries `lang` and
//! `dir`, so in Arabic everything inside mirrors (the rating scale included: 1 on the right)
//! while each radio keeps its value.

use std::borrow::Cow;

use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};

use crate::components::app::dispatch;
use crate::dom;
use crate::state::Action;
use crate::strings::{CLOSE_GLYPH, Text, is_rtl, text};
use crate::vdom::{El, Node, h};

/// Id of the title, for `aria-labelledby` (ids are scoped to our shadow root).
pub const TITLE_ID: &str = "tl-title";

/// The frame drawn in `root`, while the dialog is open, found by its marker.
pub fn frame(root: &Element) -> Option<Element> {
    root.query_selector("[data-tellus=dialog]").ok().flatten()
}

/// The frame around the dialog's `content`, drawn in `root` (where the frame is found to keep
/// Tab inside it).
pub fn dialog(title: Cow<'static, str>, lang: &'static str, root: &Element, content: Vec<Node>) -> El {
    let root = root.clone();
    let onkeydown = move |event: web_sys::Event| {
        let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
            return;
        };
        match event.key().as_str() {
            "Escape" => {
                event.prevent_default();
                dispatch(Action::Close);
            }
            "Tab" => {
                if let Some(dialog) = frame(&root) {
                    dom::trap_tab(&dialog, event);
                }
            }
            _ => {}
        }
    };
    h("div")
        .attr("class", "panel dialog")
        .attr("role", "dialog")
        .attr("aria-modal", "true")
        .attr("aria-labelledby", TITLE_ID)
        .attr("tabindex", "-1")
        .attr("data-tellus", "dialog")
        .attr("lang", lang)
        .attr("dir", if is_rtl(lang) { "rtl" } else { "ltr" })
        .on("keydown", onkeydown)
        .child(
            h("div").attr("class", "head").child(h("h2").attr("id", TITLE_ID).child(Node::Text(title))).child(
                h("button")
                    .attr("type", "button")
                    .attr("class", "close")
                    .attr("aria-label", text(lang, Text::Close))
                    .attr("data-tellus", "close")
                    .on("click", |_| dispatch(Action::Close))
                    .child(h("span").attr("aria-hidden", "true").child(CLOSE_GLYPH)),
            ),
        )
        .children(content)
}
