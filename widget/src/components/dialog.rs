//! The modal frame: dialog semantics, a title and a Close button, Esc to close, Tab kept
//! inside (the root component moves focus in on open and gives it back on close). It carries `lang` and `dir`, so in
//! Arabic everything inside mirrors (the rating scale included: 1 on the right) while each
//! radio keeps its value.

use web_sys::Element;
use yew::prelude::*;

use crate::dom;
use crate::strings::{CLOSE_GLYPH, Text, is_rtl, text};

/// Id of the title, for `aria-labelledby` (ids are scoped to our shadow root).
pub const TITLE_ID: &str = "tl-title";

/// What the frame is drawn from; `content` goes below the title.
pub struct DialogProps {
    pub title: AttrValue,
    pub lang: &'static str,
    /// The mount `<div>` the frame is drawn in: where the frame is found to keep Tab inside it
    /// (and by the root component, to focus it).
    pub root: Element,
    pub on_close: Callback<()>,
    pub content: Html,
}

/// The frame drawn in `root`, while the dialog is open. Found by its marker rather than through
/// a `NodeRef`, which would cost a state hook of its own.
pub fn frame(root: &Element) -> Option<Element> {
    root.query_selector("[data-tellus=dialog]").ok().flatten()
}

/// The frame around the dialog's content.
pub fn dialog(props: DialogProps) -> Html {
    let onkeydown = {
        let on_close = props.on_close.clone();
        let root = props.root.clone();
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "Escape" => {
                event.prevent_default();
                on_close.emit(());
            }
            "Tab" => {
                if let Some(dialog) = frame(&root) {
                    dom::trap_tab(&dialog, &event);
                }
            }
            _ => {}
        })
    };
    let on_close_click = props.on_close.reform(|_: MouseEvent| ());

    html! {
        <div
            class="panel dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby={TITLE_ID}
            tabindex="-1"
            data-tellus="dialog"
            lang={props.lang}
            dir={if is_rtl(props.lang) { "rtl" } else { "ltr" }}
            {onkeydown}
        >
            <div class="head">
                <h2 id={TITLE_ID}>{ props.title }</h2>
                <button
                    type="button"
                    class="close"
                    aria-label={text(props.lang, Text::Close)}
                    data-tellus="close"
                    onclick={on_close_click}
                >
                    <span aria-hidden="true">{ CLOSE_GLYPH }</span>
                </button>
            </div>
            { props.content }
        </div>
    }
}
