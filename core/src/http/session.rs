//! Owner sessions of the summary page: the cookie, the stored session record, the CSRF token,
//! and the form bodies the page posts. Pure: the Worker supplies the clock and the randomness.
//!
//! The cookie holds a random token; KV holds the session under the SHA-256 of that token
//! (see [`crate::storage::keys::session`]), so a leaked KV dump cannot be replayed as a cookie. The
//! session remembers the owner key hash it was opened with: rotating the owner key ends every
//! session opened with the old key.

use super::auth::{constant_time_eq, hash_secret};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

/// Name of the session cookie. Its `Path` is the site's page, so two sites' sessions in one
/// browser never overwrite each other.
pub const COOKIE_NAME: &str = "tellus_session";
/// How long a session lasts from login.
pub const SESSION_TTL_MS: u64 = 12 * 3_600_000;
/// Random bytes of a session token and of a CSRF token.
pub const TOKEN_BYTES: usize = 32;
/// Largest form body the page accepts (a reply is at most 2,000 characters).
pub const MAX_FORM_BYTES: usize = 16 * 1024;
/// Prefix that makes a session token recognisable in logs and secret scanners.
const TOKEN_PREFIX: &str = "tls_";

/// One owner session, as stored in KV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub site: String,
    pub created_ms: u64,
    pub expires_ms: u64,
    /// The token every form must carry back (a hidden field), compared in constant time.
    pub csrf: String,
    /// The owner key hash at login: a rotated key ends the session.
    pub owner_key_hash: String,
}

impl Session {
    pub fn new(site: &str, owner_key_hash: &str, csrf_random: &[u8; TOKEN_BYTES], now_ms: u64) -> Session {
        Session {
            site: site.to_owned(),
            created_ms: now_ms,
            expires_ms: now_ms.saturating_add(SESSION_TTL_MS),
            csrf: URL_SAFE_NO_PAD.encode(csrf_random),
            owner_key_hash: owner_key_hash.to_owned(),
        }
    }

    /// Whether the session opens this site now: same site, not expired (by the request's clock,
    /// which KV's own expiry does not know), and the owner key unchanged since login.
    pub fn is_valid_for(&self, site: &str, owner_key_hash: &str, now_ms: u64) -> bool {
        self.site == site
            && now_ms < self.expires_ms
            && constant_time_eq(self.owner_key_hash.as_bytes(), owner_key_hash.as_bytes())
    }

    /// Whether a form's CSRF field is this session's token.
    pub fn csrf_matches(&self, presented: &str) -> bool {
        !presented.is_empty() && constant_time_eq(self.csrf.as_bytes(), presented.as_bytes())
    }

    /// Seconds until the session expires (for the cookie's `Max-Age` and the KV TTL).
    pub fn remaining_secs(&self, now_ms: u64) -> u64 {
        self.expires_ms.saturating_sub(now_ms) / 1000
    }
}

/// A fresh session token for the cookie.
pub fn new_token(random: &[u8; TOKEN_BYTES]) -> String {
    format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(random))
}

/// Whether text has the shape of a session token (checked before it is hashed into a key).
pub fn is_token(text: &str) -> bool {
    text.strip_prefix(TOKEN_PREFIX).is_some_and(|rest| {
        rest.len() == 43 && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// The KV id of a token's session: its SHA-256 in hex.
pub fn token_hash(token: &str) -> String {
    hash_secret(token)
}

/// The values of every cookie called `name` in a `Cookie` header. Browsers send several when
/// paths overlap; each is tried.
pub fn cookie_values<'a>(header: &'a str, name: &str) -> Vec<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(key, _)| *key == name)
        .map(|(_, value)| value.trim().trim_matches('"'))
        .collect()
}

/// The `Path` of a site's cookie: the page and its sub-paths (forms, exports), nothing else.
pub fn cookie_path(site: &str) -> String {
    format!("/s/{site}")
}

/// `Set-Cookie` for a new session: `HttpOnly` (no script reads it), `Secure`, `SameSite=Strict`
/// (no other site can make the browser send it), scoped to the site's page, expiring with it.
pub fn set_cookie(site: &str, token: &str, max_age_secs: u64) -> String {
    format!(
        "{COOKIE_NAME}={token}; Path={}; Max-Age={max_age_secs}; HttpOnly; Secure; SameSite=Strict",
        cookie_path(site)
    )
}

/// `Set-Cookie` that removes the session cookie (logout).
pub fn clear_cookie(site: &str) -> String {
    format!("{COOKIE_NAME}=; Path={}; Max-Age=0; HttpOnly; Secure; SameSite=Strict", cookie_path(site))
}

/// Decodes an `application/x-www-form-urlencoded` body into name/value pairs, with
/// `form_urlencoded` (the WHATWG decoder, as browsers encode). Invalid percent-escapes are kept
/// literally and invalid UTF-8 is replaced, never a panic.
pub fn parse_form(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// The first value of a form field, or `""`.
pub fn form_value<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_session_opens_only_its_site_until_it_expires_or_the_key_rotates() {
        let session = Session::new("site1", "hash1", &[7; TOKEN_BYTES], 1_000);
        assert!(session.is_valid_for("site1", "hash1", 1_000));
        assert!(!session.is_valid_for("site2", "hash1", 1_000));
        assert!(!session.is_valid_for("site1", "hash2", 1_000));
        assert!(!session.is_valid_for("site1", "hash1", 1_000 + SESSION_TTL_MS));
        assert_eq!(session.remaining_secs(1_000), SESSION_TTL_MS / 1000);
        assert!(session.csrf_matches(&session.csrf.clone()));
        assert!(!session.csrf_matches(""));
        assert!(!session.csrf_matches("nope"));
    }

    #[test]
    fn tokens_have_a_recognisable_shape() {
        let token = new_token(&[255; TOKEN_BYTES]);
        assert!(is_token(&token), "{token}");
        assert!(!is_token("tls_short"));
        assert!(!is_token(&token.replace("tls_", "tlk_")));
        assert_eq!(token_hash(&token).len(), 64);
    }

    #[test]
    fn cookies_are_found_by_name_and_scoped_to_the_site() {
        assert_eq!(cookie_values("a=1; tellus_session=tls_x; tellus_session=tls_y", COOKIE_NAME), ["tls_x", "tls_y"]);
        assert!(cookie_values("other=1", COOKIE_NAME).is_empty());
        let cookie = set_cookie("abc", "tls_x", 60);
        assert!(cookie.contains("Path=/s/abc;") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        assert!(clear_cookie("abc").contains("Max-Age=0"));
    }

    #[test]
    fn forms_decode_plus_and_percent_escapes() {
        let form = parse_form(b"csrf=a%2Bb&note=Fixed+it%21+%3Cok%3E&bad=%zz%4&empty=");
        assert_eq!(form_value(&form, "csrf"), "a+b");
        assert_eq!(form_value(&form, "note"), "Fixed it! <ok>");
        assert_eq!(form_value(&form, "bad"), "%zz%4");
        assert_eq!(form_value(&form, "empty"), "");
        assert_eq!(form_value(&form, "missing"), "");
        assert_eq!(form_value(&parse_form("text=%C3%A4%E2%80%AE".as_bytes()), "text"), "ä\u{202e}");
    }

    proptest! {
        #[test]
        fn form_parsing_never_panics(body in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_form(&body);
        }
    }
}
