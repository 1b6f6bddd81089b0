//! The modal frame: dialog semantics, a title and a Close button, Esc to close, Tab kept
//! inside, focus moved in on open and given back on close. It carries `lang` and `dir`, so in
//! Arabic everything inside mirrors (the rating scale included: 1 on the right) while each
//! radio keeps its value.

use yew::prelude::*;

use crate::dom;
use crate::strings::{CLOSE_GLYPH, Text, is_rtl, text};

/// Id of the title, for `aria-labelledby` (ids are scoped to our shadow root).
pub const TITLE_ID: &str = "tl-title";

#[derive(Properties, PartialEq)]
pub struct DialogProps {
    pub title: AttrValue,
    pub lang: AttrValue,
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub children: Html,
}

/// Mounted while the dialog is open, so its effect's tear-down is the moment to give focus
/// back to whatever opened it (the launcher, or the host's own button).
#[component]
pub fn Dialog(props: &DialogProps) -> Html {
    let dialog_ref = use_node_ref();

    {
        let dialog_ref = dialog_ref.clone();
        use_effect_with((), move |_| {
            let dialog = dialog_ref.cast::<web_sys::Element>();
            let opener = dialog.as_ref().and_then(dom::focused_element);
            if let Some(dialog) = &dialog {
                dom::focus(dialog);
            }
            move || {
                if let Some(opener) = opener {
                    dom::focus(&opener);
                }
            }
        });
    }

    let onkeydown = {
        let on_close = props.on_close.clone();
        let dialog_ref = dialog_ref.clone();
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "Escape" => {
                event.prevent_default();
                on_close.emit(());
            }
            "Tab" => {
                if let Some(dialog) = dialog_ref.cast::<web_sys::Element>() {
                    dom::trap_tab(&dialog, &event);
                }
            }
            _ => {}
        })
    };
    let on_close_click = props.on_close.reform(|_: MouseEvent| ());

    html! {
        <div
            ref={dialog_ref}
            class="panel dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby={TITLE_ID}
            tabindex="-1"
            data-tellus="dialog"
            lang={props.lang.clone()}
            dir={if is_rtl(&props.lang) { "rtl" } else { "ltr" }}
            {onkeydown}
        >
            <div class="head">
                <h2 id={TITLE_ID}>{ props.title.clone() }</h2>
                <button
                    type="button"
                    class="close"
                    aria-label={text(&props.lang, Text::Close)}
                    data-tellus="close"
                    onclick={on_close_click}
                >
                    <span aria-hidden="true">{ CLOSE_GLYPH }</span>
                </button>
            </div>
            { props.children.clone() }
        </div>
    }
}
