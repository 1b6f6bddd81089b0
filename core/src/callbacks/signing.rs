//! Standard Webhooks v1: message ids and signatures.

use super::endpoint::SECRET_PREFIX;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The `webhook-id` of a delivery: `msg_` and a ULID, so the id carries the delivery's time and
/// its log key can be derived from it.
pub fn message_id(ulid: &str) -> String {
    format!("msg_{ulid}")
}

/// The ULID inside a `webhook-id`.
pub fn ulid_of_message_id(id: &str) -> Option<&str> {
    id.strip_prefix("msg_").filter(|ulid| crate::ids::entry_id_time(ulid).is_some())
}

/// The random part of a delivery's id, derived from what it is about (entry, event or overdue
/// step, endpoint), so doing the same work twice makes the same `webhook-id` (receivers dedupe).
pub fn derived_random(parts: &[&str]) -> [u8; 10] {
    crate::ids::derived(parts)
}

/// `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>` where the key is the base64-decoded
/// part of the secret after `whsec_`. `None` when the secret is not of that shape.
pub fn signature(secret: &str, msg_id: &str, timestamp_secs: u64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix(SECRET_PREFIX)?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{msg_id}.{timestamp_secs}.").as_bytes());
    mac.update(body.as_bytes());
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// The `webhook-signature` header: one signature per secret, separated by spaces.
pub fn signature_header(secrets: &[&str], msg_id: &str, timestamp_secs: u64, body: &str) -> String {
    secrets.iter().filter_map(|secret| signature(secret, msg_id, timestamp_secs, body)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_the_standard_webhooks_known_answer() {
        // The test vector of the Standard Webhooks reference libraries.
        let sig = signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(sig.as_deref(), Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
        assert_eq!(signature("not-a-secret", "msg", 1, "{}"), None);
    }

    #[test]
    fn overdue_ids_are_the_same_for_the_same_step() {
        assert_eq!(derived_random(&["e", "1", "ep"]), derived_random(&["e", "1", "ep"]));
        assert_ne!(derived_random(&["e", "1", "ep"]), derived_random(&["e", "2", "ep"]));
    }
}
