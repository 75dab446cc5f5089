//! Tokens and scopes: the pure parts of authentication.

use uuid::Uuid;

use super::{constant_time_eq, hash_token, new_api_key, new_invitation_token, new_session_token, Scope};

#[test]
fn each_scope_includes_the_ones_before_it() {
    let allows = |held: &str, needed: Scope| Scope::rank(held) >= needed.required_rank();
    assert!(allows("read", Scope::Read) && !allows("read", Scope::Write) && !allows("read", Scope::Admin));
    assert!(allows("write", Scope::Read) && allows("write", Scope::Write) && !allows("write", Scope::Admin));
    assert!(allows("admin", Scope::Read) && allows("admin", Scope::Write) && allows("admin", Scope::Admin));
    assert!(!allows("owner", Scope::Write), "an unknown scope is read at most");
}

#[test]
fn tokens_are_prefixed_random_and_stored_only_as_hashes() {
    let (a, b) = (new_session_token(), new_session_token());
    assert!(a.starts_with("tbs_") && a != b);
    assert!(new_invitation_token().starts_with("tbi_"));
    let tenant = Uuid::from_u128(42);
    let (key, prefix) = new_api_key(tenant);
    assert!(key.starts_with(&format!("tbk_{}_{prefix}_", tenant.simple())), "{key} {prefix}");
    assert_eq!(hash_token(&a), hash_token(&a));
    assert_ne!(hash_token(&a), hash_token(&b));
}

#[test]
fn comparison_of_hashes_needs_every_byte() {
    assert!(constant_time_eq(b"abc", b"abc"));
    assert!(!constant_time_eq(b"abc", b"abd"));
    assert!(!constant_time_eq(b"abc", b"ab"), "lengths differ");
}
