//! Every word of the owner's summary page, per language, and the choice of language from the
//! browser's `Accept-Language`.
//!
//! A language is one [`PageStrings`] value: the compiler refuses a table with a missing string,
//! so a language is either complete or absent. English is complete. Estonian, Finnish, Polish,
//! Russian and Arabic (right-to-left) are the widget's languages and belong here too; until their
//! tables are written, [`negotiate`] falls back to English for them (and the page says `lang="en"`,
//! so the markup never claims a language it is not in).

/// The words of the page in one language.
#[derive(Debug)]
pub struct PageStrings {
    /// BCP 47 tag for `<html lang>`.
    pub lang: &'static str,
    /// `ltr` or `rtl`, for `<html dir>`.
    pub dir: &'static str,
    pub title: &'static str,
    pub sign_in_title: &'static str,
    pub sign_in_intro: &'static str,
    pub owner_key: &'static str,
    pub sign_in: &'static str,
    pub wrong_key: &'static str,
    pub sign_out: &'static str,
    pub period: &'static str,
    pub last_days: &'static str,
    pub compared: &'static str,
    pub export: &'static str,
    pub export_csv: &'static str,
    pub export_json: &'static str,
    pub responses: &'static str,
    pub csat: &'static str,
    pub nps: &'static str,
    pub promoters: &'static str,
    pub passives: &'static str,
    pub detractors: &'static str,
    pub failures: &'static str,
    pub open_failures: &'static str,
    pub median_ack: &'static str,
    pub median_fix: &'static str,
    pub sla_compliance: &'static str,
    pub recovery: &'static str,
    pub clicks: &'static str,
    pub previous: &'static str,
    pub no_data: &'static str,
    pub trend_title: &'static str,
    pub trend_desc: &'static str,
    pub day: &'static str,
    pub mean_rating: &'static str,
    pub dimensions_title: &'static str,
    pub touchpoints_title: &'static str,
    pub fix_time_title: &'static str,
    pub fix_buckets: [&'static str; 5],
    pub count: &'static str,
    pub touchpoint: &'static str,
    pub show_data: &'static str,
    pub languages: &'static str,
    pub language: &'static str,
    pub target: &'static str,
    pub dimension_names: [&'static str; 5],
    pub to_fix_title: &'static str,
    pub nothing_to_fix: &'static str,
    pub more_to_fix: &'static str,
    pub status_open: &'static str,
    pub status_acknowledged: &'static str,
    pub status_fixed: &'static str,
    pub rating: &'static str,
    pub what_went_wrong: &'static str,
    pub comment: &'static str,
    pub contact: &'static str,
    pub no_contact: &'static str,
    pub received: &'static str,
    pub sla_on_time: &'static str,
    pub sla_ack_overdue: &'static str,
    pub sla_fix_overdue: &'static str,
    pub ack_due: &'static str,
    pub fix_due: &'static str,
    pub callback_state: &'static str,
    pub no_callbacks_sent: &'static str,
    pub acknowledge: &'static str,
    pub fix: &'static str,
    pub fix_note: &'static str,
    pub reply: &'static str,
    pub reply_label: &'static str,
    pub send_reply: &'static str,
    pub your_reply: &'static str,
    pub delete: &'static str,
    pub delete_confirm: &'static str,
    pub praise_title: &'static str,
    pub no_praise: &'static str,
    pub callbacks_title: &'static str,
    pub no_endpoints: &'static str,
    pub endpoint: &'static str,
    pub endpoint_status: &'static str,
    pub last_delivery: &'static str,
    pub failed_deliveries: &'static str,
    pub replay: &'static str,
    pub none: &'static str,
    pub done_acknowledged: &'static str,
    pub done_fixed: &'static str,
    pub done_replied: &'static str,
    pub done_deleted: &'static str,
    pub done_replayed: &'static str,
    pub error_title: &'static str,
    pub back: &'static str,
    pub minutes: &'static str,
    pub hours: &'static str,
    pub days: &'static str,
}

/// English: complete, and the default.
pub const EN: PageStrings = PageStrings {
    lang: "en",
    dir: "ltr",
    title: "Feedback summary",
    sign_in_title: "Sign in to your feedback summary",
    sign_in_intro: "Paste the owner key you were given when the site was created. You stay signed in on this browser for 12 hours.",
    owner_key: "Owner key",
    sign_in: "Sign in",
    wrong_key: "That key does not open this site. Check that you copied the whole key.",
    sign_out: "Sign out",
    period: "Period",
    last_days: "Last {n} days",
    compared: "Compared with the {n} days before.",
    export: "Export this period",
    export_csv: "CSV",
    export_json: "JSON",
    responses: "Responses",
    csat: "Satisfied (CSAT)",
    nps: "Net Promoter Score",
    promoters: "promoters",
    passives: "passives",
    detractors: "detractors",
    failures: "Failures",
    open_failures: "Failures not fixed yet",
    median_ack: "Median time to acknowledge",
    median_fix: "Median time to fix",
    sla_compliance: "Within SLA",
    recovery: "Recovered after a fix",
    clicks: "Tell-others clicks",
    previous: "before",
    no_data: "–",
    trend_title: "Responses and mean rating per day",
    trend_desc: "Columns: responses per day. Line: mean rating (right axis).",
    day: "Day",
    mean_rating: "Mean rating",
    dimensions_title: "Failures by what went wrong",
    touchpoints_title: "Failures by touchpoint, worst first",
    fix_time_title: "Time to fix",
    fix_buckets: ["up to 1 hour", "1–4 hours", "4–24 hours", "1–3 days", "over 3 days"],
    count: "Count",
    touchpoint: "Touchpoint",
    show_data: "Show the numbers",
    languages: "Languages of the answers",
    language: "Language",
    target: "Where",
    dimension_names: [
        "It did not work as promised (reliability)",
        "It was slow (responsiveness)",
        "We did not seem competent (assurance)",
        "We did not care (empathy)",
        "Place, product or look (tangibles)",
    ],
    to_fix_title: "Failures to fix",
    nothing_to_fix: "Nothing to fix: every failure has been fixed.",
    more_to_fix: "Only the {n} most urgent are shown; fix these to see the rest.",
    status_open: "Open",
    status_acknowledged: "Acknowledged",
    status_fixed: "Fixed",
    rating: "Rating",
    what_went_wrong: "What went wrong",
    comment: "Comment",
    contact: "Contact (customer consented)",
    no_contact: "No contact left",
    received: "Received",
    sla_on_time: "Within SLA",
    sla_ack_overdue: "Acknowledgement overdue",
    sla_fix_overdue: "Fix overdue",
    ack_due: "Acknowledge by",
    fix_due: "Fix by",
    callback_state: "Callbacks",
    no_callbacks_sent: "none sent",
    acknowledge: "Acknowledge",
    fix: "Mark fixed",
    fix_note: "What was done (optional, kept with the entry)",
    reply: "Reply",
    reply_label: "Reply to the customer (they see it on their next visit)",
    send_reply: "Send reply",
    your_reply: "Your reply",
    delete: "Delete (erase)",
    delete_confirm: "Erase this entry and its contact details for good",
    praise_title: "Praise",
    no_praise: "No praise in this period yet.",
    callbacks_title: "Callback health",
    no_endpoints: "No callback endpoints yet. Register one with POST /v1/sites/{site}/callbacks (see the README).",
    endpoint: "Endpoint",
    endpoint_status: "Status",
    last_delivery: "Last delivery",
    failed_deliveries: "Failed deliveries",
    replay: "Send again",
    none: "none",
    done_acknowledged: "Acknowledged.",
    done_fixed: "Marked fixed. The customer will be asked how it is now.",
    done_replied: "Reply saved. The customer sees it on their next visit.",
    done_deleted: "Entry erased.",
    done_replayed: "Delivery sent again; its result is below.",
    error_title: "That did not work",
    back: "Back to the summary",
    minutes: "min",
    hours: "h",
    days: "d",
};

/// Languages with a complete table, in preference order for ties.
const AVAILABLE: [&PageStrings; 1] = [&EN];

/// The table for the best language in an `Accept-Language` header (q-values honoured), or
/// English.
pub fn negotiate(accept_language: &str) -> &'static PageStrings {
    let mut best: Option<(u32, &'static PageStrings)> = None;
    for part in accept_language.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .map_or(1000, |q| (q.clamp(0.0, 1.0) * 1000.0) as u32);
        let primary = tag.split('-').next().unwrap_or("");
        let Some(table) = AVAILABLE.iter().find(|t| t.lang == primary) else { continue };
        if quality > 0 && best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, table));
        }
    }
    best.map_or(&EN, |(_, table)| table)
}

/// Replaces `{n}` in a string.
pub fn with_n(text: &str, n: impl std::fmt::Display) -> String {
    text.replace("{n}", &n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_the_default_and_is_chosen_by_quality() {
        assert_eq!(negotiate("").lang, "en");
        assert_eq!(negotiate("de-DE,de;q=0.9").lang, "en");
        assert_eq!(negotiate("en-GB;q=0.5, xx").lang, "en");
        assert_eq!(with_n(EN.last_days, 7), "Last 7 days");
    }

    #[test]
    fn every_table_has_a_direction_and_no_empty_string() {
        for table in AVAILABLE {
            assert!(table.dir == "ltr" || table.dir == "rtl");
            let debug = format!("{table:?}");
            assert!(!debug.contains(": \"\""), "{} has an empty string", table.lang);
        }
    }
}
