//! Admission: turning a submission's random key into a nullifier, a keyed hash that
//! lets the server recognise a retry of the same submission and nothing else.
//!
//! The HMAC key is generated at first start and kept in the database. Without it a
//! nullifier cannot even be tested against a guessed key; with it, it still says
//! nothing about who sent what, because no answer is stored beside it.

use diesel::prelude::*;
use hmac::{Hmac, KeyInit, Mac};
use nansen_shared::SubmissionKey;
use sha2::Sha256;

use crate::storage::Conn;
use crate::storage::schema::secrets;

const SECRET_NAME: &str = "nullifier";

/// A nullifier: HMAC-SHA-256 of the survey id and the submission key, truncated to
/// 128 bits. Two of a billion submissions share one with a chance of about 10⁻²¹, and
/// each respondent costs the ledger 16 bytes instead of 32, on disk and in memory.
pub type Nullifier = [u8; 16];

/// A nullifier's length, as stored.
pub const NULLIFIER_BYTES: usize = std::mem::size_of::<Nullifier>();

/// The server's secret for computing nullifiers.
#[derive(Clone)]
pub struct NullifierKey([u8; 32]);

impl std::fmt::Debug for NullifierKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NullifierKey(..)")
    }
}

impl NullifierKey {
    /// Loads the key, generating and storing it on first start.
    pub fn load_or_create(conn: &mut Conn) -> anyhow::Result<Self> {
        let stored: Option<Vec<u8>> = secrets::table
            .filter(secrets::name.eq(SECRET_NAME))
            .select(secrets::value)
            .first(conn)
            .optional()?;
        if let Some(bytes) = stored {
            let key: [u8; 32] = bytes
                .try_into()
                .map_err(|_| anyhow::anyhow!("the stored nullifier key has the wrong length"))?;
            return Ok(Self(key));
        }
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| anyhow::anyhow!("no secure random source: {e}"))?;
        diesel::insert_into(secrets::table)
            .values((secrets::name.eq(SECRET_NAME), secrets::value.eq(&key[..])))
            .execute(conn)?;
        Ok(Self(key))
    }

    /// The nullifier of a submission to survey `survey_id` made with `credential`.
    pub fn nullifier(&self, survey_id: i64, credential: &Credential) -> Nullifier {
        // HMAC accepts keys of any length, so this cannot fail for a 32-byte key.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!());
        mac.update(&survey_id.to_be_bytes());
        // Keys and tokens are told apart, so that neither can pass for the other.
        match credential {
            Credential::Key(key) => {
                mac.update(b"key\0");
                mac.update(key.as_str().as_bytes());
            }
            Credential::Token(message) => {
                mac.update(b"token\0");
                mac.update(message);
            }
        }
        let mut nullifier = Nullifier::default();
        let length = nullifier.len();
        nullifier.copy_from_slice(&mac.finalize().into_bytes()[..length]);
        nullifier
    }
}

/// What makes a submission countable once: a client's random key (open surveys), or the
/// message of a blindly signed invitation token (invite-only ones).
#[derive(Debug)]
pub enum Credential {
    Key(SubmissionKey),
    Token(Vec<u8>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullifiers_depend_on_key_survey_and_secret() {
        let a = NullifierKey([1; 32]);
        let b = NullifierKey([2; 32]);
        let key = Credential::Key(SubmissionKey::from_random_bytes([9; 32]));
        let other = Credential::Key(SubmissionKey::from_random_bytes([8; 32]));
        assert_eq!(a.nullifier(1, &key), a.nullifier(1, &key));
        assert_ne!(a.nullifier(1, &key), a.nullifier(2, &key));
        assert_ne!(a.nullifier(1, &key), a.nullifier(1, &other));
        assert_ne!(a.nullifier(1, &key), b.nullifier(1, &key));
        let Credential::Key(raw) = &key else { unreachable!() };
        let token = Credential::Token(raw.as_str().as_bytes().to_vec());
        assert_ne!(a.nullifier(1, &key), a.nullifier(1, &token), "a token is not a key");
    }
}
