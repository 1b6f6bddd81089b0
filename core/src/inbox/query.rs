//! What an inbox view asks for: a tab, its filters and a page, read from the URL's query and
//! written back to it, so every view (and every page of it) is a link an owner can bookmark.
//!
//! The parameters: `tab` (`failures`, the default, or `praise`), `status` (`unfixed`, the
//! default, `open`, `acknowledged`, `fixed`, `any`), `sla` (`overdue`, `acknowledge_overdue`,
//! `fix_overdue`, `on_time`), `dimension` (a SERVQUAL name), `touchpoint` (a page, exactly),
//! `agent` and `assignee` (names, in any case; `assignee=-` is "nobody"), `lang` (a primary
//! language subtag such as `et`), `period` (received in the last 1, 7, 30 or 90 days) and `page`
//! (from 1). A value the page cannot use is left out of the view and named, never a failure: a
//! bookmark from an older version still opens.

use crate::entry::Dimension;
use crate::limits::{MAX_ASSIGNEE_CHARS, MAX_SHORT_TEXT_CHARS};
use serde::{Deserialize, Serialize};

/// The inbox's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tab {
    #[default]
    Failures,
    Praise,
}

/// Which failures by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    /// Open or acknowledged: the work still to do.
    #[default]
    Unfixed,
    Open,
    Acknowledged,
    Fixed,
    Any,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 5] =
        [StatusFilter::Unfixed, StatusFilter::Open, StatusFilter::Acknowledged, StatusFilter::Fixed, StatusFilter::Any];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::Unfixed => "unfixed",
            StatusFilter::Open => "open",
            StatusFilter::Acknowledged => "acknowledged",
            StatusFilter::Fixed => "fixed",
            StatusFilter::Any => "any",
        }
    }

    /// The statuses it keeps, as the desk's index writes them (`o`, `a`, `x`).
    pub fn codes(self) -> &'static [&'static str] {
        match self {
            StatusFilter::Unfixed => &["o", "a"],
            StatusFilter::Open => &["o"],
            StatusFilter::Acknowledged => &["a"],
            StatusFilter::Fixed => &["x"],
            StatusFilter::Any => &["o", "a", "x"],
        }
    }
}

/// Which failures by where they stand against the SLA (unfixed ones only: a fixed failure is
/// neither on time nor overdue any more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaFilter {
    #[default]
    Any,
    /// Either deadline passed.
    Overdue,
    AcknowledgeOverdue,
    FixOverdue,
    OnTime,
}

impl SlaFilter {
    pub const ALL: [SlaFilter; 5] =
        [SlaFilter::Any, SlaFilter::Overdue, SlaFilter::AcknowledgeOverdue, SlaFilter::FixOverdue, SlaFilter::OnTime];

    pub fn as_str(self) -> &'static str {
        match self {
            SlaFilter::Any => "any",
            SlaFilter::Overdue => "overdue",
            SlaFilter::AcknowledgeOverdue => "acknowledge_overdue",
            SlaFilter::FixOverdue => "fix_overdue",
            SlaFilter::OnTime => "on_time",
        }
    }
}

/// Who handles the entries shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssigneeFilter {
    Nobody,
    Named(String),
}

/// The periods an inbox can be limited to, in days.
pub const PERIODS: [u32; 4] = [1, 7, 30, 90];

/// One inbox view.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InboxQuery {
    pub tab: Tab,
    pub status: StatusFilter,
    pub sla: SlaFilter,
    pub dimension: Option<Dimension>,
    pub touchpoint: Option<String>,
    pub agent: Option<String>,
    pub assignee: Option<AssigneeFilter>,
    pub lang: Option<String>,
    /// Received in the last this many days.
    pub period: Option<u32>,
    /// From 1.
    pub page: u32,
}

impl InboxQuery {
    /// Reads a view from the query's pairs. Answers the view and the names of the parameters
    /// whose values it could not use (left out of the view); unknown parameters are ignored, as
    /// links from elsewhere may carry them.
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> (InboxQuery, Vec<String>) {
        let mut query = InboxQuery { page: 1, ..InboxQuery::default() };
        let mut ignored = Vec::new();
        let text = |value: &str, max: usize| -> Option<Option<String>> {
            let value = value.trim();
            if value.is_empty() {
                Some(None)
            } else if value.chars().count() <= max && !value.chars().any(char::is_control) {
                Some(Some(value.to_owned()))
            } else {
                None
            }
        };
        // Sets a field of the view and says it could (every arm answers whether its value was usable).
        fn set<T>(field: &mut T, value: T) -> bool {
            *field = value;
            true
        }
        for (name, value) in pairs {
            let ok = match name {
                "tab" => match value {
                    "failures" | "" => set(&mut query.tab, Tab::Failures),
                    "praise" => set(&mut query.tab, Tab::Praise),
                    _ => false,
                },
                "status" => match StatusFilter::ALL.into_iter().find(|s| s.as_str() == value) {
                    Some(status) => set(&mut query.status, status),
                    None => value.is_empty(),
                },
                "sla" => match SlaFilter::ALL.into_iter().find(|s| s.as_str() == value) {
                    Some(sla) => set(&mut query.sla, sla),
                    None => value.is_empty(),
                },
                "dimension" if value.is_empty() => true,
                "dimension" => Dimension::parse(value).is_some_and(|d| set(&mut query.dimension, Some(d))),
                "touchpoint" => text(value, MAX_SHORT_TEXT_CHARS).is_some_and(|t| set(&mut query.touchpoint, t)),
                "agent" => text(value, MAX_SHORT_TEXT_CHARS).is_some_and(|t| set(&mut query.agent, t)),
                "assignee" if value.trim() == "-" => set(&mut query.assignee, Some(AssigneeFilter::Nobody)),
                "assignee" => text(value, MAX_ASSIGNEE_CHARS).is_some_and(|t| {
                    set(&mut query.assignee, t.map(|name| AssigneeFilter::Named(super::clean_name(&name))))
                }),
                "lang" if value.is_empty() => set(&mut query.lang, None),
                "lang" if value.len() <= 8 && value.bytes().all(|b| b.is_ascii_alphabetic()) => {
                    set(&mut query.lang, Some(value.to_ascii_lowercase()))
                }
                "lang" => false,
                "period" if value.is_empty() => set(&mut query.period, None),
                "period" => {
                    value.parse().ok().filter(|d| PERIODS.contains(d)).is_some_and(|d| set(&mut query.period, Some(d)))
                }
                "page" => value.parse::<u32>().ok().filter(|p| *p >= 1).is_some_and(|p| set(&mut query.page, p)),
                _ => true,
            };
            if !ok && !ignored.iter().any(|n| n == name) {
                ignored.push(name.to_owned());
            }
        }
        (query, ignored)
    }

    /// The view's parameters that differ from the default, in a fixed order (`page` last).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if self.tab == Tab::Praise {
            pairs.push(("tab", "praise".to_owned()));
        }
        if self.status != StatusFilter::Unfixed {
            pairs.push(("status", self.status.as_str().to_owned()));
        }
        if self.sla != SlaFilter::Any {
            pairs.push(("sla", self.sla.as_str().to_owned()));
        }
        if let Some(dimension) = self.dimension {
            pairs.push(("dimension", dimension.as_str().to_owned()));
        }
        for (name, value) in [("touchpoint", &self.touchpoint), ("agent", &self.agent)] {
            if let Some(value) = value {
                pairs.push((name, value.clone()));
            }
        }
        match &self.assignee {
            Some(AssigneeFilter::Nobody) => pairs.push(("assignee", "-".to_owned())),
            Some(AssigneeFilter::Named(name)) => pairs.push(("assignee", name.clone())),
            None => {}
        }
        if let Some(lang) = &self.lang {
            pairs.push(("lang", lang.clone()));
        }
        if let Some(period) = self.period {
            pairs.push(("period", period.to_string()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
    }

    /// The view as a query string (`?tab=praise&page=2`, or empty for the default view).
    pub fn query_string(&self) -> String {
        let pairs = self.pairs();
        if pairs.is_empty() {
            return String::new();
        }
        // The serializer's target starts after the `?`, so the first pair gets no `&`.
        let mut out = url::form_urlencoded::Serializer::for_suffix(String::from("?"), 1);
        for (name, value) in pairs {
            out.append_pair(name, &value);
        }
        out.finish()
    }

    /// The same view on another page.
    pub fn on_page(&self, page: u32) -> InboxQuery {
        InboxQuery { page: page.max(1), ..self.clone() }
    }

    /// The same filters on another tab, from its first page.
    pub fn on_tab(&self, tab: Tab) -> InboxQuery {
        InboxQuery { tab, page: 1, ..self.clone() }
    }

    /// Whether any filter narrows the view (the tab and page aside).
    pub fn is_filtered(&self) -> bool {
        let plain =
            InboxQuery { tab: self.tab, page: self.page, status: StatusFilter::Unfixed, ..InboxQuery::default() };
        *self != plain
    }

    /// Lines to skip before this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(crate::limits::INBOX_PAGE_SIZE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> (InboxQuery, Vec<String>) {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        InboxQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    #[test]
    fn a_view_round_trips_through_its_url() {
        let (query, ignored) = parse(
            "tab=failures&status=open&sla=overdue&dimension=empathy&touchpoint=%2Fcheckout+2&agent=Mari&assignee=-&lang=ET&period=7&page=3&utm_source=x",
        );
        assert!(ignored.is_empty(), "{ignored:?}");
        assert_eq!(query.status, StatusFilter::Open);
        assert_eq!(query.sla, SlaFilter::Overdue);
        assert_eq!(query.touchpoint.as_deref(), Some("/checkout 2"));
        assert_eq!(query.assignee, Some(AssigneeFilter::Nobody));
        assert_eq!(query.lang.as_deref(), Some("et"));
        assert_eq!((query.period, query.page, query.offset()), (Some(7), 3, 50));
        let written = query.query_string();
        assert!(written.starts_with("?status=open&sla=overdue&"), "{written}");
        assert_eq!(parse(&written[1..]).0, query, "{written}");
        assert!(query.is_filtered());
        assert_eq!(query.on_tab(Tab::Praise).page, 1);
    }

    #[test]
    fn values_it_cannot_use_are_named_and_left_out() {
        let (query, ignored) = parse("status=closed&period=5&page=0&lang=e1&dimension=nope&sla=late");
        assert_eq!(query, InboxQuery { page: 1, ..InboxQuery::default() });
        assert_eq!(ignored, ["status", "period", "page", "lang", "dimension", "sla"]);
        assert_eq!(query.query_string(), "");
        assert!(!query.is_filtered());
        let (named, _) = parse("assignee=+Kadri++Tamm+");
        assert_eq!(named.assignee, Some(AssigneeFilter::Named("Kadri Tamm".into())));
    }
}
