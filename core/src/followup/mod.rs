//! Closing the loop after the customer has left the page: the follow-up email to a customer who
//! consented to contact and gave an email address (when the owner replies, and when the owner
//! fixes the failure), the hosted receipt page it links to, and the hosted feedback page for
//! places without a website. Pure: the Worker reads the clock, the stores and the QR code
//! encoder, and hands the results here.
//!
//! - this module: who gets an email and when ([`recipient`], [`due`]), each email's derived id
//!   ([`mail_id`]), and the receipt address ([`receipt_segment`], [`parse_receipt`], [`Links`]);
//! - [`email`]: the message (subject, text, HTML with everything escaped, the headers);
//! - [`pages`]: the receipt page, the unsubscribe pages, the hosted feedback page and the owner's
//!   section of feedback pages and QR codes.
//!
//! The receipt address is `/r/{site}.{entry}.{token}`: the entry's receipt token (the secret the
//! customer's browser holds since it sent the entry) is in the address itself, so a link from
//! the email opens the page without anything else, and an address without the right token
//! shows nothing at all of the entry (not even whether it exists). The page never changes
//! anything on a GET (mail scanners follow links): a rating link only preselects the rating,
//! and the customer's confirming POST stores it.

pub mod email;
pub mod pages;

use crate::entry::{Channel, Entry, Scale, Status};
use crate::ids::{derived, entry_id, entry_id_time, is_site_id};
use crate::mail::is_plain_address;

/// A follow-up email is made only for an event this recent. The desk keeps each email's record
/// as long as the entry, so an event is never mailed twice; the limit also keeps an entry that
/// changes long after its reply or fix (a late re-rating, say) from mailing that old news.
pub const FOLLOW_UP_MAX_DELAY_MS: u64 = 86_400_000;

/// What a follow-up email is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUp {
    /// The owner replied (each new reply is its own event).
    Replied,
    /// The owner fixed the failure: the email asks for a new rating.
    Fixed,
}

impl FollowUp {
    /// The email's kind, as the desk records it.
    pub fn kind(self) -> &'static str {
        match self {
            FollowUp::Replied => "customer.replied",
            FollowUp::Fixed => "customer.fixed",
        }
    }
}

/// The address a follow-up email goes to: the one the customer gave, with their consent (a
/// contact is only ever stored with consent), unless they asked to be called by phone instead;
/// and only a plain address ([`is_plain_address`]). `None`: no email at all.
pub fn recipient(entry: &Entry) -> Option<&str> {
    let contact = entry.contact.as_ref()?;
    if contact.channel == Some(Channel::Phone) {
        return None;
    }
    contact.email.as_deref().filter(|address| is_plain_address(address))
}

/// The follow-ups an entry as it is now calls for, each with the time of its event: the
/// latest reply, and the fix. Only events of the last [`FOLLOW_UP_MAX_DELAY_MS`] count, and
/// only when there is someone to write to.
pub fn due(entry: &Entry, now_ms: u64) -> Vec<(FollowUp, u64)> {
    if recipient(entry).is_none() {
        return Vec::new();
    }
    let recent = |at_ms: u64| at_ms.saturating_add(FOLLOW_UP_MAX_DELAY_MS) >= now_ms;
    let mut out = Vec::new();
    if let Some(reply) = entry.reply.as_ref().filter(|r| recent(r.at_ms)) {
        out.push((FollowUp::Replied, reply.at_ms));
    }
    if entry.status == Some(Status::Fixed)
        && let Some(fixed_ms) = entry.fixed_ms.filter(|at| recent(*at))
    {
        out.push((FollowUp::Fixed, fixed_ms));
    }
    out
}

/// The id of the email about one event: `fu_` and a ULID whose time is the event's, derived
/// from the entry, the kind and the event's time, so doing the same work twice (a call repeated
/// after a lost answer, an alarm run again) makes the same email, never a second one.
pub fn mail_id(entry_id_: &str, follow_up: FollowUp, event_ms: u64) -> String {
    let random = derived(&["followup", entry_id_, follow_up.kind(), &event_ms.to_string()]);
    format!("fu_{}", entry_id(event_ms, random))
}

/// The receipt's segment of the address: `{site}.{entry}.{token}` (none of the three contains a
/// dot: site ids are `a-z0-9-`, entry ids Crockford base32, tokens base64url).
pub fn receipt_segment(site: &str, entry: &str, token: &str) -> String {
    format!("{site}.{entry}.{token}")
}

/// A receipt segment as `(site, entry, token)`, if it has that shape. Whether the token is the
/// entry's is for the caller to check, in constant time, against the stored entry.
pub fn parse_receipt(segment: &str) -> Option<(&str, &str, &str)> {
    let mut parts = segment.split('.');
    let (site, entry, token) = (parts.next()?, parts.next()?, parts.next()?);
    let token_ok =
        (16..=64).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (parts.next().is_none() && is_site_id(site) && entry_id_time(entry).is_some() && token_ok)
        .then_some((site, entry, token))
}

/// The addresses the customer is given, absolute (`base` is the tellus host's origin, e.g.
/// `https://tellus.example`, without a trailing slash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// The receipt page.
    pub receipt: String,
    /// The page that stops the emails (and the one-click `List-Unsubscribe` target).
    pub unsubscribe: String,
}

impl Links {
    pub fn of(base: &str, entry: &Entry) -> Links {
        let receipt = format!("{base}/r/{}", receipt_segment(&entry.site, &entry.id, &entry.receipt_token));
        Links { unsubscribe: format!("{receipt}/unsubscribe"), receipt }
    }

    /// The receipt page with `rating` chosen (nothing is stored until the customer confirms).
    pub fn rating(&self, rating: u8) -> String {
        format!("{}?rating={rating}", self.receipt)
    }
}

/// The ratings of a scale, lowest first.
pub fn ratings(scale: Scale) -> std::ops::RangeInclusive<u8> {
    scale.min()..=scale.max()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::entry::{Contact, Kind, Reply};

    pub(crate) const TOKEN: &str = "AbCdEfGhIjKlMnOpQrStUv";

    pub(crate) fn entry() -> Entry {
        Entry {
            status: Some(Status::Open),
            comment: "Cold soup".into(),
            contact: Some(Contact {
                name: Some("Ada".into()),
                email: Some("ada@example.com".into()),
                phone: None,
                channel: None,
            }),
            receipt_token: TOKEN.into(),
            ..Entry::new(
                entry_id(1_800_000_000_000, [3; 10]),
                "shop-1".into(),
                1_800_000_000_000,
                Scale::Csat,
                1,
                Kind::Failure,
            )
        }
    }

    #[test]
    fn only_a_consented_email_address_is_written_to() {
        let mut e = entry();
        assert_eq!(recipient(&e), Some("ada@example.com"));
        if let Some(contact) = e.contact.as_mut() {
            contact.channel = Some(Channel::Phone);
            contact.phone = Some("+372 555 1234".into());
        }
        assert_eq!(recipient(&e), None, "the customer asked for a call");
        e.contact = None;
        assert_eq!(recipient(&e), None, "no consent, no contact");
        let mut only_phone = entry();
        only_phone.contact = Some(Contact { name: None, email: None, phone: Some("5551234".into()), channel: None });
        assert_eq!(recipient(&only_phone), None);
        let mut odd = entry();
        if let Some(contact) = odd.contact.as_mut() {
            contact.email = Some("ada@example.com,eve@example.com".into());
        }
        assert_eq!(recipient(&odd), None, "never an address the customer did not give");
    }

    #[test]
    fn a_reply_and_a_fix_are_due_once_each_and_only_while_recent() {
        let mut e = entry();
        let now = e.created_ms + 1_000;
        assert!(due(&e, now).is_empty());
        e.reply(now, "Sorry, a new soup is on its way.".into());
        assert_eq!(due(&e, now), [(FollowUp::Replied, now)]);
        e.fix(now + 5, String::new()).unwrap();
        assert_eq!(due(&e, now + 5), [(FollowUp::Replied, now), (FollowUp::Fixed, now + 5)]);
        assert!(due(&e, now + 5 + FOLLOW_UP_MAX_DELAY_MS + 1).is_empty(), "old news is not mailed");
        e.reply = Some(Reply { text: "Again".into(), at_ms: now + 9 });
        assert_eq!(due(&e, now + 9)[0], (FollowUp::Replied, now + 9));
        e.contact = None;
        assert!(due(&e, now + 9).is_empty());
    }

    #[test]
    fn an_event_keeps_its_id_and_two_events_have_two() {
        let id = mail_id("e1", FollowUp::Replied, 5_000);
        assert_eq!(id, mail_id("e1", FollowUp::Replied, 5_000));
        assert!(id.starts_with("fu_"));
        assert_ne!(id, mail_id("e1", FollowUp::Replied, 6_000));
        assert_ne!(id, mail_id("e1", FollowUp::Fixed, 5_000));
        assert_ne!(id, mail_id("e2", FollowUp::Replied, 5_000));
    }

    #[test]
    fn a_receipt_address_carries_its_token_and_parses_back() {
        let e = entry();
        let segment = receipt_segment(&e.site, &e.id, &e.receipt_token);
        assert_eq!(parse_receipt(&segment), Some((e.site.as_str(), e.id.as_str(), TOKEN)));
        let links = Links::of("https://tellus.example", &e);
        assert_eq!(links.receipt, format!("https://tellus.example/r/{segment}"));
        assert_eq!(links.rating(4), format!("https://tellus.example/r/{segment}?rating=4"));
        assert_eq!(links.unsubscribe, format!("https://tellus.example/r/{segment}/unsubscribe"));
        let no_token = format!("{}.{}", e.site, e.id);
        let bad = [
            "",
            no_token.as_str(),
            &format!("{no_token}."),
            &format!("{no_token}.short"),
            &format!("{no_token}.{TOKEN}.x"),
            &format!("Shop.{}.{TOKEN}", e.id),
            &format!("{}.not-an-entry.{TOKEN}", e.site),
            &format!("{no_token}.{}", "a/b".repeat(8)),
        ];
        for segment in bad {
            assert_eq!(parse_receipt(segment), None, "{segment:?}");
        }
    }
}
