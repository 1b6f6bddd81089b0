//! Entries: what a customer told us, and the failure rules that decide what happens next.

use serde::{Deserialize, Serialize};

/// The rating question a site asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// Customer satisfaction, 1 (very unhappy) to 5 (very happy).
    #[default]
    Csat,
    /// Net Promoter Score, 0 (not at all likely to recommend) to 10 (extremely likely).
    Nps,
}

impl Scale {
    pub fn min(self) -> u8 {
        match self {
            Scale::Csat => 1,
            Scale::Nps => 0,
        }
    }

    pub fn max(self) -> u8 {
        match self {
            Scale::Csat => 5,
            Scale::Nps => 10,
        }
    }

    /// Default failure threshold: a rating at or below it is a failure (CSAT ≤ 2, NPS ≤ 6).
    pub fn default_threshold(self) -> u8 {
        match self {
            Scale::Csat => 2,
            Scale::Nps => 6,
        }
    }

    /// Lowest rating that counts as praise: CSAT 4–5 ("satisfied"), NPS 9–10 (promoters).
    pub fn praise_from(self) -> u8 {
        match self {
            Scale::Csat => 4,
            Scale::Nps => 9,
        }
    }

    pub fn parse(text: &str) -> Option<Scale> {
        match text {
            "csat" => Some(Scale::Csat),
            "nps" => Some(Scale::Nps),
            _ => None,
        }
    }
}

/// The five SERVQUAL dimensions of service quality, offered as "what went wrong?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    Tangibles,
    Reliability,
    Responsiveness,
    Assurance,
    Empathy,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Reliability,
        Dimension::Responsiveness,
        Dimension::Assurance,
        Dimension::Empathy,
        Dimension::Tangibles,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Tangibles => "tangibles",
            Dimension::Reliability => "reliability",
            Dimension::Responsiveness => "responsiveness",
            Dimension::Assurance => "assurance",
            Dimension::Empathy => "empathy",
        }
    }

    pub fn parse(text: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.as_str() == text)
    }

    /// One bit per dimension, for compact KV list metadata.
    pub fn bit(self) -> u8 {
        match self {
            Dimension::Tangibles => 1,
            Dimension::Reliability => 2,
            Dimension::Responsiveness => 4,
            Dimension::Assurance => 8,
            Dimension::Empathy => 16,
        }
    }
}

/// Service-level targets: how fast a failure should be acknowledged and fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sla {
    pub acknowledge_minutes: u32,
    pub fix_minutes: u32,
}

impl Default for Sla {
    fn default() -> Self {
        Sla {
            acknowledge_minutes: crate::limits::DEFAULT_SLA_ACKNOWLEDGE_MINUTES,
            fix_minutes: crate::limits::DEFAULT_SLA_FIX_MINUTES,
        }
    }
}

/// What an entry is, decided once when it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Something went wrong: callbacks fire until it is fixed.
    Failure,
    /// Neither a failure nor praise (e.g. CSAT 3, NPS 7–8).
    Neutral,
    /// A happy customer: the owner hears about it too.
    Praise,
}

/// The life cycle of a failure. Other kinds stay `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Acknowledged,
    Fixed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Acknowledged => "acknowledged",
            Status::Fixed => "fixed",
        }
    }
}

/// Where the conversation happened: page, order, agent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Touchpoint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
}

/// How the customer would like to be called back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Phone,
}

/// Contact details, only ever stored when the customer ticked the consent box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
}

/// The failure rule: a rating at or below the site's threshold, or a "what went wrong" answer.
pub fn classify(scale: Scale, threshold: u8, rating: u8, dimensions: &[Dimension]) -> Kind {
    if rating <= threshold || !dimensions.is_empty() {
        Kind::Failure
    } else if rating >= scale.praise_from() {
        Kind::Praise
    } else {
        Kind::Neutral
    }
}

/// One stored piece of feedback, as kept in KV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub site: String,
    pub created_ms: u64,
    pub scale: Scale,
    pub rating: u8,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<Dimension>,
    #[serde(default)]
    pub touchpoint: Touchpoint,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    pub lang: String,
    /// Secret the customer's browser holds to read the entry's status and the owner's reply.
    pub receipt_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fix_note: String,
    /// The owner's answer, shown to the customer on a return visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
    /// The customer's rating after the fix: the recovery measure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rerating: Option<Rerating>,
    /// The teammate handling the entry now: a name, free text, as the owner typed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// Every change of who handles the entry, oldest first (the case's "handled by" history).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assignments: Vec<Assignment>,
    /// The owner's notes, oldest first. Internal: never shown to the customer, never in a receipt.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// A change of who handles an entry; an empty `name` means nobody does any more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub name: String,
    pub at_ms: u64,
}

/// An internal note of the owner's team on an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub text: String,
    pub at_ms: u64,
}

/// The owner's reply to a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub text: String,
    pub at_ms: u64,
}

/// A rating given again after the failure was fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rerating {
    pub rating: u8,
    pub at_ms: u64,
}

/// Why an owner action or a re-rating does not apply to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionError {
    NotAFailure,
    AlreadyFixed,
    NotFixed,
    AlreadyRerated,
    RatingOutOfRange,
    TooManyNotes,
    TooManyAssignments,
}

impl TransitionError {
    pub fn detail(self) -> &'static str {
        match self {
            TransitionError::NotAFailure => "Only failures can be acknowledged or fixed; this entry is not a failure.",
            TransitionError::AlreadyFixed => "This failure is already fixed.",
            TransitionError::NotFixed => "A new rating can be given once the failure is fixed.",
            TransitionError::AlreadyRerated => "This entry has already been rated again.",
            TransitionError::RatingOutOfRange => "The rating is outside the site's scale.",
            TransitionError::TooManyNotes => "This entry already holds the most notes one entry can keep (100).",
            TransitionError::TooManyAssignments => {
                "This entry has been reassigned the most times one entry can record (100)."
            }
        }
    }
}

/// Compact per-key metadata for KV lists (at most 1,024 bytes), so listing and summarising
/// entries needs no per-key reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryMeta {
    /// Rating.
    pub r: u8,
    /// Kind: `f`ailure, `n`eutral, `p`raise.
    pub k: char,
    /// Status: `o`pen, `a`cknowledged, `x` fixed, `-` not a failure.
    pub s: char,
    /// Dimensions as a bit set (see [`Dimension::bit`]).
    pub d: u8,
    /// Touchpoint page, cut to 100 characters.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub t: String,
    /// Acknowledged at (ms), for time-to-acknowledge without reading the entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<u64>,
    /// Fixed at (ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<u64>,
    /// Rating after the fix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rr: Option<u8>,
    /// Language.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub l: String,
}

impl Entry {
    /// An entry as it is received: `kind` from the rating (`classify`), a failure open, nothing
    /// said beyond the rating (no comment, dimensions, touchpoint or contact; English), and
    /// nothing done with it yet. Callers set what they have with struct update syntax
    /// (`Entry { comment, ..Entry::new(…) }`).
    pub fn new(id: String, site: String, created_ms: u64, scale: Scale, rating: u8, kind: Kind) -> Entry {
        Entry {
            id,
            site,
            created_ms,
            scale,
            rating,
            kind,
            status: (kind == Kind::Failure).then_some(Status::Open),
            comment: String::new(),
            dimensions: Vec::new(),
            touchpoint: Touchpoint::default(),
            contact: None,
            lang: "en".to_owned(),
            receipt_token: String::new(),
            acknowledged_ms: None,
            fixed_ms: None,
            fix_note: String::new(),
            reply: None,
            rerating: None,
            assignee: None,
            assignments: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A failure still waiting for its fix (open or acknowledged): callbacks keep firing for it.
    pub fn is_unfixed_failure(&self) -> bool {
        matches!(self.status, Some(Status::Open | Status::Acknowledged))
    }

    /// When the entry expires (seconds since the epoch): its creation plus the site's retention.
    /// KV deletes it then, and the site's desk forgets what it kept about it.
    pub fn expires_at_secs(&self, retention_days: u32) -> u64 {
        self.created_ms / 1000 + u64::from(retention_days) * 86_400
    }

    /// The deadline the failure is racing now: acknowledging while open, fixing once
    /// acknowledged; `None` once fixed (or for other kinds).
    pub fn next_deadline_ms(&self, sla: Sla) -> Option<u64> {
        let minutes = match self.status {
            Some(Status::Open) => sla.acknowledge_minutes,
            Some(Status::Acknowledged) => sla.fix_minutes,
            _ => return None,
        };
        Some(self.created_ms + u64::from(minutes) * 60_000)
    }

    /// The owner has seen the failure. Acknowledging twice keeps the first time.
    pub fn acknowledge(&mut self, now_ms: u64) -> Result<(), TransitionError> {
        match self.status {
            None => Err(TransitionError::NotAFailure),
            Some(Status::Fixed) => Err(TransitionError::AlreadyFixed),
            Some(Status::Acknowledged) => Ok(()),
            Some(Status::Open) => {
                self.status = Some(Status::Acknowledged);
                self.acknowledged_ms = Some(now_ms);
                Ok(())
            }
        }
    }

    /// The failure is fixed. Fixing implies acknowledging (at the same time, if not before).
    pub fn fix(&mut self, now_ms: u64, note: String) -> Result<(), TransitionError> {
        match self.status {
            None => Err(TransitionError::NotAFailure),
            Some(Status::Fixed) => Err(TransitionError::AlreadyFixed),
            Some(_) => {
                self.status = Some(Status::Fixed);
                self.acknowledged_ms.get_or_insert(now_ms);
                self.fixed_ms = Some(now_ms);
                self.fix_note = note;
                Ok(())
            }
        }
    }

    /// The owner answers the customer (any kind of entry: answer happy customers too).
    pub fn reply(&mut self, now_ms: u64, text: String) {
        self.reply = Some(Reply { text, at_ms: now_ms });
    }

    /// The customer rates again after a fix: once, within the scale.
    pub fn rerate(&mut self, now_ms: u64, rating: u8) -> Result<(), TransitionError> {
        if self.status != Some(Status::Fixed) {
            return Err(TransitionError::NotFixed);
        }
        if self.rerating.is_some() {
            return Err(TransitionError::AlreadyRerated);
        }
        if rating < self.scale.min() || rating > self.scale.max() {
            return Err(TransitionError::RatingOutOfRange);
        }
        self.rerating = Some(Rerating { rating, at_ms: now_ms });
        Ok(())
    }

    /// Hands the entry to a teammate (`name` trimmed; empty hands it back to nobody). Any kind
    /// of entry can be assigned (someone may thank a happy customer too). `Ok(false)` when the
    /// entry is already with that name, so nothing is written.
    pub fn assign(&mut self, now_ms: u64, name: &str) -> Result<bool, TransitionError> {
        let name = name.trim();
        let current = self.assignee.as_deref().unwrap_or("");
        if current == name {
            return Ok(false);
        }
        if self.assignments.len() >= crate::limits::MAX_ASSIGNMENTS_PER_ENTRY {
            return Err(TransitionError::TooManyAssignments);
        }
        self.assignee = (!name.is_empty()).then(|| name.to_owned());
        self.assignments.push(Assignment { name: name.to_owned(), at_ms: now_ms });
        Ok(true)
    }

    /// Adds an internal note.
    pub fn add_note(&mut self, now_ms: u64, text: String) -> Result<(), TransitionError> {
        if self.notes.len() >= crate::limits::MAX_NOTES_PER_ENTRY {
            return Err(TransitionError::TooManyNotes);
        }
        self.notes.push(Note { text, at_ms: now_ms });
        Ok(())
    }

    pub fn meta(&self) -> EntryMeta {
        EntryMeta {
            r: self.rating,
            k: match self.kind {
                Kind::Failure => 'f',
                Kind::Neutral => 'n',
                Kind::Praise => 'p',
            },
            s: match self.status {
                Some(Status::Open) => 'o',
                Some(Status::Acknowledged) => 'a',
                Some(Status::Fixed) => 'x',
                None => '-',
            },
            d: self.dimensions.iter().fold(0, |bits, d| bits | d.bit()),
            t: self.touchpoint.page.as_deref().unwrap_or("").chars().take(100).collect(),
            a: self.acknowledged_ms,
            x: self.fixed_ms,
            rr: self.rerating.map(|r| r.rating),
            l: self.lang.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure() -> Entry {
        Entry { status: Some(Status::Open), ..Entry::new("id".into(), "s".into(), 0, Scale::Csat, 1, Kind::Failure) }
    }

    #[test]
    fn a_failure_moves_open_acknowledged_fixed_and_is_rerated_once() {
        let mut entry = failure();
        assert_eq!(entry.rerate(5, 4), Err(TransitionError::NotFixed));
        entry.acknowledge(10).unwrap();
        entry.acknowledge(20).unwrap();
        assert_eq!(entry.acknowledged_ms, Some(10));
        entry.fix(30, "refunded".into()).unwrap();
        assert_eq!(entry.fix(40, String::new()), Err(TransitionError::AlreadyFixed));
        assert_eq!(entry.acknowledge(50), Err(TransitionError::AlreadyFixed));
        assert_eq!(entry.rerate(60, 9), Err(TransitionError::RatingOutOfRange));
        entry.rerate(60, 5).unwrap();
        assert_eq!(entry.rerate(70, 4), Err(TransitionError::AlreadyRerated));
        assert_eq!(entry.meta().s, 'x');
        assert_eq!(entry.meta().rr, Some(5));
    }

    #[test]
    fn an_entry_is_assigned_reassigned_and_handed_back_with_its_history() {
        let mut entry = failure();
        assert_eq!(entry.assign(10, "  Kadri "), Ok(true));
        assert_eq!(entry.assign(20, "Kadri"), Ok(false), "the same name again changes nothing");
        assert_eq!(entry.assign(30, "Mari"), Ok(true));
        assert_eq!(entry.assign(40, ""), Ok(true));
        assert_eq!(entry.assignee, None);
        let history: Vec<(&str, u64)> = entry.assignments.iter().map(|a| (a.name.as_str(), a.at_ms)).collect();
        assert_eq!(history, [("Kadri", 10), ("Mari", 30), ("", 40)]);
        for i in 0..crate::limits::MAX_NOTES_PER_ENTRY {
            entry.add_note(i as u64, format!("note {i}")).unwrap();
        }
        assert_eq!(entry.add_note(1, "one more".into()), Err(TransitionError::TooManyNotes));
        let json = serde_json::to_string(&entry).unwrap();
        let back: Entry = serde_json::from_str(&json).unwrap();
        assert_eq!(back, entry);
        // Entries stored before assignments existed read as unassigned, without notes.
        let old: Entry = serde_json::from_str(&serde_json::to_string(&failure()).unwrap()).unwrap();
        assert!(old.assignee.is_none() && old.notes.is_empty() && old.assignments.is_empty());
    }

    #[test]
    fn fixing_an_open_failure_acknowledges_it_too() {
        let mut entry = failure();
        entry.fix(30, String::new()).unwrap();
        assert_eq!(entry.acknowledged_ms, Some(30));
        let mut praise = failure();
        praise.status = None;
        assert_eq!(praise.fix(1, String::new()), Err(TransitionError::NotAFailure));
    }

    #[test]
    fn failure_rule_follows_threshold_and_dimensions() {
        let cases = [
            (Scale::Csat, 2, 1, &[][..], Kind::Failure),
            (Scale::Csat, 2, 2, &[][..], Kind::Failure),
            (Scale::Csat, 2, 3, &[][..], Kind::Neutral),
            (Scale::Csat, 2, 4, &[][..], Kind::Praise),
            (Scale::Csat, 2, 5, &[Dimension::Empathy][..], Kind::Failure),
            (Scale::Nps, 6, 6, &[][..], Kind::Failure),
            (Scale::Nps, 6, 7, &[][..], Kind::Neutral),
            (Scale::Nps, 6, 9, &[][..], Kind::Praise),
            (Scale::Nps, 6, 0, &[][..], Kind::Failure),
        ];
        for (scale, threshold, rating, dims, expected) in cases {
            assert_eq!(classify(scale, threshold, rating, dims), expected, "{scale:?} {rating}");
        }
    }

    #[test]
    fn metadata_stays_under_the_kv_limit() {
        let entry = Entry {
            status: Some(Status::Acknowledged),
            dimensions: Dimension::ALL.to_vec(),
            touchpoint: Touchpoint { page: Some("😀".repeat(500)), ..Touchpoint::default() },
            ..Entry::new("x".repeat(26), "s".repeat(12), u64::MAX, Scale::Nps, 10, Kind::Failure)
        };
        let json = serde_json::to_string(&entry.meta()).unwrap();
        assert!(json.len() <= 1024, "{} bytes", json.len());
        let mut entry = entry;
        entry.fix(1, "x".into()).unwrap();
        entry.rerating = Some(Rerating { rating: 10, at_ms: u64::MAX });
        let json = serde_json::to_string(&entry.meta()).unwrap();
        assert!(json.len() <= 1024, "{} bytes", json.len());
        assert_eq!(entry.meta().d, 31);
    }
}
