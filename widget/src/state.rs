//! The dialog's state: one value changed only by [`Action`]s through [`State::apply`], so every
//! screen the customer can see is a [`Phase`] rather than a combination of flags.
//!
//! The reducer is pure: randomness (the idempotency key) is made by the caller and passed in,
//! and I/O happens in effects that watch the phase (see `components::app`).

use std::rc::Rc;

use tellus_core::entry::{Channel, Contact, Dimension, Status};
use tellus_core::limits::{MAX_COMMENT_CHARS, MAX_SHORT_TEXT_CHARS};
use tellus_core::wire::{Receipt, ReceiptStatus, SiteConfig};

use crate::options::Identify;
use crate::strings::cut;

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
    /// A rating is chosen; both paths (tell us, tell others) are shown and may be edited.
    Draft,
    /// The entry is on its way.
    Sending,
    /// The server stored the entry (2xx). Only now does the customer see "thank you".
    Sent { entry_id: String },
    /// The network failed; the entry is saved in the browser and sent on a later page load.
    Queued,
    /// The server refused or failed; the draft is kept and Send retries with the same
    /// idempotency key.
    Failed(Failure),
}

/// Which of the two paths after the rating is put first and emphasised. Both are always shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    /// A failure rating: "what went wrong?" first.
    TellUs,
    /// Praise: the review links first.
    TellOthers,
    /// In between: tell us first, neither emphasised.
    Neither,
}

/// The callback request as the customer is filling it in. `name` and `email` are `None` until
/// typed, so `tellus('identify')` can still pre-fill them; nothing leaves the browser unless
/// `consent` is ticked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactDraft {
    pub consent: bool,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: String,
    pub channel: Option<Channel>,
}

/// One field of the callback request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactField {
    Name,
    Email,
    Phone,
}

impl ContactDraft {
    /// What goes into the request: `(consent, contact)`. Without consent, nothing, whatever
    /// was typed or pre-filled. The preferred channel is sent only when its field is filled
    /// (the API refuses a channel without its address), else the one that is filled.
    pub fn for_request(&self, identify: &Identify) -> (bool, Option<Contact>) {
        if !self.consent {
            return (false, None);
        }
        let filled = |text: Option<&String>| text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        let name = filled(self.name.as_ref().or(identify.name.as_ref()));
        let email = filled(self.email.as_ref().or(identify.email.as_ref()));
        let phone = filled(Some(&self.phone));
        let channel = match (self.channel, &email, &phone) {
            (Some(Channel::Phone), _, Some(_)) | (None | Some(Channel::Email), None, Some(_)) => Some(Channel::Phone),
            (_, Some(_), _) => Some(Channel::Email),
            _ => None,
        };
        let any = name.is_some() || email.is_some() || phone.is_some();
        (true, any.then_some(Contact { name, email, phone, channel }))
    }
}

/// The return visit: what the Worker says about the customer's last failure.
#[derive(Debug, Clone)]
pub enum FollowUp {
    /// No receipt, not asked yet, or nothing new to say.
    None,
    /// Status and reply are shown; after a fix the re-rating question with its own delivery.
    News { receipt: Rc<ReceiptStatus>, token: String, rating: Option<u8>, delivery: Delivery },
}

/// Delivery of the re-rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Draft,
    Sending,
    Sent,
    Failed(Failure),
}

/// Marks the news in a receipt status (acknowledged, fixed, a reply and when), empty when there
/// is none. Stored when the customer has seen it, so the launcher's badge only announces news
/// that is new.
pub fn news_mark(status: &ReceiptStatus) -> String {
    let mut mark = String::from(match status.status {
        Some(Status::Acknowledged) => "a",
        Some(Status::Fixed) => "f",
        _ => "",
    });
    if let Some(reply) = &status.reply {
        mark.push_str(&crate::strings::decimal(reply.at_ms));
    }
    mark
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
    /// "What went wrong?" answers, in the order of [`Dimension::ALL`].
    pub dimensions: Vec<Dimension>,
    pub contact: ContactDraft,
    /// Idempotency key of the current draft: fixed at the first send and reused by every retry,
    /// so a retry after a lost answer can never store the entry twice. Cleared once sent.
    pub idempotency_key: Option<String>,
    /// Set when the Worker counted a tell-others click (and only then).
    pub shared: bool,
    pub follow_up: FollowUp,
}

impl Default for State {
    fn default() -> Self {
        State {
            open: true,
            phase: Phase::Loading,
            config: None,
            rating: None,
            comment: String::new(),
            dimensions: Vec::new(),
            contact: ContactDraft::default(),
            idempotency_key: None,
            shared: false,
            follow_up: FollowUp::None,
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
    /// A "what went wrong?" checkbox was ticked or cleared.
    ToggleDimension(Dimension),
    Consent(bool),
    EditContact(ContactField, String),
    Channel(Channel),
    /// Send was pressed; the key is a fresh random one, used only if the draft has none yet.
    Send {
        fresh_key: String,
    },
    Sent(Receipt),
    /// The network failed and the entry was saved in the browser.
    Queued,
    SendFailed(Failure),
    /// The Worker answered 204 to a tell-others click.
    Shared,
    /// The Worker has news about the customer's last failure; `token` is that receipt's, kept
    /// with it so a newer failure's receipt cannot be mixed up with it.
    News {
        receipt: Rc<ReceiptStatus>,
        token: String,
    },
    Rerate(u8),
    SendRerate,
    Rerated(Rc<ReceiptStatus>),
    RerateFailed(Failure),
}

impl State {
    /// Whether the form (rating, paths, Send) is shown.
    pub fn shows_form(&self) -> bool {
        matches!(self.phase, Phase::Rating { .. } | Phase::Draft | Phase::Sending | Phase::Failed(_))
    }

    /// Whether the two paths are shown: once a rating is chosen; tell others stays after Send.
    pub fn shows_paths(&self) -> bool {
        !matches!(self.phase, Phase::Loading | Phase::LoadFailed(_) | Phase::Rating { .. })
    }

    /// Which path comes first, from the chosen rating and the site's threshold.
    pub fn emphasis(&self) -> Emphasis {
        match (&self.config, self.rating) {
            (Some(config), Some(rating)) if rating <= config.failure_threshold => Emphasis::TellUs,
            (Some(config), Some(rating)) if rating >= config.scale.praise_from() => Emphasis::TellOthers,
            _ => Emphasis::Neither,
        }
    }

    /// Changes the re-rating's choice and delivery, when there is news; says whether there was.
    fn with_news(&mut self, change: impl FnOnce(&mut Option<u8>, &mut Delivery)) -> bool {
        let FollowUp::News { rating, delivery, .. } = &mut self.follow_up else {
            return false;
        };
        change(rating, delivery);
        true
    }

    /// Forgets the entry just delivered (or queued), keeping the rating on screen so the
    /// tell-others path and its emphasis stay put.
    fn clear_draft(&mut self) {
        self.comment.clear();
        self.dimensions.clear();
        self.contact = ContactDraft::default();
        self.idempotency_key = None;
    }

    /// Applies `action` in place and says whether the dialog may look different (false when
    /// the action does not apply in this phase, so nothing is redrawn). In place rather than
    /// a new `Rc<State>` each time: no copy of the whole state per keystroke, and less wasm.
    pub fn apply(&mut self, action: Action) -> bool {
        let editable = matches!(self.phase, Phase::Rating { .. } | Phase::Draft | Phase::Failed(_));
        let sending = self.phase == Phase::Sending;
        match action {
            Action::Open => {
                self.open = true;
                match self.phase {
                    // A new visit after a sent or saved entry starts a new entry.
                    Phase::Sent { .. } | Phase::Queued => {
                        self.phase = Phase::Rating { prompted: false };
                        self.rating = None;
                        self.shared = false;
                    }
                    Phase::LoadFailed(_) => self.phase = Phase::Loading,
                    _ => {}
                }
            }
            Action::Close => self.open = false,
            Action::ConfigLoaded(config) if self.phase == Phase::Loading => {
                self.config = Some(config);
                self.phase = Phase::Rating { prompted: false };
            }
            Action::ConfigFailed(failure) if self.phase == Phase::Loading => self.phase = Phase::LoadFailed(failure),
            Action::Reload if matches!(self.phase, Phase::LoadFailed(_)) => self.phase = Phase::Loading,
            Action::Rate(rating) if editable => {
                self.rating = Some(rating);
                self.phase = Phase::Draft;
            }
            Action::Comment(comment) if editable => self.comment = cut(comment, MAX_COMMENT_CHARS),
            Action::ToggleDimension(dimension) if editable => {
                // Rebuilt in the order of `Dimension::ALL` (cheaper in wasm than a sort).
                let was = self.dimensions.contains(&dimension);
                let keep = |d: &Dimension| if *d == dimension { !was } else { self.dimensions.contains(d) };
                self.dimensions = Dimension::ALL.into_iter().filter(keep).collect();
            }
            Action::Consent(consent) if editable => self.contact.consent = consent,
            Action::EditContact(field, value) if editable => {
                let value = cut(value, MAX_SHORT_TEXT_CHARS);
                match field {
                    ContactField::Name => self.contact.name = Some(value),
                    ContactField::Email => self.contact.email = Some(value),
                    ContactField::Phone => self.contact.phone = value,
                }
            }
            Action::Channel(channel) if editable => self.contact.channel = Some(channel),
            Action::Send { fresh_key } => match (&self.phase, self.rating) {
                (Phase::Rating { .. }, _) | (Phase::Draft | Phase::Failed(_), None) => {
                    self.phase = Phase::Rating { prompted: true }
                }
                (Phase::Draft | Phase::Failed(_), Some(_)) => {
                    self.idempotency_key.get_or_insert(fresh_key);
                    self.phase = Phase::Sending;
                }
                _ => return false,
            },
            Action::Sent(receipt) if sending => {
                self.phase = Phase::Sent { entry_id: receipt.id };
                self.clear_draft();
            }
            Action::Queued if sending => {
                self.phase = Phase::Queued;
                self.clear_draft();
            }
            Action::SendFailed(failure) if sending => self.phase = Phase::Failed(failure),
            Action::Shared => self.shared = true,
            Action::News { receipt, token } => {
                self.follow_up = FollowUp::News { receipt, token, rating: None, delivery: Delivery::Draft }
            }
            Action::Rerate(rating) => {
                return self.with_news(|news_rating, delivery| {
                    if matches!(delivery, Delivery::Draft | Delivery::Failed(_)) {
                        *news_rating = Some(rating);
                        *delivery = Delivery::Draft;
                    }
                });
            }
            Action::SendRerate => {
                return self.with_news(|rating, delivery| {
                    if rating.is_some() && matches!(delivery, Delivery::Draft | Delivery::Failed(_)) {
                        *delivery = Delivery::Sending;
                    }
                });
            }
            Action::Rerated(status) => match &mut self.follow_up {
                FollowUp::News { receipt, delivery: delivery @ Delivery::Sending, .. } => {
                    *receipt = status;
                    *delivery = Delivery::Sent;
                }
                _ => return false,
            },
            Action::RerateFailed(failure) => {
                return self.with_news(|_, delivery| {
                    if *delivery == Delivery::Sending {
                        *delivery = Delivery::Failed(failure);
                    }
                });
            }
            // Edits while the entry is on its way or delivered, and answers that arrive in
            // another phase, change nothing.
            Action::Rate(_)
            | Action::Comment(_)
            | Action::ToggleDimension(_)
            | Action::Consent(_)
            | Action::EditContact(..)
            | Action::Channel(_)
            | Action::ConfigLoaded(_)
            | Action::ConfigFailed(_)
            | Action::Reload
            | Action::Sent(_)
            | Action::Queued
            | Action::SendFailed(_) => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tellus_core::entry::Kind;

    /// `apply` as a chainable step, so each test reads as a sequence of actions.
    trait Then {
        fn reduce(self, action: Action) -> Self;
    }

    impl Then for State {
        fn reduce(mut self, action: Action) -> State {
            self.apply(action);
            self
        }
    }

    fn loaded() -> State {
        let config = SiteConfig {
            id: "demo".into(),
            name: "Demo".into(),
            scale: tellus_core::entry::Scale::Csat,
            failure_threshold: 2,
            review_links: Vec::new(),
            theme_color: "#1d4ed8".into(),
        };
        State::default().reduce(Action::ConfigLoaded(Rc::new(config)))
    }

    fn send(state: State, key: &str) -> State {
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

    /// Identify pre-fills the callback, but without the consent box nothing is sent; with it,
    /// the preferred channel is only sent when its address is there.
    #[test]
    fn contact_needs_consent_and_a_channel_with_an_address() {
        let identify = Identify { name: Some("Mari".into()), email: Some("mari@example.com".into()) };
        let mut contact = ContactDraft { phone: "5555 1234".into(), ..ContactDraft::default() };
        assert_eq!(contact.for_request(&identify), (false, None));
        contact.consent = true;
        contact.channel = Some(Channel::Phone);
        let (consent, sent) = contact.for_request(&identify);
        let sent = sent.unwrap_or_else(|| panic!("contact expected"));
        assert!(consent);
        assert_eq!(sent.name.as_deref(), Some("Mari"));
        assert_eq!(sent.channel, Some(Channel::Phone));
        contact.phone.clear();
        assert_eq!(contact.for_request(&identify).1.and_then(|c| c.channel), Some(Channel::Email));
        contact.email = Some(String::new());
        let only_name = contact.for_request(&identify).1.unwrap_or_else(|| panic!("name expected"));
        assert_eq!((only_name.email, only_name.channel), (None, None));
    }

    /// Low ratings put "tell us" first, praise puts "tell others" first, in between neither.
    #[test]
    fn emphasis_follows_the_rating() {
        assert_eq!(loaded().reduce(Action::Rate(2)).emphasis(), Emphasis::TellUs);
        assert_eq!(loaded().reduce(Action::Rate(3)).emphasis(), Emphasis::Neither);
        assert_eq!(loaded().reduce(Action::Rate(4)).emphasis(), Emphasis::TellOthers);
    }

    /// Dimensions toggle and stay in a stable order; a saved-offline entry clears the draft
    /// and keeps no idempotency key for the next one.
    #[test]
    fn dimensions_toggle_and_queued_clears_the_draft() {
        let state = loaded()
            .reduce(Action::Rate(3))
            .reduce(Action::ToggleDimension(Dimension::Tangibles))
            .reduce(Action::ToggleDimension(Dimension::Reliability))
            .reduce(Action::ToggleDimension(Dimension::Empathy))
            .reduce(Action::ToggleDimension(Dimension::Tangibles));
        assert_eq!(state.dimensions, vec![Dimension::Reliability, Dimension::Empathy]);
        let state = send(state, "k").reduce(Action::Queued);
        assert_eq!(state.phase, Phase::Queued);
        assert!(state.dimensions.is_empty() && state.idempotency_key.is_none());
    }

    /// The re-rating: Send needs a choice; a failure keeps the choice for a retry; the answer
    /// replaces the shown status.
    #[test]
    fn rerating_is_chosen_sent_retried_and_confirmed() {
        let status = |can_rerate| {
            Rc::new(ReceiptStatus {
                id: "e1".into(),
                kind: Kind::Failure,
                status: Some(Status::Fixed),
                reply: None,
                can_rerate,
                rerating: None,
                assignee: None,
                assignments: Vec::new(),
                notes: Vec::new(),
            })
        };
        let delivery = |state: &State| match &state.follow_up {
            FollowUp::News { delivery, rating, token, .. } => (delivery.clone(), *rating, token.clone()),
            FollowUp::None => panic!("news expected"),
        };
        let state = loaded().reduce(Action::News { receipt: status(true), token: "t1".into() });
        let state = state.reduce(Action::SendRerate);
        assert_eq!(delivery(&state), (Delivery::Draft, None, "t1".into()));
        let state = state.reduce(Action::Rerate(4)).reduce(Action::SendRerate);
        assert_eq!(delivery(&state).0, Delivery::Sending);
        let state = state.reduce(Action::RerateFailed(Failure::Unreachable)).reduce(Action::SendRerate);
        assert_eq!(delivery(&state), (Delivery::Sending, Some(4), "t1".into()));
        let state = state.reduce(Action::Rerated(status(false)));
        assert_eq!(delivery(&state).0, Delivery::Sent);
        assert!(matches!(&state.follow_up, FollowUp::News { receipt, .. } if !receipt.can_rerate));
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
