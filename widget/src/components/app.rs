//! The root component: owns the [`State`], runs the I/O effects that the phase asks for, and
//! lays out the dialog's content for each phase.
//!
//! **A measured departure from Yew and its idioms** (and from the Yew layout in `STYLE.md`,
//! learned from yew's `function_todomvc`: function components, hooks in `hooks/use_<x>.rs`, a
//! `Reducible` state). Every byte of the app is downloaded by every customer who opens it, and
//! the first click's main-thread time is theirs too; each step was measured
//! (`docs/widget-size.md`, `BENCHMARKS.md`):
//! - First, inside Yew: one struct component instead of function components with hooks (Yew's
//!   hook runtime gone, −2,406 B brotli), view functions instead of child components (each
//!   component its own copy of Yew's lifecycle, −658 B and −1,966 B), the reducer in place
//!   instead of `Reducible` (−560 B), literal classes (−1,070 B).
//! - Then without Yew: what was left of it (its reconciler, listener registry and scheduler,
//!   about 63 KB of the 137 KB of code) is replaced by `vdom`, a small virtual DOM that does
//!   what this one screen needs. The shape stays the Elm-like one Yew's idioms are for: one
//!   [`State`] changed only by [`Action`]s through the pure [`State::apply`], views as pure
//!   functions of the state, and effects that run after a render when what they watch changed
//!   ([`Watched`], what a hook's dependencies would do).
//!
//! An action is queued by [`dispatch`] and applied in a task of its own, never inside the event
//! handler that sent it; the actions queued meanwhile are applied together and drawn once.
//!
//! The app is mounted closed, when the customer shows interest (`lib.rs`): it fetches the site's
//! configuration and draws the dialog hidden (`data-prepared`, `visibility: hidden`), so its
//! code has run and its styles and layout are done before the click; the opening then only
//! shows it, with the question already there. After a close the dialog is not drawn.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use tellus_core::entry::Scale;
use tellus_core::wire::FeedbackRequest;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, HtmlElement};

use crate::components::dialog::{dialog, frame};
use crate::components::news::news;
use crate::components::paths::paths;
use crate::components::rating::{self, RatingProps};
use crate::components::status::status;
use crate::dom;
use crate::json;
use crate::options::MountOptions;
use crate::services::{self, Failure};
use crate::state::{Action, Delivery, FollowUp, Phase, State};
use crate::storage;
use crate::strings::{Text, text};
use crate::vdom::{self, Live, Node, h};

const QUESTION_ID: &str = "tl-q";

/// What the app is mounted with and what the loader changes later.
pub struct AppProps {
    pub options: Rc<MountOptions>,
    /// The mount `<div>`, next to the loader's launcher (whose news badge is cleared here).
    pub root: Element,
    /// Where `--tellus-theme` is set: the shadow host.
    pub theme_host: Option<HtmlElement>,
    /// Bumped by the exported `open()`; each change opens the dialog.
    pub open_requests: u32,
}

/// The mounted dialog.
pub struct App {
    props: AppProps,
    state: State,
    /// What is in the DOM under `props.root`.
    live: Vec<Live>,
    /// What the effects saw after the last render; `None` before the first.
    watched: Option<Watched>,
    /// What had focus before the dialog opened, given focus back when it closes.
    opener: Option<Element>,
    /// Whether the customer's last failure was asked about (once, at the first opening with
    /// the configuration there).
    asked_news: bool,
    /// Whether the dialog has been open. Until then it is drawn hidden (prepared on interest),
    /// after a close it is not drawn at all.
    opened: bool,
}

/// The parts of props and state that effects watch, as they were after a render.
#[derive(Clone, Copy, PartialEq)]
struct Watched {
    open_requests: u32,
    lang: &'static str,
    loading: bool,
    /// The site's configuration is there (it arrives once: only a load that failed is retried).
    loaded: bool,
    sending: bool,
    rerating: bool,
    open: bool,
}

thread_local! {
    /// The page's one mounted dialog.
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
    /// Actions waiting to be applied.
    static QUEUE: RefCell<VecDeque<Action>> = const { RefCell::new(VecDeque::new()) };
    /// Whether a task to apply them (and draw) is on its way.
    static SCHEDULED: Cell<bool> = const { Cell::new(false) };
    /// Whether the props changed, so the next run draws even if no action changes the state.
    static PROPS_CHANGED: Cell<bool> = const { Cell::new(false) };
}

/// Queues `action` for the mounted dialog; it is applied, and the dialog drawn, in a task of
/// its own right after the current one.
pub fn dispatch(action: Action) {
    QUEUE.with(|queue| queue.borrow_mut().push_back(action));
    schedule();
}

fn schedule() {
    if !SCHEDULED.with(|scheduled| scheduled.replace(true)) {
        spawn_local(async { run() });
    }
}

/// Mounts the dialog in `props.root` and draws it (closed, unless an opening was asked for).
pub fn mount(props: AppProps) {
    let app = App {
        props,
        state: State::default(),
        live: Vec::new(),
        watched: None,
        opener: None,
        asked_news: false,
        opened: false,
    };
    APP.with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut()
            && slot.is_none()
        {
            *slot = Some(app);
        }
    });
    PROPS_CHANGED.with(|changed| changed.set(true));
    schedule();
}

/// Changes the mounted dialog's props (and draws it again); says whether there is one.
pub fn change_props(change: impl FnOnce(&mut AppProps)) -> bool {
    let mounted = APP.with(|slot| match slot.try_borrow_mut() {
        Ok(mut slot) => slot.as_mut().map(|app| change(&mut app.props)).is_some(),
        Err(_) => false,
    });
    if mounted {
        PROPS_CHANGED.with(|changed| changed.set(true));
        schedule();
    }
    mounted
}

/// Applies the queued actions and draws the dialog once per batch, then runs its effects
/// (which may queue more: the loop goes on until nothing is left).
fn run() {
    loop {
        let mut changed = PROPS_CHANGED.with(|changed| changed.replace(false));
        while let Some(action) = QUEUE.with(|queue| queue.borrow_mut().pop_front()) {
            changed |= APP.with(|slot| {
                slot.try_borrow_mut().ok().and_then(|mut slot| slot.as_mut().map(|app| app.state.apply(action)))
            }) == Some(true);
        }
        if !changed {
            break;
        }
        APP.with(|slot| {
            if let Ok(mut slot) = slot.try_borrow_mut()
                && let Some(app) = slot.as_mut()
            {
                app.render();
                app.rendered();
            }
        });
    }
    SCHEDULED.with(|scheduled| scheduled.set(false));
}

impl App {
    fn render(&mut self) {
        let nodes = match self.view() {
            Some(dialog) => vec![dialog],
            None => Vec::new(),
        };
        let root: web_sys::Node = self.props.root.clone().into();
        vdom::patch(&root, &mut self.live, nodes);
    }

    /// The effects, after each render: each runs when the part of the state or the props it
    /// watches changed since the render before (what a hook's dependencies would do).
    fn rendered(&mut self) {
        let props = &self.props;
        let state = &self.state;
        let now = Watched {
            open_requests: props.open_requests,
            lang: props.options.lang(),
            loading: state.phase == Phase::Loading,
            loaded: state.config.is_some(),
            sending: state.phase == Phase::Sending,
            rerating: matches!(state.follow_up, FollowUp::News { delivery: Delivery::Sending, .. }),
            open: state.open,
        };
        let before = self.watched.replace(now);
        let first = before.is_none();
        let before = before.unwrap_or(now);
        let options = &props.options;

        // Mounting and every opening also retry entries saved while offline: the page may have
        // come back online, and entries kept only in memory (storage refused) have no later page
        // load to be sent on.
        if first || before.open_requests != now.open_requests {
            if now.open_requests > 0 {
                dispatch(Action::Open);
            }
            spawn_local(services::flush_queue());
        }

        // Fetch the site's configuration whenever the phase asks for it (first open, retry).
        if (first || before.loading != now.loading) && now.loading {
            let options = options.clone();
            spawn_local(async move {
                let action = match services::load_config(&options.endpoint, &options.site).await {
                    Ok(config) => Action::ConfigLoaded(Rc::new(config)),
                    Err(failure) => Action::ConfigFailed(failure),
                };
                dispatch(action);
            });
        }

        // Once the configuration is there, the theme is applied; and once the dialog is open, too,
        // the customer's last failure (if any) is asked about: news is shown above the question,
        // and counts as seen from then on (the badge goes). Not before the opening: the app is
        // mounted on mere interest, and news the customer has not seen is not seen.
        if (first || before.loaded != now.loaded)
            && let (Some(config), Some(host)) = (&state.config, &props.theme_host)
        {
            dom::apply_theme(host, &config.theme_color);
        }
        if now.loaded && now.open && !self.asked_news {
            self.asked_news = true;
            if storage::receipt(&options.site).is_some() {
                let (options, root) = (options.clone(), props.root.clone());
                spawn_local(async move {
                    if let Some(news) = services::receipt_news(&options.endpoint, &options.site).await {
                        storage::mark_seen(&options.site, &news.mark);
                        dispatch(Action::News { receipt: Rc::new(news.status), token: news.token });
                    }
                    dom::show_badge(&root, options.lang(), false);
                });
            }
        }

        // Post the entry when the phase becomes Sending, as this render's state has it. No
        // answer at all (offline, blocked) saves it in the browser for the next page load.
        if (first || before.sending != now.sending)
            && now.sending
            && let Some(rating) = state.rating
        {
            let identify = options.identify.clone().unwrap_or_default();
            let (consent, contact) = state.contact.for_request(&identify);
            let request = FeedbackRequest {
                rating,
                comment: state.comment.trim().to_owned(),
                dimensions: state.dimensions.clone(),
                touchpoint: Some(options.touchpoint()),
                consent,
                contact,
                lang: options.lang().to_owned(),
                idempotency_key: state.idempotency_key.clone().unwrap_or_default(),
            };
            let options = options.clone();
            spawn_local(async move {
                let body = json::feedback_body(&request);
                let action = match services::send_feedback(&options.endpoint, &options.site, &body).await {
                    Ok(receipt) => {
                        services::keep_failure_receipt(&options.site, &receipt);
                        Action::Sent(receipt)
                    }
                    Err(Failure::Unreachable) => {
                        storage::enqueue(&options.endpoint, &options.site, body);
                        Action::Queued
                    }
                    Err(failure) => Action::SendFailed(failure),
                };
                dispatch(action);
            });
        }

        // Post the re-rating when it is sent; a delivered one closes the story (receipt forgotten).
        if (first || before.rerating != now.rerating)
            && let FollowUp::News { receipt, token, rating: Some(rating), delivery: Delivery::Sending } =
                &state.follow_up
        {
            let (id, token, rating) = (receipt.id.clone(), token.clone(), *rating);
            let options = options.clone();
            spawn_local(async move {
                let action = match services::rerate(&options.endpoint, &options.site, &id, &token, rating).await {
                    Ok(status) => {
                        storage::forget_receipt(&options.site, &id);
                        Action::Rerated(Rc::new(status))
                    }
                    Err(failure) => Action::RerateFailed(failure),
                };
                dispatch(action);
            });
        }

        if first || before.lang != now.lang {
            dom::label_launcher(&props.root, now.lang);
        }

        // While open, focus is in the dialog: moved in on open (in a task of its own right after
        // the opening's, `dom::focus_soon`), and given back to whatever opened it (the
        // launcher, or the host's own button) when it closes.
        if now.open {
            self.opened = true;
        }
        if first || before.open != now.open {
            if let Some(opener) = self.opener.take() {
                dom::focus(&opener);
            }
            if let Some(dialog) = frame(&props.root).filter(|_| now.open) {
                self.opener = dom::focused_element(&dialog);
                dom::focus_soon(dialog);
            }
        }
    }

    /// The dialog as the state has it; before its first opening drawn but hidden (styles,
    /// layout and the code that draws it are then done before the click, which only has to
    /// show it), after a close not at all.
    fn view(&self) -> Option<Node> {
        let state = &self.state;
        let options = &self.props.options;
        let lang = options.lang();
        if !state.open && self.opened {
            return None;
        }
        let title: Cow<'static, str> = match &state.config {
            Some(config) => Cow::Owned(config.name.clone()),
            None => Cow::Borrowed(text(lang, Text::Title)),
        };
        // Three places for the question, two for the paths: each part keeps its place whether
        // or not the ones before it are drawn.
        let [question, scale, ends] = match (&state.config, state.shows_form()) {
            (Some(config), true) => {
                let question = match config.scale {
                    Scale::Csat => Text::QuestionCsat,
                    Scale::Nps => Text::QuestionNps,
                };
                let [scale, ends] = rating::rating(&RatingProps {
                    scale: config.scale,
                    lang,
                    labelled_by: QUESTION_ID,
                    name: "tl-rating",
                    selected: state.rating,
                    on_rate: Action::Rate,
                });
                [
                    h("p").attr("class", "question").attr("id", QUESTION_ID).child(text(lang, question)).into(),
                    scale,
                    ends,
                ]
            }
            _ => [Node::Empty, Node::Empty, Node::Empty],
        };
        let [tell_us, tell_others] = match &state.config {
            Some(config) if state.shows_paths() => paths(state, config, options),
            _ => [Node::Empty, Node::Empty],
        };
        let news = state.config.as_ref().and_then(|config| news(&state.follow_up, config.scale, lang));

        let button = |kind: &'static str, words: Text| {
            h("button").attr("type", kind).attr("class", "primary").child(text(lang, words))
        };
        let action = match &state.phase {
            Phase::Rating { .. } | Phase::Draft | Phase::Failed(_) => {
                Some(button("submit", Text::Send).attr("data-tellus", "send"))
            }
            // Disabling the focused button would drop focus out of the dialog; it stays enabled
            // and the reducer ignores a second Send while one is on its way.
            Phase::Sending => {
                Some(button("submit", Text::Sending).attr("data-tellus", "send").attr("aria-disabled", "true"))
            }
            Phase::LoadFailed(_) => Some(button("button", Text::TryAgain).on("click", |_| dispatch(Action::Reload))),
            Phase::Sent { .. } | Phase::Queued => {
                Some(button("button", Text::Close).on("click", |_| dispatch(Action::Close)))
            }
            Phase::Loading => None,
        };
        let on_send = |event: web_sys::Event| {
            event.prevent_default();
            dispatch(Action::Send { fresh_key: services::idempotency_key() });
        };
        let form = h("form")
            .attr("class", "body")
            .attr("novalidate", "")
            .on("submit", on_send)
            .children([question, scale, ends, tell_us, tell_others])
            .child(status(&state.phase, lang))
            .child(h("div").attr("class", "actions").child(action));
        let dialog = dialog(title, lang, &self.props.root, vec![news.into(), form.into()]);
        // `visibility: hidden` (dialog.css): laid out but not shown, not focusable, not in the
        // accessibility tree, and it takes no pointer events.
        Some(if state.open { dialog } else { dialog.attr("data-prepared", "") }.into())
    }
}
