//! The tellus feedback dialog, Rust compiled to WebAssembly (drawn by its own small virtual DOM,
//! `vdom`, not Yew: see `components::app` for why).
//!
//! `loader.js` (the script tag host pages include) draws only the launcher; when the customer
//! shows interest (the pointer on the launcher, focus, a click) it imports the wasm-bindgen
//! glue, initialises this module and calls [`mount`] with a `<div>` inside its shadow root,
//! which prepares the dialog closed; a click and `tellus('open')` call [`open`];
//! `tellus('context')` and `tellus('identify')` after mounting call [`configure`]. On a page load where the browser
//! remembers something (an entry saved offline, a receipt), the loader calls [`flush`].
//!
//! Module map: `state` (phases, actions, reducer), `components` (what is drawn, and the root
//! that owns the state and its effects), `vdom` (the small virtual DOM they draw with),
//! `services` (HTTP, randomness), `storage` (the offline queue and the last receipt), `dom`
//! (focus, theme, badge), `options` (what the loader passes), `strings` (every word the
//! customer reads).

mod components;
mod dom;
mod json;
#[cfg(test)]
mod loader_words;
mod options;
mod services;
mod state;
mod storage;
mod strings;
mod vdom;

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::Element;

use crate::components::app::{self, AppProps};
use crate::options::MountOptions;

/// The allocator: a free list sorted by address whose freed blocks are reused and merged with
/// their neighbours, in a fraction of the wasm of std's dlmalloc (its searches are linear in the
/// free list, which a dialog's few thousand allocations never notice). The locked variant is
/// the one with a safe constructor; on single-threaded wasm its lock is never contended.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

/// Prepares the dialog in `root`, a `<div>` in the loader's shadow root, closed: the loader
/// calls it as soon as the customer shows interest (the pointer on the launcher, focus, or a
/// click) and the module is initialised. `options` is `{site, endpoint, lang?, touchpoint?,
/// context?, identify?}`. The customer's language's strings are fetched first (unless English),
/// so the dialog never shows one language and then another; then the app mounts, closed, and
/// fetches the site's configuration. So by the time of the click, usually, everything the first
/// frame needs is there and [`open`] only draws it. Calling it again changes nothing.
#[wasm_bindgen]
pub fn mount(root: Element, options: JsValue) {
    let first = MountOptions::from_js(&options);
    wasm_bindgen_futures::spawn_local(async move {
        services::load_strings(&first.endpoint, first.lang()).await;
        // Read again: host code may have called `tellus('context' | 'identify')` meanwhile,
        // which changes this same object (and `configure` has nothing mounted to update yet).
        mount_now(root, MountOptions::from_js(&options));
    });
}

thread_local! {
    /// Openings asked for before the app was mounted (a click while the strings load).
    static OPENS_BEFORE_MOUNT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    /// Whether the app was mounted (a page has one dialog, and the module lives as long as
    /// the page).
    static MOUNTED_ONCE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn mount_now(root: Element, options: MountOptions) {
    if MOUNTED_ONCE.with(|mounted| mounted.replace(true)) {
        return;
    }
    dom::adopt_dialog_styles(&root);
    app::mount(AppProps {
        options: Rc::new(options),
        theme_host: dom::theme_host(&root),
        root,
        open_requests: OPENS_BEFORE_MOUNT.with(|opens| opens.take()),
    });
}

/// Opens the dialog (the launcher clicked, or `tellus('open')`); before [`mount`] has finished,
/// it opens as soon as it has.
#[wasm_bindgen]
pub fn open() {
    let mounted = app::change_props(|props| props.open_requests = props.open_requests.wrapping_add(1));
    if !mounted {
        OPENS_BEFORE_MOUNT.with(|opens| opens.set(opens.get().wrapping_add(1)));
    }
}

/// Replaces the options (new `context` or `identify` from host code) without reopening.
#[wasm_bindgen]
pub fn configure(options: JsValue) {
    let options = Rc::new(MountOptions::from_js(&options));
    app::change_props(|props| props.options = options);
}

/// Called by the loader on page load when the browser remembers something (the "tellus"
/// localStorage key): sends the entries saved while offline, then asks about the customer's
/// last failure and badges the launcher when there is news they have not seen. `root` is the
/// mount `<div>` (the dialog is not mounted by this).
#[wasm_bindgen]
pub fn flush(root: Element, options: JsValue) {
    let options = MountOptions::from_js(&options);
    wasm_bindgen_futures::spawn_local(async move {
        services::flush_queue().await;
        if let Some(news) = services::receipt_news(&options.endpoint, &options.site).await
            && news.mark != news.seen
        {
            services::load_strings(&options.endpoint, options.lang()).await;
            dom::adopt_dialog_styles(&root);
            dom::label_launcher(&root, options.lang());
            dom::show_badge(&root, options.lang(), true);
        }
    });
}
