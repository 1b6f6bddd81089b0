//! Retries: how a receiver's answer is classified (the same rules for every format, plus what
//! each chat platform says in its own way), `Retry-After`, and when the next attempt is due on
//! the schedule.

use super::Format;

/// A receiver has this long to answer before the attempt counts as failed.
pub const DEFAULT_TIMEOUT_MS: u64 = 15_000;
/// An attempt in flight holds its delivery this long past its timeout: if the site's desk stops
/// mid-send (a restart, an eviction), its alarm takes the delivery up again after that, under
/// the same `webhook-id`.
pub const SEND_LEASE_MARGIN_MS: u64 = 30_000;
/// Attempts to one endpoint in flight at once. One: a receiver that never answers holds up only
/// its own deliveries, one timeout at a time, never another endpoint's (and never more than one
/// of a site's six simultaneous outgoing connections).
pub const MAX_IN_FLIGHT_PER_ENDPOINT: usize = 1;
/// Attempts one run of a site's desk starts: under the free plan's 50 subrequests an invocation.
/// The rest start as those finish, or in the next run.
pub const MAX_SENDS_PER_RUN: usize = 40;
/// The longest `Retry-After` we honour; beyond it the receiver would starve the retry schedule.
pub const MAX_RETRY_AFTER_SECS: u64 = 24 * 3_600;

/// Waits before each retry, in seconds: 1 m, 5 m, 30 m, 2 h, 5 h, then 10 h. Twelve retries
/// after the first attempt add up to 3 days 5.6 hours (before jitter, which only adds), so a
/// receiver may be down for three days and still get everything.
pub const RETRY_DELAYS_SECS: [u64; 12] =
    [60, 300, 1_800, 7_200, 18_000, 36_000, 36_000, 36_000, 36_000, 36_000, 36_000, 36_000];

/// How an attempt ended, as far as the retry logic cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx.
    Delivered,
    /// 410 Gone: the receiver asks us to stop; the endpoint is disabled.
    Gone,
    /// Anything else (3xx: redirects are not followed; 4xx; 5xx; timeout; network error).
    /// `retry_after_secs` comes from a 429 or 5xx `Retry-After`.
    Retry { retry_after_secs: Option<u64> },
}

/// Classifies a receiver's answer. `retry_after` is the raw header, honoured for 429 and 5xx;
/// `now_ms` is the real time of the answer (for the HTTP-date form).
pub fn outcome_of(status: u16, retry_after: Option<&str>, now_ms: u64) -> Outcome {
    match status {
        200..=299 => Outcome::Delivered,
        410 => Outcome::Gone,
        429 | 500..=599 => Outcome::Retry { retry_after_secs: retry_after.and_then(|v| parse_retry_after(v, now_ms)) },
        _ => Outcome::Retry { retry_after_secs: None },
    }
}

/// How much of an answer's body the Worker reads for [`outcome_for`] (the platforms' error
/// bodies are a few hundred bytes).
pub const MAX_ANSWER_BODY_BYTES: usize = 4_096;

/// Classifies an answer from an endpoint of `format`: [`outcome_of`], plus what each platform
/// says in its own way, so that retries, `Retry-After` and disabling work the same for all.
///
/// - A chat webhook that was deleted answers 404 (Slack `no_service`/`channel_not_found`,
///   Discord `Unknown Webhook`, a removed Teams workflow): the endpoint is gone, as with 410.
/// - Discord answers 401 to a webhook whose token was reset: gone too.
/// - Telegram answers 401 to a revoked bot token and 403 when the bot was blocked or removed
///   from the chat, and 400 `chat not found` for a chat that is gone: gone, all three.
/// - Discord's and Telegram's 429 carry the wait in the JSON body (`retry_after`, and
///   `parameters.retry_after`), in seconds; it counts when there is no `Retry-After` header.
///
/// `body` is the start of the answer's body (at most [`MAX_ANSWER_BODY_BYTES`]); anything that
/// is not the JSON expected is ignored.
pub fn outcome_for(format: Format, status: u16, retry_after: Option<&str>, body: &str, now_ms: u64) -> Outcome {
    let gone = match (format, status) {
        (Format::Slack | Format::Discord | Format::Teams | Format::Telegram, 404) => true,
        (Format::Discord, 401) | (Format::Telegram, 401 | 403) => true,
        (Format::Telegram, 400) => body.to_ascii_lowercase().contains("chat not found"),
        _ => false,
    };
    if gone {
        return Outcome::Gone;
    }
    match outcome_of(status, retry_after, now_ms) {
        Outcome::Retry { retry_after_secs: None } if status == 429 => {
            let json: Option<serde_json::Value> = serde_json::from_str(body).ok();
            let wait = json.as_ref().and_then(|json| match format {
                Format::Discord => json["retry_after"].as_f64(),
                Format::Telegram => json["parameters"]["retry_after"].as_f64(),
                _ => None,
            });
            let secs = wait.filter(|w| w.is_finite() && *w >= 0.0).map(|w| (w.ceil() as u64).min(MAX_RETRY_AFTER_SECS));
            Outcome::Retry { retry_after_secs: secs }
        }
        outcome => outcome,
    }
}

/// `Retry-After` as seconds from `now_ms`: delta-seconds, or an HTTP date (IMF-fixdate,
/// `Sun, 06 Nov 1994 08:49:37 GMT`, the form RFC 9110 says senders use); a date in the past
/// means no wait. Capped at [`MAX_RETRY_AFTER_SECS`]. Anything else is ignored, and the normal
/// schedule applies.
pub fn parse_retry_after(value: &str, now_ms: u64) -> Option<u64> {
    let value = value.trim();
    let secs = match value.parse::<u64>() {
        Ok(secs) => secs,
        Err(_) => http_date_secs(value)?.saturating_sub(now_ms / 1000),
    };
    Some(secs.min(MAX_RETRY_AFTER_SECS))
}

/// Seconds since the epoch of an IMF-fixdate.
fn http_date_secs(value: &str) -> Option<u64> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let mut parts = value.split(' ');
    let (weekday, day, month, year, time, zone) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !weekday.ends_with(',') || zone != "GMT" || day.len() != 2 || year.len() != 4 {
        return None;
    }
    let day: u64 = day.parse().ok()?;
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let year: u64 = year.parse().ok()?;
    let mut clock = time.split(':').map(|n| if n.len() == 2 { n.parse::<u64>().ok() } else { None });
    let (h, m, s) = (clock.next()??, clock.next()??, clock.next()??);
    if clock.next().is_some() || !(1..=31).contains(&day) || year < 1970 || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = u64::try_from(crate::time::days_from_civil(year as i64, month as u32, day as u32)).ok()?;
    Some(days * 86_400 + h * 3_600 + m * 60 + s)
}

/// When retry number `retries_done + 1` is due, or `None` when the schedule is exhausted.
/// `jitter` (uniform over `u16`) adds 0–10 % so that many deliveries failing together (a
/// receiver's outage) do not all come back in the same minute. A `Retry-After` longer than the
/// scheduled wait replaces it.
pub fn next_attempt_ms(now_ms: u64, retries_done: usize, jitter: u16, retry_after_secs: Option<u64>) -> Option<u64> {
    let base_ms = RETRY_DELAYS_SECS.get(retries_done)? * 1000;
    let jittered = base_ms + base_ms * u64::from(jitter) / u64::from(u16::MAX) / 10;
    let wait = jittered.max(retry_after_secs.unwrap_or(0) * 1000);
    Some(now_ms.saturating_add(wait))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_follow_the_schedule_for_more_than_three_days() {
        let mut at = 0;
        for retries in 0..RETRY_DELAYS_SECS.len() {
            at = next_attempt_ms(at, retries, 0, None).unwrap_or(u64::MAX);
        }
        assert!(at >= 3 * 86_400_000, "{at}");
        assert_eq!(next_attempt_ms(0, RETRY_DELAYS_SECS.len(), 0, None), None);
        assert_eq!(next_attempt_ms(1_000, 0, 0, None), Some(61_000));
        assert_eq!(next_attempt_ms(0, 0, u16::MAX, None), Some(66_000));
        assert_eq!(next_attempt_ms(0, 1, 0, None), Some(300_000));
        // Retry-After wins when it is longer, and is capped at a day.
        assert_eq!(next_attempt_ms(0, 0, 0, Some(600)), Some(600_000));
        assert_eq!(next_attempt_ms(0, 0, 0, Some(10)), Some(60_000));
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_an_http_date_and_capped_at_a_day() {
        assert_eq!(parse_retry_after("120", 0), Some(120));
        assert_eq!(parse_retry_after("999999", 0), Some(MAX_RETRY_AFTER_SECS));
        // 2015-10-21T07:28:00Z is 1445412480; an answer 100 s before it waits 100 s.
        let date = "Wed, 21 Oct 2015 07:28:00 GMT";
        assert_eq!(parse_retry_after(date, (1_445_412_480 - 100) * 1000), Some(100));
        assert_eq!(parse_retry_after(date, (1_445_412_480 + 5) * 1000), Some(0), "a past date: no wait");
        assert_eq!(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", 0), Some(0));
        assert_eq!(http_date_secs("Tue, 29 Feb 2028 23:59:59 GMT"), Some(1_835_481_599));
        for bad in [
            "Wed, 21 Oct 2015 07:28:00 CET",
            "21 Oct 2015 07:28:00 GMT",
            "Wed, 21 Foo 2015 07:28:00 GMT",
            "Wed, 21 Oct 2015 7:28:00 GMT",
            "Wednesday, 21-Oct-15 07:28:00 GMT",
            "soon",
            "",
        ] {
            assert_eq!(parse_retry_after(bad, 0), None, "{bad:?}");
        }
    }

    #[test]
    fn answers_are_classified() {
        assert_eq!(outcome_of(200, None, 0), Outcome::Delivered);
        assert_eq!(outcome_of(204, None, 0), Outcome::Delivered);
        assert_eq!(outcome_of(410, None, 0), Outcome::Gone);
        assert_eq!(outcome_of(301, Some("5"), 0), Outcome::Retry { retry_after_secs: None });
        assert_eq!(outcome_of(429, Some("120"), 0), Outcome::Retry { retry_after_secs: Some(120) });
        assert_eq!(outcome_of(503, Some("7"), 0), Outcome::Retry { retry_after_secs: Some(7) });
        assert_eq!(outcome_of(400, Some("7"), 0), Outcome::Retry { retry_after_secs: None });
    }

    #[test]
    fn chat_platforms_say_gone_and_wait_in_their_own_words() {
        let retry = |secs| Outcome::Retry { retry_after_secs: secs };
        // A deleted chat webhook is gone; a 404 from a Standard Webhooks receiver is not (it may
        // be a deployment in progress).
        for format in [Format::Slack, Format::Discord, Format::Teams, Format::Telegram] {
            assert_eq!(outcome_for(format, 404, None, "", 0), Outcome::Gone, "{format:?}");
            assert_eq!(outcome_for(format, 410, None, "", 0), Outcome::Gone, "{format:?}");
            assert_eq!(outcome_for(format, 200, None, "", 0), Outcome::Delivered, "{format:?}");
            assert_eq!(outcome_for(format, 500, Some("30"), "", 0), retry(Some(30)), "{format:?}");
        }
        assert_eq!(outcome_for(Format::Standard, 404, None, "", 0), retry(None));
        assert_eq!(outcome_for(Format::Slack, 401, None, "", 0), retry(None));
        assert_eq!(
            outcome_for(Format::Discord, 401, None, r#"{"message": "Invalid Webhook Token", "code": 50027}"#, 0),
            Outcome::Gone
        );
        let blocked = r#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#;
        assert_eq!(outcome_for(Format::Telegram, 403, None, blocked, 0), Outcome::Gone);
        assert_eq!(outcome_for(Format::Telegram, 401, None, "", 0), Outcome::Gone);
        let no_chat = r#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#;
        assert_eq!(outcome_for(Format::Telegram, 400, None, no_chat, 0), Outcome::Gone);
        let bad_html = r#"{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities"}"#;
        assert_eq!(outcome_for(Format::Telegram, 400, None, bad_html, 0), retry(None));
        // 429: the header wins; else Discord's and Telegram's body say how long, rounded up.
        let discord = r#"{"message": "You are being rate limited.", "retry_after": 64.57, "global": false}"#;
        assert_eq!(outcome_for(Format::Discord, 429, None, discord, 0), retry(Some(65)));
        assert_eq!(outcome_for(Format::Discord, 429, Some("2"), discord, 0), retry(Some(2)));
        let telegram = r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#;
        assert_eq!(outcome_for(Format::Telegram, 429, None, telegram, 0), retry(Some(7)));
        assert_eq!(outcome_for(Format::Slack, 429, None, discord, 0), retry(None), "only where documented");
        assert_eq!(
            outcome_for(Format::Discord, 429, None, r#"{"retry_after": 1e12}"#, 0),
            retry(Some(MAX_RETRY_AFTER_SECS))
        );
        assert_eq!(outcome_for(Format::Discord, 429, None, "<html>busy</html>", 0), retry(None));
    }
}
