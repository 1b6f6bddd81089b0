//! The dialog's state: one value changed only by [`Action`]s through [`Reducible`], so every
//! screen the customer can see is a [`Phase`] rather than a combination of flags.
//!
//! The reducer is pure: randomness (the idempotency key) is made by the caller and passed in,
//! and I/O happens in effects that watch the phase (see `components::app`).

use std::rc::Rc;

use tellus_core::limits::MAX_COMMENT_CHARS;
use tellus_core::wire::{Receipt, SiteConfig};
use yew::Reducible;

/// Why talking to the server did not work, in terms of what the customer is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer at all: offline, DNS, a blocker, or CORS refusing the origin.
    Unreachable,
    /// The server answered with a problem document; its `detail` is shown as is (it is written
    /// for humans, e.g. "this website is not allowed to send feedback to this site").
    Problem { status: u16, detail: String },
    /// The server answered with something that is neither the expected body nor a problem.
    Unexpected,
}

/// Where the customer is in the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// The site's configuration is being fetched.
    Loading,
    /// The configuration could not be fetched; the dialog shows why and offers a retry.
    LoadFailed(Failure),
    /// The question is shown and nothing is chosen yet. `prompted` is set when the customer
    /// pressed Send without a rating, so the dialog says what is missing.
    Rating { prompted: bool },
    /// A rating is chosen; the comment may still be edited.
    Draft,
    /// The entry is on its way.
    Sending,
    /// The server stored the entry (2xx). Only now does the customer see "thank you".
    Sent { entry_id: String },
    /// Sending failed; the draft is kept and Send retries with the same idempotency key.
    Failed(Failure),
}

/// The whole state of one mounted dialog.
#[derive(Debug, Clone)]
pub struct State {
    /// Whether the dialog is shown. Closing keeps the draft, so reopening continues it.
    pub open: bool,
    pub phase: Phase,
    pub config: Option<Rc<SiteConfig>>,
    pub rating: Option<u8>,
    pub comment: String,
    /// Idempotency key of the current draft: fixed at the first send and reused by every retry,
    /// so a retry after a lost answer can never store the entry twice. Cleared once sent.
    pub idempotency_key: Option<String>,
}

impl Default for State {
    fn default() -> Self {
        State {
            open: true,
            phase: Phase::Loading,
            config: None,
            rating: None,
            comment: String::new(),
            idempotency_key: None,
        }
    }
}

/// Everything that can happen to the dialog.
#[derive(Debug, Clone)]
pub enum Action {
    /// The launcher or `tellus('open')` asked for the dialog.
    Open,
    /// Close button or Esc.
    Close,
    ConfigLoaded(Rc<SiteConfig>),
    ConfigFailed(Failure),
    /// Try loading the configuration again after a failure.
    Reload,
    Rate(u8),
    Comment(String),
    /// Send was pressed; the key is a fresh random one, used only if the draft has none yet.
    Send {
        fresh_key: String,
    },
    Sent(Receipt),
    SendFailed(Failure),
}

impl State {
    /// Whether the form (rating, comment, Send) is shown.
    pub fn shows_form(&self) -> bool {
        matches!(self.phase, Phase::Rating { .. } | Phase::Draft | Phase::Sending | Phase::Failed(_))
    }

    fn with(self: &Rc<Self>, change: impl FnOnce(&mut State)) -> Rc<Self> {
        let mut next = (**self).clone();
        change(&mut next);
        Rc::new(next)
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Open => self.with(|s| {
                s.open = true;
                match s.phase {
                    // A new visit after a sent entry starts a new entry.
                    Phase::Sent { .. } => s.phase = Phase::Rating { prompted: false },
                    Phase::LoadFailed(_) => s.phase = Phase::Loading,
                    _ => {}
                }
            }),
            Action::Close => self.with(|s| s.open = false),
            Action::ConfigLoaded(config) => match self.phase {
                Phase::Loading => self.with(|s| {
                    s.config = Some(config);
                    s.phase = Phase::Rating { prompted: false };
                }),
                _ => self,
            },
            Action::ConfigFailed(failure) => match self.phase {
                Phase::Loading => self.with(|s| s.phase = Phase::LoadFailed(failure)),
                _ => self,
            },
            Action::Reload => match self.phase {
                Phase::LoadFailed(_) => self.with(|s| s.phase = Phase::Loading),
                _ => self,
            },
            Action::Rate(rating) => match self.phase {
                Phase::Rating { .. } | Phase::Draft | Phase::Failed(_) => self.with(|s| {
                    s.rating = Some(rating);
                    s.phase = Phase::Draft;
                }),
                _ => self,
            },
            Action::Comment(comment) => match self.phase {
                Phase::Sending | Phase::Sent { .. } => self,
                _ => self.with(|s| s.comment = comment.chars().take(MAX_COMMENT_CHARS).collect()),
            },
            Action::Send { fresh_key } => match (&self.phase, self.rating) {
                (Phase::Rating { .. }, _) | (Phase::Draft | Phase::Failed(_), None) => {
                    self.with(|s| s.phase = Phase::Rating { prompted: true })
                }
                (Phase::Draft | Phase::Failed(_), Some(_)) => self.with(|s| {
                    s.idempotency_key.get_or_insert(fresh_key);
                    s.phase = Phase::Sending;
                }),
                _ => self,
            },
            Action::Sent(receipt) => match self.phase {
                Phase::Sending => self.with(|s| {
                    s.phase = Phase::Sent { entry_id: receipt.id };
                    s.rating = None;
                    s.comment.clear();
                    s.idempotency_key = None;
                }),
                _ => self,
            },
            Action::SendFailed(failure) => match self.phase {
                Phase::Sending => self.with(|s| s.phase = Phase::Failed(failure)),
                _ => self,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tellus_core::entry::Kind;

    fn loaded() -> Rc<State> {
        let config = SiteConfig {
            id: "demo".into(),
            name: "Demo".into(),
            scale: tellus_core::entry::Scale::Csat,
            failure_threshold: 2,
            review_links: Vec::new(),
            theme_color: "#1d4ed8".into(),
        };
        Rc::new(State::default()).reduce(Action::ConfigLoaded(Rc::new(config)))
    }

    fn send(state: Rc<State>, key: &str) -> Rc<State> {
        state.reduce(Action::Send { fresh_key: key.into() })
    }

    /// Pressing Send with no rating says what is missing instead of posting.
    #[test]
    fn send_without_rating_prompts() {
        let state = send(loaded(), "k1");
        assert_eq!(state.phase, Phase::Rating { prompted: true });
        assert_eq!(state.idempotency_key, None);
    }

    /// A retry after a failure reuses the first key, so the server cannot store it twice.
    #[test]
    fn retry_keeps_the_idempotency_key() {
        let state = send(loaded().reduce(Action::Rate(2)), "first");
        assert_eq!(state.phase, Phase::Sending);
        let state = state.reduce(Action::SendFailed(Failure::Unreachable));
        let state = send(state, "second");
        assert_eq!(state.idempotency_key.as_deref(), Some("first"));
    }

    /// "Thank you" comes only from a receipt, and the next opening starts a new entry.
    #[test]
    fn sent_then_reopen_starts_a_new_entry() {
        let state = send(loaded().reduce(Action::Rate(5)), "k").reduce(Action::Sent(Receipt {
            id: "e1".into(),
            receipt_token: String::new(),
            kind: Kind::Praise,
            status: None,
            duplicate: false,
        }));
        assert_eq!(state.phase, Phase::Sent { entry_id: "e1".into() });
        let state = state.reduce(Action::Close).reduce(Action::Open);
        assert_eq!(state.phase, Phase::Rating { prompted: false });
        assert_eq!((state.rating, state.idempotency_key.clone()), (None, None));
    }

    /// A second Send while one is on its way changes nothing.
    #[test]
    fn double_send_is_ignored() {
        let state = send(loaded().reduce(Action::Rate(3)), "k");
        let again = send(state.clone(), "other");
        assert_eq!(again.phase, Phase::Sending);
        assert_eq!(again.idempotency_key.as_deref(), Some("k"));
    }
}
