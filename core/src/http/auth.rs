//! Owner keys: only their SHA-256 is stored, and comparisons take constant time.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Lower-case hex SHA-256 of a secret.
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    out
}

/// Compares two byte strings in time that depends only on their lengths. `subtle` (already
/// linked through `hmac`) keeps the optimiser from turning the comparison back into an early
/// exit, which a hand-written fold cannot promise.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// Whether `presented` is the owner key whose hash is `stored_hash`.
pub fn owner_key_matches(presented: &str, stored_hash: &str) -> bool {
    constant_time_eq(hash_secret(presented).as_bytes(), stored_hash.as_bytes())
}

/// The token of an `Authorization: Bearer <token>` header, if it has that shape.
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && token.len() <= 200).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_sha256_hex() {
        assert_eq!(hash_secret("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn equal_bytes_alone_compare_equal() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"tlk_abc", b"tlk_abc"));
        assert!(!constant_time_eq(b"tlk_abc", b"tlk_abd"));
        assert!(!constant_time_eq(b"tlk_abc", b"tlk_ab"));
        assert!(!constant_time_eq(b"", b"x"));
    }

    #[test]
    fn keys_match_only_themselves() {
        let stored = hash_secret("tlk_right");
        assert!(owner_key_matches("tlk_right", &stored));
        assert!(!owner_key_matches("tlk_wrong", &stored));
        assert!(!owner_key_matches("", &stored));
    }

    #[test]
    fn bearer_header_is_parsed() {
        assert_eq!(bearer_token("Bearer tlk_x"), Some("tlk_x"));
        assert_eq!(bearer_token("bearer  tlk_x "), Some("tlk_x"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer"), None);
    }
}
