//! Every size limit and default number in one place, so the widget, the Worker, the docs and
//! the tests agree.

/// Largest request body the public API accepts (bytes). Larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Longest free-text comment, in characters (not bytes).
pub const MAX_COMMENT_CHARS: usize = 2_000;
/// Longest short text field (names, touchpoints, labels), in characters.
pub const MAX_SHORT_TEXT_CHARS: usize = 200;
/// Longest site name, in characters.
pub const MAX_SITE_NAME_CHARS: usize = 100;
/// Most allowed origins per site.
pub const MAX_ALLOWED_ORIGINS: usize = 20;
/// Most review links per site.
pub const MAX_REVIEW_LINKS: usize = 6;
/// Longest URL we store (review links, origins).
pub const MAX_URL_CHARS: usize = 500;
/// Idempotency keys: length bounds. The characters allowed are `[A-Za-z0-9_-]`.
pub const IDEMPOTENCY_KEY_MIN: usize = 8;
pub const IDEMPOTENCY_KEY_MAX: usize = 64;
/// How long an idempotency key is remembered (seconds): longer than any client keeps a queued entry.
pub const IDEMPOTENCY_TTL_SECS: u64 = 30 * 24 * 3600;
/// Default and bounds of a site's retention, in days.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;
pub const MAX_RETENTION_DAYS: u32 = 3_650;
/// Default SLA targets, in minutes.
pub const DEFAULT_SLA_ACKNOWLEDGE_MINUTES: u32 = 60;
pub const DEFAULT_SLA_FIX_MINUTES: u32 = 24 * 60;
/// Largest SLA target: 90 days.
pub const MAX_SLA_MINUTES: u32 = 90 * 24 * 60;
/// Entries per page of the owner's entries list (KV lists return at most 1,000 keys a page;
/// bulk reads take at most 100 keys).
pub const ENTRIES_PAGE_DEFAULT: usize = 50;
pub const ENTRIES_PAGE_MAX: usize = 100;
/// Minimum contrast ratio for text (WCAG 2.2 AA, normal text).
pub const MIN_CONTRAST: f64 = 4.5;
/// Length of an owner key's random part, in bytes.
pub const OWNER_KEY_BYTES: usize = 32;
/// Length of a receipt token's random part, in bytes.
pub const RECEIPT_TOKEN_BYTES: usize = 16;
/// Longest teammate name an entry can be assigned to, in characters.
pub const MAX_ASSIGNEE_CHARS: usize = 100;
/// Most internal notes one entry keeps.
pub const MAX_NOTES_PER_ENTRY: usize = 100;
/// Most changes of assignee one entry records.
pub const MAX_ASSIGNMENTS_PER_ENTRY: usize = 100;
/// Teammates' names a site remembers for the assign field, most recently used first.
pub const MAX_TEAMMATES: usize = 50;
/// Lines on one page of the owner's inbox.
pub const INBOX_PAGE_SIZE: u32 = 25;
/// Most entries one bulk action of the inbox changes (a page's worth and then some).
pub const MAX_BULK_ENTRIES: usize = 50;
