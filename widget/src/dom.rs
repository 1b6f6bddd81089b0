//! DOM work outside the views: the dialog's stylesheet, focus (find it, move it, keep it in
//! the dialog), the theme colour on the shadow host and the news badge on the loader's launcher.
//!
//! Inside a shadow root `document.activeElement` is the host element, so the focused element
//! is asked of the shadow root first.

use std::cell::Cell;

use js_sys::Array;
use tellus_core::limits::MIN_CONTRAST;
use tellus_core::site::{contrast_with_white_with, parse_hex_color};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, Element, Event, HtmlElement, KeyboardEvent, ShadowRoot};

use crate::strings::{Text, is_rtl, text};

/// The dialog's rules. They ship inside the wasm rather than in the loader, whose stylesheet
/// holds only what the launcher needs: the loader's bytes are paid by every page view, these
/// only by customers who open the dialog.
const DIALOG_CSS: &str = include_str!("dialog.css");

thread_local! {
    static ADOPTED: Cell<bool> = const { Cell::new(false) };
}

/// What Tab can reach inside the dialog. Only the first and last matter for the trap, and
/// those are always buttons, so radios need no special treatment.
const FOCUSABLE: &str = "button,textarea,input,a[href]";

/// Adds the dialog's stylesheet to the shadow root around `root`, next to the loader's, as a
/// constructable stylesheet (fine under a CSP without 'unsafe-inline' styles; the loader uses
/// one too, so every browser that got this far has them). Outside a shadow root (nothing
/// ships that way) it adds nothing, so it never styles a host page. Adopts it once per page:
/// [`crate::flush`] may come first (for the badge), then `mount`.
pub fn adopt_dialog_styles(root: &Element) {
    if ADOPTED.with(|adopted| adopted.replace(true)) {
        return;
    }
    let Ok(shadow) = root.get_root_node().dyn_into::<ShadowRoot>() else {
        return;
    };
    if let Ok(sheet) = CssStyleSheet::new()
        && sheet.replace_sync(DIALOG_CSS).is_ok()
    {
        // A new array: older engines expose a frozen one that `push` would throw on.
        let sheets = Array::from(&shadow.adopted_style_sheets());
        sheets.push(&sheet);
        shadow.set_adopted_style_sheets(&sheets);
    }
}

/// The element that has focus, seen from `near`'s tree: inside our shadow root if focus is
/// there, else in the host document (e.g. the host's own button that called `tellus('open')`).
pub fn focused_element(near: &Element) -> Option<Element> {
    let in_shadow = near.get_root_node().dyn_ref::<ShadowRoot>().and_then(ShadowRoot::active_element);
    in_shadow.or_else(|| web_sys::window()?.document()?.active_element())
}

/// Moves focus to `element` in a task of its own, right after the current one (the opening's
/// click): focusing makes the browser bring styles up to date at once and dispatch the blur and
/// focus events, which in the click's task made it the longest after the click (21 of 56 ms at
/// 4x CPU throttling, measured), and in the frame's task made that one the longest instead
/// (20 of 30–58 ms under load). In a task between the two it is neither; focus is in the dialog
/// by the time a key can reach it, and a screen reader hears the dialog as focus lands in it.
///
/// The callback has the listeners' closure type (`vdom`), whose glue the app has anyway (the
/// timer passes it nothing, which it never reads), and is left to live: a few bytes per
/// opening, where keeping it to drop it after it ran cost 57 B brotli of wasm.
pub fn focus_soon(element: Element) {
    let callback = Closure::<dyn Fn(Event)>::new(move |_: Event| focus(&element));
    set_timeout(callback.as_ref());
    callback.forget();
}

#[wasm_bindgen]
extern "C" {
    /// The global `setTimeout` with no delay, bound without web-sys's `window()` and error
    /// handling, which it never needs (it throws only for a callback that is not a function).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &JsValue);
}

pub fn focus(element: &Element) {
    if let Some(element) = element.dyn_ref::<HtmlElement>() {
        // Focus can fail only on elements that cannot take it; then there is nothing to do.
        let _ = element.focus();
    }
}

/// Keeps Tab and Shift+Tab cycling inside the dialog (it is modal).
pub fn trap_tab(dialog: &Element, event: &KeyboardEvent) {
    let Ok(focusable) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    let count = focusable.length();
    let (Some(first), Some(last)) = (focusable.item(0), focusable.item(count.saturating_sub(1))) else {
        return;
    };
    let Some(current) = focused_element(dialog) else {
        return;
    };
    let (at_edge, target) = if event.shift_key() {
        (current.is_same_node(Some(&first)) || current.is_same_node(Some(dialog)), last)
    } else {
        (current.is_same_node(Some(&last)), first)
    };
    if at_edge {
        event.prevent_default();
        if let Ok(target) = target.dyn_into::<Element>() {
            focus(&target);
        }
    }
}

/// The shadow host around `root` (or `root` itself when mounted outside a shadow root), where
/// the theme custom property is set so the loader's launcher follows the theme too.
pub fn theme_host(root: &Element) -> Option<HtmlElement> {
    let host = match root.get_root_node().dyn_into::<ShadowRoot>() {
        Ok(shadow) => shadow.host(),
        Err(_) => root.clone(),
    };
    host.dyn_into().ok()
}

/// Sets `--tellus-theme` through the CSSOM (allowed under a CSP without 'unsafe-inline', unlike
/// a `style` attribute). A colour that is not `#rrggbb` or fails 4.5:1 contrast with white text
/// is ignored and the stylesheet's default stays: the server checks this too, but the customer
/// must be able to read the buttons whatever the server says.
pub fn apply_theme(host: &HtmlElement, color: &str) {
    let readable =
        parse_hex_color(color).is_some_and(|rgb| contrast_with_white_with(rgb, js_sys::Math::pow) >= MIN_CONTRAST);
    if readable {
        let _ = host.style().set_property("--tellus-theme", color);
    }
}

/// The loader draws the launcher in English before the app loads (its bytes are paid by every
/// page view); once the app knows the customer's language, the launcher says it in theirs.
pub fn label_launcher(root: &Element, lang: &str) {
    let Ok(shadow) = root.get_root_node().dyn_into::<ShadowRoot>() else {
        return;
    };
    let Ok(Some(launcher)) = shadow.query_selector(".launcher") else {
        return;
    };
    let label = text(lang, Text::Title);
    // The first child is the loader's text node; the news badge, if any, comes after it.
    if let Some(node) = launcher.first_child().filter(|node| node.node_type() == web_sys::Node::TEXT_NODE) {
        node.set_node_value(Some(label));
    }
    if launcher.query_selector(".badge").ok().flatten().is_none() {
        let _ = launcher.set_attribute("aria-label", label);
    }
    let _ = launcher.set_attribute("lang", lang);
    let _ = launcher.set_attribute("dir", if is_rtl(lang) { "rtl" } else { "ltr" });
}

/// Shows or removes the small badge on the loader's launcher that says there is news about the
/// customer's last failure; the launcher's accessible name says it too. Does nothing when the
/// host hides the launcher (`data-trigger="manual"`).
pub fn show_badge(root: &Element, lang: &str, on: bool) {
    let Ok(shadow) = root.get_root_node().dyn_into::<ShadowRoot>() else {
        return;
    };
    let Ok(Some(launcher)) = shadow.query_selector(".launcher") else {
        return;
    };
    let badge = launcher.query_selector(".badge").ok().flatten();
    let label = if on { Text::LauncherNews } else { Text::Title };
    let _ = launcher.set_attribute("aria-label", text(lang, label));
    match (badge, on) {
        (None, true) => {
            let Some(document) = web_sys::window().and_then(|window| window.document()) else {
                return;
            };
            if let Ok(badge) = document.create_element("span") {
                // An attribute like the others (`className` would be one more JS import).
                let _ = badge.set_attribute("class", "badge");
                let _ = badge.set_attribute("data-tellus", "badge");
                let _ = badge.set_attribute("aria-hidden", "true");
                let _ = launcher.append_child(&badge);
            }
        }
        (Some(badge), false) => badge.remove(),
        _ => {}
    }
}
