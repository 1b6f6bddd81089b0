//! Every word the customer reads, in one table keyed by [`Text`], so a translation is one more
//! table and a test can check that no key is missing.
//!
//! Components never contain literal UI strings: they call [`text`] with the language they were
//! mounted with. Only English exists so far; any other language falls back to it.

use tellus_core::entry::Dimension;

/// One user-visible string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// Dialog title when the site's name is not known yet.
    Title,
    /// Accessible name of the close button.
    Close,
    /// Shown while the site's configuration loads.
    Loading,
    /// The CSAT question.
    QuestionCsat,
    /// The NPS question.
    QuestionNps,
    /// CSAT rating labels, 1 to 5.
    Csat1,
    Csat2,
    Csat3,
    Csat4,
    Csat5,
    /// Ends of the NPS scale.
    NpsLow,
    NpsHigh,
    /// Label of the free-text field.
    CommentLabel,
    /// The submit button, idle and busy.
    Send,
    Sending,
    /// Shown when the customer presses Send before choosing a rating.
    ChooseRating,
    /// Shown only after the server confirmed the entry.
    Thanks,
    /// The network request never got an answer.
    Unreachable,
    /// The server answered with something the widget could not read.
    Unexpected,
    /// The button that retries after a failure.
    TryAgain,
    /// The network failed; the entry is kept in the browser and sent on a later visit.
    Queued,
    /// Heading of the path that tells the owner (emphasised after a low rating).
    TellUs,
    /// The SERVQUAL question, and its five answers in plain words.
    WhatWentWrong,
    DimensionReliability,
    DimensionResponsiveness,
    DimensionAssurance,
    DimensionEmpathy,
    DimensionTangibles,
    /// The optional callback request, behind an explicit consent checkbox.
    ContactLegend,
    Consent,
    Name,
    Email,
    Phone,
    PreferredChannel,
    /// Heading and hint of the path that tells others (emphasised after a high rating). Neutral:
    /// no incentive, no suggested rating.
    TellOthers,
    TellOthersHint,
    Share,
    CopyLink,
    /// Shown after the Worker counted a tell-others click.
    Shared,
    /// Return visit: heading, the status of the earlier failure, the owner's reply.
    NewsTitle,
    NewsOpen,
    NewsAcknowledged,
    NewsFixed,
    ReplyLabel,
    /// Asked once the owner marked the failure fixed.
    RerateQuestion,
    Rerated,
    /// Accessible name of the launcher while it shows the news badge.
    LauncherNews,
}

/// The string for `key` in `lang` (a BCP 47 tag such as `en` or `et-EE`), falling back to
/// English.
pub fn text(lang: &str, key: Text) -> &'static str {
    // Only English so far: a match on the primary subtag of `lang` is where other tables go.
    let _ = lang;
    english(key)
}

fn english(key: Text) -> &'static str {
    match key {
        Text::Title => "Feedback",
        Text::Close => "Close",
        Text::Loading => "Loading…",
        Text::QuestionCsat => "How was your experience?",
        Text::QuestionNps => "How likely are you to recommend us to a friend or colleague?",
        Text::Csat1 => "Very bad",
        Text::Csat2 => "Bad",
        Text::Csat3 => "Okay",
        Text::Csat4 => "Good",
        Text::Csat5 => "Very good",
        Text::NpsLow => "0 = not at all likely",
        Text::NpsHigh => "10 = extremely likely",
        Text::CommentLabel => "Anything you would like to tell us? (optional)",
        Text::Send => "Send",
        Text::Sending => "Sending…",
        Text::ChooseRating => "Please choose a rating first.",
        Text::Thanks => "Thank you! Your feedback has been sent.",
        Text::Unreachable => "We could not reach the server. Check your connection and try again; nothing was sent.",
        Text::Unexpected => "Something went wrong on our side. Please try again in a moment.",
        Text::TryAgain => "Try again",
        Text::Queued => "Saved — we'll send it when you're back online.",
        Text::TellUs => "Tell us",
        Text::WhatWentWrong => "What went wrong? (choose any)",
        Text::DimensionReliability => "It didn't work as promised",
        Text::DimensionResponsiveness => "Too slow, or no answer",
        Text::DimensionAssurance => "Staff didn't know, or weren't courteous",
        Text::DimensionEmpathy => "Nobody cared about my situation",
        Text::DimensionTangibles => "The place, site or materials",
        Text::ContactLegend => "Would you like us to get back to you? (optional)",
        Text::Consent => "Yes, you may contact me about this feedback",
        Text::Name => "Name",
        Text::Email => "Email",
        Text::Phone => "Phone",
        Text::PreferredChannel => "Preferred way to reach you",
        Text::TellOthers => "Tell others",
        Text::TellOthersHint => "If you like, share your experience where others can read it:",
        Text::Share => "Share…",
        Text::CopyLink => "Copy link",
        Text::Shared => "Thank you for telling others.",
        Text::NewsTitle => "About your earlier feedback",
        Text::NewsOpen => "We have your feedback.",
        Text::NewsAcknowledged => "We have seen your feedback and are working on it.",
        Text::NewsFixed => "We have fixed what you told us about.",
        Text::ReplyLabel => "Our reply:",
        Text::RerateQuestion => "We fixed it — how are we doing now?",
        Text::Rerated => "Thank you for rating us again.",
        Text::LauncherNews => "Feedback: there is news about your earlier feedback",
    }
}

/// The Close button's glyph; its accessible name is [`Text::Close`].
pub const CLOSE_GLYPH: &str = "×";

/// Faces shown above the CSAT labels, 1 to 5. Decoration only (hidden from screen readers):
/// the words carry the meaning.
pub const CSAT_FACES: [&str; 5] = ["😞", "😕", "😐", "😊", "😄"];

/// The plain words for a SERVQUAL dimension.
pub fn dimension_label(lang: &str, dimension: Dimension) -> &'static str {
    let key = match dimension {
        Dimension::Reliability => Text::DimensionReliability,
        Dimension::Responsiveness => Text::DimensionResponsiveness,
        Dimension::Assurance => Text::DimensionAssurance,
        Dimension::Empathy => Text::DimensionEmpathy,
        Dimension::Tangibles => Text::DimensionTangibles,
    };
    text(lang, key)
}

/// The visible label of a CSAT rating (1–5).
pub fn csat_label(lang: &str, rating: u8) -> &'static str {
    let key = match rating {
        1 => Text::Csat1,
        2 => Text::Csat2,
        3 => Text::Csat3,
        4 => Text::Csat4,
        _ => Text::Csat5,
    };
    text(lang, key)
}
