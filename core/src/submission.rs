//! A customer's submission, parsed and validated once against the site's rules.

use crate::entry::{Channel, Contact, Dimension, Entry, Scale, Touchpoint, classify};
use crate::i18n::subtags;
use crate::input::fields::{Fields, InputError, parse_object};
use crate::limits::*;
use crate::site::Site;

/// The name of the honeypot field: hidden from people, filled by bots.
pub const HONEYPOT_FIELD: &str = "website";

/// A valid submission, ready to become an [`Entry`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub rating: u8,
    pub comment: String,
    pub dimensions: Vec<Dimension>,
    pub touchpoint: Touchpoint,
    pub contact: Option<Contact>,
    pub lang: String,
    pub idempotency_key: Option<String>,
    /// True when the honeypot was filled: answer as if stored, store nothing.
    pub is_bot: bool,
}

impl Submission {
    /// Parses the body of `POST /v1/sites/{site}/feedback` for a site with this scale.
    pub fn parse(body: &[u8], scale: Scale) -> Result<Submission, InputError> {
        let map = parse_object(body).map_err(InputError::Body)?;
        let mut fields = Fields::new(&map);

        let rating = fields.integer("rating", i64::from(scale.min()), i64::from(scale.max()));
        if rating.is_none() && fields.errors.iter().all(|e| e.field != "rating") {
            fields.error("rating", "is required");
        }
        let comment = fields.string("comment", MAX_COMMENT_CHARS).unwrap_or_default();

        let mut dimensions = Vec::new();
        if let Some(items) = fields.array("dimensions", Dimension::ALL.len()) {
            for (i, item) in items.iter().enumerate() {
                match item.as_str().and_then(Dimension::parse) {
                    Some(d) if !dimensions.contains(&d) => dimensions.push(d),
                    Some(_) => {}
                    None => fields.error(
                        &format!("dimensions[{i}]"),
                        "must be one of reliability, responsiveness, assurance, empathy, tangibles",
                    ),
                }
            }
            dimensions.sort();
        }

        let mut touchpoint = Touchpoint::default();
        if let Some(map) = fields.object("touchpoint") {
            let mut nested = Fields::nested("touchpoint", map);
            touchpoint.page = nested.string("page", MAX_SHORT_TEXT_CHARS).filter(|s| !s.is_empty());
            touchpoint.order = nested.string("order", MAX_SHORT_TEXT_CHARS).filter(|s| !s.is_empty());
            touchpoint.agent = nested.string("agent", MAX_SHORT_TEXT_CHARS).filter(|s| !s.is_empty());
            fields.absorb(nested);
        }

        let consent = fields.boolean("consent").unwrap_or(false);
        let mut contact = None;
        if let Some(map) = fields.object("contact") {
            let mut nested = Fields::nested("contact", map);
            let name = nested.string("name", MAX_SHORT_TEXT_CHARS).filter(|s| !s.is_empty());
            let email = nested.string("email", MAX_SHORT_TEXT_CHARS).filter(|s| !s.is_empty());
            let phone = nested.string("phone", 40).filter(|s| !s.is_empty());
            let channel = match nested.string("channel", 10).as_deref() {
                None | Some("") => None,
                Some("email") => Some(Channel::Email),
                Some("phone") => Some(Channel::Phone),
                Some(_) => {
                    nested.error("channel", "must be \"email\" or \"phone\"");
                    None
                }
            };
            if let Some(email) = &email
                && !looks_like_email(email)
            {
                nested.error("email", "must be an email address such as name@example.com");
            }
            if let Some(phone) = &phone
                && !looks_like_phone(phone)
            {
                nested.error("phone", "must be a phone number: digits, spaces, + ( ) - only");
            }
            let any = name.is_some() || email.is_some() || phone.is_some();
            if any && !consent {
                nested.error("", "is only accepted when consent is true");
            }
            if channel == Some(Channel::Email) && email.is_none() {
                nested.error("email", "is required when the preferred channel is email");
            }
            if channel == Some(Channel::Phone) && phone.is_none() {
                nested.error("phone", "is required when the preferred channel is phone");
            }
            fields.absorb(nested);
            if any && consent {
                contact = Some(Contact { name, email, phone, channel });
            }
        }

        let lang = match fields.string("lang", 35) {
            None => "en".to_owned(),
            Some(tag) => match normalise_lang(&tag) {
                Some(lang) => lang,
                None => {
                    fields.error("lang", "must be a language tag such as en or et-EE");
                    "en".to_owned()
                }
            },
        };

        let idempotency_key = fields.string("idempotency_key", IDEMPOTENCY_KEY_MAX);
        if let Some(key) = &idempotency_key
            && (key.len() < IDEMPOTENCY_KEY_MIN
                || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        {
            fields.error(
                "idempotency_key",
                format!("must be {IDEMPOTENCY_KEY_MIN}-{IDEMPOTENCY_KEY_MAX} characters of A-Z, a-z, 0-9, - and _"),
            );
        }

        let is_bot = match fields.take(HONEYPOT_FIELD) {
            None => false,
            Some(value) => value.as_str().is_none_or(|s| !s.is_empty()),
        };

        let errors = fields.finish();
        match rating {
            Some(rating) if errors.is_empty() => Ok(Submission {
                rating: rating as u8,
                comment,
                dimensions,
                touchpoint,
                contact,
                lang,
                idempotency_key,
                is_bot,
            }),
            _ => Err(InputError::Fields(errors)),
        }
    }

    /// The entry this submission becomes on `site`, with a fresh id and receipt token.
    pub fn into_entry(self, site: &Site, id: String, now_ms: u64, receipt_token: String) -> Entry {
        let settings = &site.settings;
        let kind = classify(settings.scale, settings.failure_threshold, self.rating, &self.dimensions);
        Entry {
            comment: self.comment,
            dimensions: self.dimensions,
            touchpoint: self.touchpoint,
            contact: self.contact,
            lang: self.lang,
            receipt_token,
            ..Entry::new(id, site.id.clone(), now_ms, settings.scale, self.rating, kind)
        }
    }
}

fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

fn looks_like_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    (5..=20).contains(&digits)
        && text.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-' | '.'))
}

/// `en`, `et-EE`, `ar`… lower-cased primary subtag plus optional region, joined with `-`;
/// anything else is refused. Any language is kept (the owner's summary shows the mix), not
/// only the six with tables.
fn normalise_lang(tag: &str) -> Option<String> {
    let mut parts = subtags(tag);
    let primary = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    match parts.next() {
        None => Some(primary),
        Some(region) if region.len() <= 8 && region.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            Some(format!("{primary}-{}", region.to_ascii_uppercase()))
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::fields::BodyError;
    use proptest::prelude::*;

    fn field_names(body: &[u8], scale: Scale) -> Vec<String> {
        match Submission::parse(body, scale) {
            Err(InputError::Fields(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_full_submission_parses() {
        let submission = Submission::parse(
            br#"{"rating":1,"comment":" slow ","dimensions":["responsiveness","empathy"],
                "touchpoint":{"page":"/checkout","order":"A-1"},"consent":true,
                "contact":{"name":"Mari","email":"mari@example.com","channel":"email"},
                "lang":"et-ee","idempotency_key":"abcDEF12-_"}"#,
            Scale::Csat,
        )
        .unwrap();
        assert_eq!(submission.rating, 1);
        assert_eq!(submission.comment, "slow");
        assert_eq!(submission.dimensions, vec![Dimension::Responsiveness, Dimension::Empathy]);
        assert_eq!(submission.lang, "et-EE");
        assert!(submission.contact.is_some());
        assert!(!submission.is_bot);
    }

    #[test]
    fn rating_range_depends_on_the_scale() {
        for (rating, scale, ok) in [
            (0, Scale::Csat, false),
            (1, Scale::Csat, true),
            (5, Scale::Csat, true),
            (6, Scale::Csat, false),
            (0, Scale::Nps, true),
            (10, Scale::Nps, true),
            (11, Scale::Nps, false),
            (-1, Scale::Nps, false),
        ] {
            let body = format!(r#"{{"rating":{rating}}}"#);
            assert_eq!(Submission::parse(body.as_bytes(), scale).is_ok(), ok, "{rating} {scale:?}");
        }
        assert_eq!(field_names(br#"{"rating":2.5}"#, Scale::Csat), vec!["rating"]);
        assert_eq!(field_names(br#"{"rating":"5"}"#, Scale::Csat), vec!["rating"]);
        assert_eq!(field_names(br#"{}"#, Scale::Csat), vec!["rating"]);
    }

    #[test]
    fn every_bad_field_is_listed_not_just_the_first() {
        let comment = "x".repeat(MAX_COMMENT_CHARS + 1);
        let body = format!(
            r#"{{"rating":9,"comment":"{comment}","dimensions":["price"],"color":"red",
                "contact":{{"email":"nope"}},"idempotency_key":"short","lang":"english!"}}"#
        );
        let names = field_names(body.as_bytes(), Scale::Csat);
        for expected in
            ["rating", "comment", "dimensions[0]", "color", "contact.email", "contact", "idempotency_key", "lang"]
        {
            assert!(names.iter().any(|n| n == expected), "{expected} missing from {names:?}");
        }
    }

    #[test]
    fn contact_without_consent_is_refused_and_never_kept() {
        let names = field_names(br#"{"rating":1,"contact":{"name":"Mari"}}"#, Scale::Csat);
        assert_eq!(names, vec!["contact"]);
        let ok = Submission::parse(br#"{"rating":1,"consent":false}"#, Scale::Csat).unwrap();
        assert_eq!(ok.contact, None);
    }

    #[test]
    fn unreadable_bodies_are_told_apart() {
        assert_eq!(Submission::parse(b"\xff\xfe", Scale::Csat), Err(InputError::Body(BodyError::NotUtf8)));
        assert!(matches!(
            Submission::parse(b"{\"rating\":", Scale::Csat),
            Err(InputError::Body(BodyError::NotJson(_)))
        ));
        assert_eq!(Submission::parse(b"[1]", Scale::Csat), Err(InputError::Body(BodyError::NotObject)));
    }

    #[test]
    fn honeypot_marks_bots() {
        let bot = Submission::parse(br#"{"rating":5,"website":"http://spam"}"#, Scale::Csat).unwrap();
        assert!(bot.is_bot);
        let person = Submission::parse(br#"{"rating":5,"website":""}"#, Scale::Csat).unwrap();
        assert!(!person.is_bot);
    }

    #[test]
    fn control_and_bidi_characters_are_refused() {
        assert_eq!(field_names("{\"rating\":3,\"comment\":\"a\\u202eb\"}".as_bytes(), Scale::Csat), vec!["comment"]);
        assert_eq!(field_names(br#"{"rating":3,"comment":"a\u0000b"}"#, Scale::Csat), vec!["comment"]);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = Submission::parse(&body, Scale::Csat);
        }

        #[test]
        fn arbitrary_json_objects_parse_or_name_fields(
            rating in proptest::option::of(-3i64..15),
            comment in proptest::option::of(".{0,50}"),
            extra in proptest::option::of("[a-z]{1,8}"),
        ) {
            let mut map = serde_json::Map::new();
            if let Some(r) = rating { map.insert("rating".into(), r.into()); }
            if let Some(c) = comment { map.insert("comment".into(), c.into()); }
            if let Some(e) = extra { map.insert(e, 1.into()); }
            let body = serde_json::to_vec(&map).unwrap_or_default();
            match Submission::parse(&body, Scale::Nps) {
                Ok(s) => prop_assert!(s.rating <= 10),
                Err(InputError::Fields(errors)) => prop_assert!(!errors.is_empty()),
                Err(InputError::Body(_)) => prop_assert!(false, "a JSON object is always readable"),
            }
        }
    }
}
