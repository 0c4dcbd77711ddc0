//! Staff passwords: argon2id hashes in PHC format, and the rules a new password meets.
//!
//! Parameters: RFC 9106's second recommended option scaled to a small server — see
//! [`PARAMS`]. Hashes made with older parameters are upgraded at the next login.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MIN_LEN: usize = 12;
/// Long enough for any passphrase, short enough that hashing it is not a weapon.
pub const MAX_LEN: usize = 256;

/// argon2id with 64 MiB, three passes, one lane: RFC 9106's second recommendation
/// (m = 64 MiB, t = 3) on one lane, since a login runs on one core. Well above the
/// OWASP minimum (19 MiB, t = 2). Measured on the 2-core development machine: about
/// 0.3 s and 64 MiB per login; `cargo xtask bench login` prints the figures.
pub const M_COST_KIB: u32 = 64 * 1024;
pub const T_COST: u32 = 3;
pub const P_COST: u32 = 1;

fn hasher() -> Argon2<'static> {
    // The constants are valid argon2 parameters; fall back to the library default
    // (the OWASP minimum) rather than fail if that ever changed.
    let params = Params::new(M_COST_KIB, T_COST, P_COST, None).unwrap_or(Params::DEFAULT);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    let hash: PasswordHash = hasher()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("could not hash a password: {e}"))?;
    Ok(hash.to_string())
}

/// Whether `password` matches `stored` (checked with the parameters stored in it).
pub fn verify(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| hasher().verify_password(password.as_bytes(), &hash).is_ok())
}

/// Whether `stored` was made with other parameters than today's.
pub fn needs_rehash(stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return true;
    };
    let current = (M_COST_KIB, T_COST, P_COST);
    hash.algorithm.as_str() != "argon2id"
        || Params::try_from(&hash).map_or(true, |p| (p.m_cost(), p.t_cost(), p.p_cost()) != current)
}

/// A hash of no one's password, verified against when a username does not exist, so
/// that an unknown user costs the same time as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("no one's password, ever").unwrap_or_default())
}

/// A new random password, for an account whose password the server makes (the first
/// admin's, a new account's, a reset): 18 random bytes as four groups of six base64url
/// characters, about 144 bits, easy to copy and to read aloud in pieces.
pub fn generate() -> anyhow::Result<String> {
    let random = crate::staff::sessions::random_token(18)?;
    let groups: Vec<&str> =
        random.as_bytes().chunks(6).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
    Ok(groups.join("-"))
}

/// Checks a new password: length, and not among the passwords attackers try first
/// (zxcvbn's frequency lists, dictionary words, keyboard patterns, the username).
pub fn check(password: &str, username: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_LEN {
        return Err(format!(
            "The password must be at least {MIN_LEN} characters long; a few words make a good one."
        ));
    }
    if length > MAX_LEN {
        return Err(format!("The password may be at most {MAX_LEN} characters long."));
    }
    let estimate = zxcvbn::zxcvbn(password, &[username, "nansen"]);
    if estimate.score() < zxcvbn::Score::Three {
        let hint =
            estimate.feedback().and_then(|f| f.warning()).map(|w| format!(" ({w})")).unwrap_or_default();
        return Err(format!(
            "This password is too easy to guess{hint}. Use a longer one, such as a few unrelated words."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_the_chosen_parameters() {
        let hash = hash("a long enough password").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=65536,t=3,p=1$"), "{hash}");
        assert!(verify(&hash, "a long enough password"));
        assert!(!verify(&hash, "a long enough passwore"));
        assert!(!verify("not a hash", "x"));
        assert!(!needs_rehash(&hash));
    }

    #[test]
    fn older_parameters_need_a_rehash() {
        let owasp = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT);
        let old: PasswordHash = owasp.hash_password(b"a long enough password").unwrap();
        let old = old.to_string();
        assert!(old.contains("m=19456,t=2,p=1"), "{old}");
        assert!(verify(&old, "a long enough password"), "old hashes still verify");
        assert!(needs_rehash(&old));
        assert!(needs_rehash("garbage"));
    }

    #[test]
    fn common_and_short_passwords_are_refused() {
        for weak in
            ["short", "password1234", "qwertyuiop123", "123456789012", "iloveyou2024!", "admin-admin-admin"]
        {
            assert!(check(weak, "admin").is_err(), "{weak} was accepted");
        }
        for strong in ["test admin password 1", "granite lantern ferry 42", "Vrw9-kq2p-MZ7x"] {
            assert!(check(strong, "admin").is_ok(), "{strong} was refused: {:?}", check(strong, "admin"));
        }
        assert!(check(&"x".repeat(300), "a").is_err());
    }

    #[test]
    fn generated_passwords_are_strong_and_never_repeat() {
        let a = generate().unwrap();
        assert_eq!(a.len(), 4 * 6 + 3, "{a}");
        // Groups of six (base64url has '-' of its own, so the groups are found by place).
        assert!([6, 13, 20].iter().all(|&i| a.as_bytes()[i] == b'-'), "{a}");
        assert!(check(&a, "vera").is_ok(), "{a}");
        assert_ne!(a, generate().unwrap());
    }
}
