//! The web addresses an owner gives us: a site's allowed origins and its review links. Parsed
//! with the `url` crate (the WHATWG URL standard, as browsers parse them, already linked by the
//! Worker); the policy of which addresses we take is ours and is written here.
//!
//! Policy:
//! - An **origin** is `http` or `https`, a host and an optional port, nothing else (no user
//!   name, path, query or fragment). It is stored as the browser's `Origin` header writes it:
//!   lower case, international names in punycode, the scheme's default port left out.
//! - A **review link** is where a customer is sent to tell others, so it must be safe to open
//!   from the widget: `https`, or plain `http` only when the host is really this machine
//!   (`localhost`, `127.0.0.0/8` or `[::1]`, for development); a name that merely starts with
//!   `localhost` or `127.0.0.1` (`http://localhost.attacker.example/`,
//!   `http://127.0.0.1.nip.io/`) is a host on the internet and needs `https`. No user name or
//!   password (`https://trusted.example@attacker.example/` shows one site and opens another), no
//!   whitespace, control characters, quotes or angle brackets (the link is stored as written and
//!   shown in HTML), and at most [`MAX_URL_CHARS`] characters.

use crate::limits::MAX_URL_CHARS;
use ::url::{Host, Url};

/// An allowed origin as the browser's `Origin` header writes it (`https://shop.example`,
/// `http://127.0.0.1:8787`), or `None` for anything that is not just a scheme, host and port.
pub fn parse_origin(text: &str) -> Option<String> {
    let text = text.trim();
    if text.chars().count() > MAX_URL_CHARS {
        return None;
    }
    let url = Url::parse(text).ok()?;
    let bare = matches!(url.scheme(), "http" | "https")
        && url.username().is_empty()
        && url.password().is_none()
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none();
    bare.then(|| url.origin().ascii_serialization())
}

/// Whether `text` is a review link we take (see the module's policy).
pub fn is_web_url(text: &str) -> bool {
    let written_plainly = text.chars().count() <= MAX_URL_CHARS
        && !text.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'));
    let Some(url) = written_plainly.then(|| Url::parse(text).ok()).flatten() else {
        return false;
    };
    let scheme_allowed = match url.scheme() {
        "https" => true,
        "http" => url.host().is_some_and(is_loopback),
        _ => false,
    };
    scheme_allowed && url.has_host() && url.username().is_empty() && url.password().is_none()
}

/// Whether a host is this machine: the name `localhost` or a loopback address (callback URLs
/// follow the same rule).
pub fn is_loopback(host: Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(address) => address.is_loopback(),
        Host::Ipv6(address) => address.is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised_and_anything_more_is_refused() {
        assert_eq!(parse_origin("HTTPS://Shop.Example/"), Some("https://shop.example".into()));
        assert_eq!(parse_origin(" https://shop.example "), Some("https://shop.example".into()));
        assert_eq!(parse_origin("http://127.0.0.1:8787"), Some("http://127.0.0.1:8787".into()));
        assert_eq!(parse_origin("https://shop.example:443"), Some("https://shop.example".into()));
        assert_eq!(parse_origin("https://shop.example:8443"), Some("https://shop.example:8443".into()));
        assert_eq!(parse_origin("http://[::1]:9"), Some("http://[::1]:9".into()));
        assert_eq!(parse_origin("https://bücher.example"), Some("https://xn--bcher-kva.example".into()));
        for refused in [
            "https://shop.example/path",
            "https://shop.example/?q",
            "https://shop.example/#top",
            "https://owner@shop.example",
            "ftp://shop.example",
            "javascript:alert(1)",
            "https://",
            "shop.example",
            "null",
            "",
        ] {
            assert_eq!(parse_origin(refused), None, "{refused:?}");
        }
        assert_eq!(parse_origin(&format!("https://{}.example", "a".repeat(MAX_URL_CHARS))), None);
    }

    #[test]
    fn review_links_are_https_and_plain_http_only_for_a_real_loopback_host() {
        for taken in [
            "https://g.page/r/shop/review",
            "https://www.trustpilot.com/evaluate/shop.example?utm=widget#top",
            "http://localhost:8787/review",
            "http://LOCALHOST/",
            "http://127.0.0.1:9/x",
            "http://127.8.9.10/",
            "http://[::1]:8787/",
        ] {
            assert!(is_web_url(taken), "{taken} is refused");
        }
        for refused in [
            "http://localhost.attacker.example/",
            "http://127.0.0.1.nip.io/",
            "http://localhostx/",
            "http://shop.example/review",
            "https://trusted.example@attacker.example/",
            "https://user:secret@shop.example/",
            "javascript:alert(1)",
            "data:text/html,hi",
            "ftp://shop.example/",
            "https://",
            "https:// shop.example/",
            "https://shop.example/a b",
            "https://shop.example/\"onmouseover=\"x",
            "https://shop.example/<script>",
            "https://shop.example/\u{7}",
            "/relative/path",
            "",
        ] {
            assert!(!is_web_url(refused), "{refused:?} is taken");
        }
        let long = format!("https://shop.example/{}", "a".repeat(MAX_URL_CHARS));
        assert!(!is_web_url(&long));
        assert!(is_web_url(&long[..MAX_URL_CHARS]));
    }
}
