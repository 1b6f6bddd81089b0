//! Every word the customer reads, in one table keyed by [`Text`], so a translation is one more
//! table and a test can check that no key is missing.
//!
//! Components never contain literal UI strings: they call [`text`] with the language they were
//! mounted with. Only English exists so far; any other language falls back to it.

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
    }
}

/// The Close button's glyph; its accessible name is [`Text::Close`].
pub const CLOSE_GLYPH: &str = "×";

/// Faces shown above the CSAT labels, 1 to 5. Decoration only (hidden from screen readers):
/// the words carry the meaning.
pub const CSAT_FACES: [&str; 5] = ["😞", "😕", "😐", "😊", "😄"];

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
