//! Customer text on its way into a target's markup. Three steps, in this order:
//!
//! 1. [`clean`]: what must never survive anywhere goes (control characters other than line
//!    breaks, and the bidirectional controls that make text display as something else).
//! 2. An escape per target, so the text stays text: it cannot ping (`@everyone`, `<@id>`,
//!    `<!here>`), link (`[x](https://…)`, `<https://…|x>`), format or break the message.
//! 3. [`fit`]: cut to the target's documented limit, measured as that target measures, with an
//!    ellipsis. Long comments are cut, never rejected: the owner must hear about the failure.
//!
//! Where a target has a markup-free text element (Slack `rich_text`, Adaptive Card `TextRun`),
//! the renderers put customer text there and only step 1 applies; see each escape's note.

/// Marks where text was cut.
pub const ELLIPSIS: &str = "…";

/// U+200B ZERO WIDTH SPACE, put after an `@` that could start a mention so that `@everyone` or
/// `@name` shows as written but is no mention (the same defence as discord.py's
/// `escape_mentions`), and before Slack's formatting characters so they pair with nothing.
const ZWSP: char = '\u{200B}';

/// Unicode's `Bidi_Control` characters: the marks, embeddings, overrides and isolates. Customer
/// text never needs them to be read, and with them `evil.exe\u{202E}fdp.txt` shows as
/// `evil.exetxt.pdf`; they are dropped.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text from a customer or an owner, made safe to put anywhere: control characters and
/// bidirectional controls dropped, tabs made spaces, every line break (`\r\n`, `\r`, U+2028,
/// U+2029) made `\n`, and trimmed. With `one_line`, line breaks become spaces too (names,
/// pages, titles).
pub fn clean(text: &str, one_line: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\r' if chars.peek() == Some(&'\n') => continue,
            '\r' | '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => '\n',
            '\t' => ' ',
            c if c.is_control() || is_bidi_control(c) => continue,
            c => c,
        };
        out.push(if one_line && c == '\n' { ' ' } else { c });
    }
    out.trim().to_owned()
}

/// Length in UTF-16 code units, the unit JavaScript and the platforms' limits use (Telegram
/// counts entity offsets in them). It is never less than the number of characters, so a text
/// within a limit in UTF-16 is within it however the platform counts characters.
pub fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// `text` escaped by `escape`, cut so that `measure` of the result is at most `max`: whole when
/// it fits, else the longest prefix that fits with [`ELLIPSIS`] after it (trailing spaces
/// dropped, never splitting a character from the combining mark, variation selector or joiner
/// after it). Empty when not even the ellipsis fits. `measure(escape(…))` must never shrink as
/// the text grows (true of every escape here: each character takes at least one unit, and what
/// follows a character can only add to it).
pub fn fit(text: &str, max: usize, escape: impl Fn(&str) -> String, measure: impl Fn(&str) -> usize) -> String {
    // Every character takes at least one unit as sent (escapes only add), so no more than
    // `max` characters can fit: looking at more is wasted work on a 10,000-character comment.
    let bounded = text.char_indices().nth(max.saturating_add(1)).map_or(text, |(end, _)| &text[..end]);
    if bounded.len() == text.len() {
        let whole = escape(text);
        if measure(&whole) <= max {
            return whole;
        }
    }
    let text = bounded;
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let prefix = |n: usize| text[..bounds.get(n).copied().unwrap_or(text.len())].trim_end();
    let cut = |n: usize| format!("{}{ELLIPSIS}", escape(prefix(n)));
    let fits = |n: usize| measure(&cut(n)) <= max;
    if !fits(0) {
        return String::new();
    }
    // The longest prefix (in characters) that fits: the measure grows with the prefix, so a
    // binary search finds it.
    let (mut low, mut high) = (0, bounds.len());
    while low < high {
        let mid = (low + high).div_ceil(2);
        if fits(mid) { low = mid } else { high = mid - 1 }
    }
    let chars: Vec<char> = text.chars().collect();
    while low > 0 && (chars.get(low).copied().is_some_and(extends_previous) || chars[low - 1] == '\u{200D}') {
        low -= 1;
    }
    // End on a whole word when one ends near the cut, so the ellipsis does not read as a typo.
    if let Some(space) = (low.saturating_sub(WORD_CUT_WINDOW)..low).rev().find(|i| chars[*i].is_whitespace())
        && chars[..space].iter().any(|c| !c.is_whitespace())
    {
        low = space;
    }
    cut(low)
}

/// How far back (in characters) a cut looks for the end of a word.
const WORD_CUT_WINDOW: usize = 20;

/// Whether a character belongs to the one before it on screen: combining marks, variation
/// selectors, emoji skin tones and the zero-width joiner.
fn extends_previous(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{FE00}'..='\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{200D}')
}

/// Whether an `@` (after `prev`, before `rest`) could start a mention: at the start of a word,
/// as every platform's `@name` is, or `@everyone`/`@here` anywhere (Discord reads those inside a
/// word too). An `@` inside an email address is neither and stays as it is, so the owner can
/// copy the address.
fn starts_mention(prev: Option<char>, rest: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || "._-+'".contains(c);
    let broadcast = ["everyone", "here"].iter().any(|name| {
        rest.get(..name.len()).is_some_and(|head| head.eq_ignore_ascii_case(name))
            && rest[name.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric() && c != '.')
    });
    prev.is_none_or(|c| !word(c)) || broadcast
}

/// Pushes `@`, and a zero-width space after it where it could start a mention.
fn push_at(out: &mut String, prev: Option<char>, rest: &str) {
    out.push('@');
    if starts_mention(prev, rest) {
        out.push(ZWSP);
    }
}

/// Slack `mrkdwn` (the `text` fallback and `mrkdwn` text objects). Slack's documented rule:
/// `&`, `<` and `>` are its control characters and must be sent as `&amp;`, `&lt;`, `&gt;`
/// (docs.slack.dev, "Formatting text for app surfaces", Escaping text); with `<` escaped no
/// `<!everyone>`, `<@U…>` or `<url|text>` can be formed. mrkdwn has no escape for `*`, `_`,
/// `~` and `` ` ``: a zero-width space before each keeps it from opening or closing a style,
/// and one after `@` keeps Slack-compatible receivers (Mattermost) from reading `@channel`.
pub fn slack_mrkdwn(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev = None;
    for (i, c) in text.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' | '_' | '~' | '`' => {
                out.push(ZWSP);
                out.push(c);
            }
            '@' => push_at(&mut out, prev, &text[i + 1..]),
            c => out.push(c),
        }
        prev = Some(c);
    }
    out
}

/// Slack `plain_text` objects (the header): no formatting is parsed, but Slack still decodes
/// its three control characters in every text object, so they are escaped as in mrkdwn.
pub fn slack_plain(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Discord markdown (content, embed title, description, field names and values). Discord
/// treats a backslash before punctuation as "this character is text", so every character its
/// markdown gives a meaning to is escaped: `\ * _ ~ ` | < > [ ] ( )` anywhere (styles,
/// spoilers, code, `<@id>`/`<#id>`/`<t:…>` tags, masked links), and at the start of a line
/// `#`, `-`, `+` and the `.` after a number (headings, subtext, lists). A zero-width space
/// after `@` keeps `@everyone` from reading as a mention even without `allowed_mentions`.
pub fn discord(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut line_start = true;
    let mut digits_at_line_start = false;
    let mut prev = None;
    for (i, c) in text.char_indices() {
        match c {
            '\\' | '*' | '_' | '~' | '`' | '|' | '<' | '>' | '[' | ']' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' if line_start => {
                out.push('\\');
                out.push(c);
            }
            '.' if digits_at_line_start => {
                out.push('\\');
                out.push(c);
            }
            '@' => push_at(&mut out, prev, &text[i + 1..]),
            c => out.push(c),
        }
        prev = Some(c);
        digits_at_line_start = (line_start || digits_at_line_start) && c.is_ascii_digit();
        line_start = c == '\n' || (line_start && c == ' ');
    }
    out
}

/// Adaptive Card `TextRun` text. A `RichTextBlock`'s runs do not parse markdown ("RichTextBlock
/// does not support Markdown", learn.microsoft.com, Adaptive Cards "Text features"), so
/// customer text only goes there, never into a `TextBlock` or a `FactSet`, which do. The card
/// host still expands `{{DATE(…)}}`/`{{TIME(…)}}` functions in text; a zero-width space
/// between the braces keeps a comment from being read as one.
pub fn teams(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '{' && chars.peek() == Some(&'{') {
            out.push(ZWSP);
        }
    }
    out
}

/// Telegram's HTML parse mode: `<`, `>` and `&` that are not markup "must be replaced with the
/// corresponding HTML entities" (core.telegram.org/bots/api, HTML style), so no tag, link or
/// entity can be formed. A zero-width space after `@` keeps `@username` from mentioning (and
/// notifying) a member of the chat.
pub fn telegram(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev = None;
    for (i, c) in text.char_indices() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '@' => push_at(&mut out, prev, &text[i + 1..]),
            c => out.push(c),
        }
        prev = Some(c);
    }
    out
}

/// The length Telegram's limit counts: "1-4096 characters after entities parsing", so tags do
/// not count and an entity (`&lt;`) is one character. Only for HTML built here, where every
/// `<` opens a tag and every `&` an entity.
pub fn telegram_len(html: &str) -> usize {
    let mut n = 0;
    let mut chars = html.chars();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                chars.by_ref().find(|c| *c == '>');
            }
            '&' => {
                chars.by_ref().find(|c| *c == ';');
                n += 1;
            }
            c => n += c.len_utf16(),
        }
    }
    n
}

/// Email HTML: the page escape (`crate::html::escape`).
pub fn email_html(text: &str) -> String {
    crate::html::escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_drops_controls_and_bidi_overrides_and_keeps_line_breaks() {
        assert_eq!(
            clean(" a\u{202E}b\u{2066}c\u{200F}d\u{0}e\u{1b}[31m\tf\r\ng\rh\u{2028}i ", false),
            "abcde[31m f\ng\nh\ni"
        );
        assert_eq!(clean("line one\nline two", true), "line one line two");
        assert_eq!(clean("\u{202E}\n ", false), "");
    }

    #[test]
    fn fitting_cuts_on_the_escaped_measure_and_marks_the_cut() {
        let same = |s: &str| s.to_owned();
        assert_eq!(fit("short", 10, same, utf16_len), "short");
        assert_eq!(fit("exactly10!", 10, same, utf16_len), "exactly10!");
        assert_eq!(fit("abcdefghijk", 10, same, utf16_len), "abcdefghi…");
        assert_eq!(fit("abcd efghijk", 6, same, utf16_len), "abcd…", "no space before the ellipsis");
        assert_eq!(fit("one two three", 12, same, utf16_len), "one two…", "a whole word when one ends near");
        assert_eq!(fit(&format!("a {}", "b".repeat(40)), 30, same, utf16_len).chars().count(), 30, "but not far back");
        // `*` doubles when escaped for Discord: the cut counts what is sent.
        assert_eq!(fit("**********", 9, discord, utf16_len), "\\*\\*\\*\\*…");
        assert_eq!(fit("&&&&", 12, telegram, telegram_len), "&amp;&amp;&amp;&amp;", "entities count once");
        // An emoji outside the BMP is two UTF-16 units and is never split; nor is a letter from
        // its combining accent.
        assert_eq!(fit("ab😀cd", 4, same, utf16_len), "ab…");
        assert_eq!(fit("abe\u{301}cd", 4, same, utf16_len), "ab…");
        assert_eq!(fit("abc", 0, same, utf16_len), "");
    }

    #[test]
    fn each_escape_keeps_text_text() {
        assert_eq!(slack_mrkdwn("<!here> *b* a&b @x"), "&lt;!here&gt; \u{200B}*b\u{200B}* a&amp;b @\u{200B}x");
        assert_eq!(slack_plain("<a&b>"), "&lt;a&amp;b&gt;");
        assert_eq!(discord("[x](https://e.x) <@1> *b* \\"), "\\[x\\]\\(https://e.x\\) \\<@\u{200B}1\\> \\*b\\* \\\\");
        assert_eq!(discord("# h\n- l\n  12. n\na-b 1.5"), "\\# h\n\\- l\n  12\\. n\na-b 1.5");
        assert_eq!(teams("{{DATE(2026-01-01T00:00:00Z)}}"), "{\u{200B}{DATE(2026-01-01T00:00:00Z)}}");
        assert_eq!(teams("{{{"), "{\u{200B}{\u{200B}{");
        assert_eq!(telegram("<b>&\"@x"), "&lt;b&gt;&amp;&quot;@\u{200B}x");
        // An address keeps its `@` (the owner copies it); a mention anywhere does not.
        assert_eq!(telegram("ann@example.com (@ann)"), "ann@example.com (@\u{200B}ann)");
        assert_eq!(
            discord("x@everyone y@Here! ann@here.example"),
            "x@\u{200B}everyone y@\u{200B}Here! ann@here.example"
        );
        assert_eq!(telegram_len("<b>a&lt;</b>😀"), 4);
        assert_eq!(email_html("<script>"), "&lt;script&gt;");
    }
}
