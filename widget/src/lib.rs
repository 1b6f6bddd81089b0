//! The tellus feedback dialog, a Yew app compiled to WebAssembly.
//!
//! `loader.js` (the script tag host pages include) draws only the launcher; on the first click
//! it imports the wasm-bindgen glue, initialises this module and calls [`mount`] with a `<div>`
//! inside its shadow root. Later clicks and `tellus('open')` call [`open`]; `tellus('context')`
//! and `tellus('identify')` after mounting call [`configure`]. On a page load where the browser
//! remembers something (an entry saved offline, a receipt), the loader calls [`flush`].
//!
//! Module map: `state` (phases, actions, reducer), `components` (what is drawn), `services`
//! (HTTP, randomness), `storage` (the offline queue and the last receipt), `dom` (focus, theme,
//! badge), `options` (what the loader passes), `strings` (every word the customer reads).

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

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::Element;
use yew::AppHandle;

use crate::components::app::{App, AppProps};
use crate::options::MountOptions;
use crate::state::{Failure, news_mark};

/// The one mounted dialog of this page, kept so [`open`] and [`configure`] can update its
/// props. A page has one widget, and the module instance lives as long as the page.
struct Mounted {
    handle: AppHandle<App>,
    props: AppProps,
}

/// The allocator: a free list sorted by address whose freed blocks are reused and merged with
/// their neighbours, in a fraction of the wasm of std's dlmalloc (its searches are linear in the
/// free list, which a dialog's few thousand allocations never notice). The locked variant is
/// the one with a safe constructor; on single-threaded wasm its lock is never contended.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

thread_local! {
    static MOUNTED: RefCell<Option<Mounted>> = const { RefCell::new(None) };
}

/// Renders the dialog (open) into `root`, a `<div>` in the loader's shadow root. `options` is
/// `{site, endpoint, lang?, touchpoint?, context?, identify?}`. Calling it again opens the
/// dialog already mounted.
///
/// The customer's language's strings are fetched first (unless English), so the dialog never
/// shows one language and then another.
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

fn mount_now(root: Element, options: MountOptions) {
    MOUNTED.with(|mounted| {
        let Ok(mut mounted) = mounted.try_borrow_mut() else {
            return;
        };
        if let Some(mounted) = mounted.as_mut() {
            mounted.props.options = Rc::new(options);
            mounted.props.open_requests += 1;
            mounted.handle.update(mounted.props.clone());
            return;
        }
        dom::adopt_dialog_styles(&root);
        let props = AppProps {
            options: Rc::new(options),
            root: root.clone(),
            theme_host: dom::theme_host(&root),
            open_requests: 0,
        };
        let handle = yew::Renderer::<App>::with_root_and_props(root, props.clone()).render();
        *mounted = Some(Mounted { handle, props });
    });
}

/// Opens the mounted dialog (launcher clicked again, or `tellus('open')`). Does nothing before
/// [`mount`].
#[wasm_bindgen]
pub fn open() {
    change_props(|props| props.open_requests = props.open_requests.wrapping_add(1));
}

/// Replaces the options (new `context` or `identify` from host code) without reopening.
#[wasm_bindgen]
pub fn configure(options: JsValue) {
    let options = Rc::new(MountOptions::from_js(&options));
    change_props(|props| props.options = options);
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
        let Some((id, token, seen)) = storage::receipt(&options.site) else {
            return;
        };
        match services::receipt_status(&options.endpoint, &options.site, &id, &token).await {
            Ok(status) if status.rerating.is_some() => storage::forget_receipt(&options.site, &id),
            Ok(status) => {
                let mark = news_mark(&status);
                if !mark.is_empty() && mark != seen {
                    services::load_strings(&options.endpoint, options.lang()).await;
                    dom::adopt_dialog_styles(&root);
                    dom::label_launcher(&root, options.lang());
                    dom::show_badge(&root, options.lang(), true);
                }
            }
            Err(Failure::Problem { status: 404, .. }) => storage::forget_receipt(&options.site, &id),
            Err(_) => {}
        }
    });
}

fn change_props(change: impl FnOnce(&mut AppProps)) {
    MOUNTED.with(|mounted| {
        let Ok(mut mounted) = mounted.try_borrow_mut() else {
            return;
        };
        if let Some(mounted) = mounted.as_mut() {
            change(&mut mounted.props);
            mounted.handle.update(mounted.props.clone());
        }
    });
}
