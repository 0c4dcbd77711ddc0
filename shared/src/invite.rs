//! Invitations that cannot be linked to answers: RFC 9474 blind RSA signatures
//! (RSABSSA-SHA384-PSS-Randomized).
//!
//! The respondent's browser makes a random message, blinds it, and exchanges an invite
//! code for the server's signature on the blinded message. It unblinds the signature,
//! and later sends its answers with the message and signature instead of a random key.
//! The server can check the signature is its own, but has never seen that message:
//! it cannot tell which code the answers came with. The same code runs in the browser
//! (wasm32) and in tests.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use blind_rsa_signatures::{
    BlindSignature, BlindingResult, DefaultRng, MessageRandomizer, Options, PublicKey, Signature,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What an invite code is made of: Crockford's base32 (no I, L, O or U to misread).
pub const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters of a code: 50 bits, shown as two groups of five ("ABCDE-FGHJK").
pub const CODE_LENGTH: usize = 10;

/// A code as typed (any case, spaces, hyphens, and the letters people confuse with
/// digits) in its canonical form; `None` if it cannot be one.
pub fn normalise_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    (code.len() == CODE_LENGTH && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// A survey's invitation key, published with the definition so that every respondent,
/// and anyone watching, can check they all got the same one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InviteKey {
    /// The RSA public key, as SubjectPublicKeyInfo DER, base64url.
    pub spki: String,
    /// `sha256:` and the hex SHA-256 of the DER: easy to compare by eye.
    pub fingerprint: String,
}

/// What a respondent sends instead of a random key: a message signed blindly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Token {
    /// The random message, base64url.
    pub message: String,
    /// The randomiser RFC 9474's randomized variant prefixes to it, base64url.
    pub randomizer: String,
    /// The unblinded signature, base64url.
    pub signature: String,
}

/// `POST /api/v1/surveys/{slug}/invites/redeem`: an invite code and a blinded message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Redeem {
    pub code: String,
    /// base64url.
    pub blinded: String,
}

/// The reply: the blind signature, base64url.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signed {
    pub blind_signature: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    #[error("the {0} is not valid base64url")]
    Encoding(&'static str),
    #[error("the invitation key cannot be read")]
    Key,
    #[error("the signature does not verify")]
    Signature,
    #[error("blinding failed")]
    Blinding,
}

/// RFC 9474's RSABSSA-SHA384-PSS-Randomized.
pub fn options() -> Options {
    Options::default()
}

fn decode(what: &'static str, text: &str) -> Result<Vec<u8>, InviteError> {
    URL_SAFE_NO_PAD.decode(text).map_err(|_| InviteError::Encoding(what))
}

fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

impl InviteKey {
    pub fn new(public_key: &PublicKey) -> Result<Self, InviteError> {
        let spki = public_key.to_spki(Some(&options())).map_err(|_| InviteError::Key)?;
        Ok(Self { fingerprint: fingerprint(&spki), spki: encode(&spki) })
    }

    pub fn public_key(&self) -> Result<PublicKey, InviteError> {
        PublicKey::from_spki(&decode("key", &self.spki)?).map_err(|_| InviteError::Key)
    }
}

fn fingerprint(spki: &[u8]) -> String {
    let digest = Sha256::digest(spki);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The browser's half of an exchange, kept in memory until the server has signed (and
/// for a retry with the same blinded message, if the server's reply is lost).
#[derive(Debug)]
pub struct Blinding {
    message: [u8; 32],
    result: BlindingResult,
}

impl Blinding {
    /// A fresh random message, blinded for `key`.
    pub fn new(key: &InviteKey) -> Result<Self, InviteError> {
        let mut message = [0u8; 32];
        rand_fill(&mut message)?;
        let result = key
            .public_key()?
            .blind(&mut DefaultRng, message, &options())
            .map_err(|_| InviteError::Blinding)?;
        Ok(Self { message, result })
    }

    /// What the server signs, base64url.
    pub fn blinded(&self) -> String {
        encode(&self.result.blind_message)
    }

    /// The token, from the server's blind signature (checked against `key`).
    pub fn finalize(&self, key: &InviteKey, signed: &Signed) -> Result<Token, InviteError> {
        let blind = BlindSignature(decode("signature", &signed.blind_signature)?);
        let signature = key
            .public_key()?
            .finalize(&blind, &self.result, self.message, &options())
            .map_err(|_| InviteError::Signature)?;
        let randomizer = self.result.msg_randomizer.ok_or(InviteError::Blinding)?;
        Ok(Token {
            message: encode(&self.message),
            randomizer: encode(&randomizer.0),
            signature: encode(&signature),
        })
    }
}

impl Token {
    /// Checks the signature against `key`; returns the message (what the nullifier is
    /// made from).
    pub fn verify(&self, key: &PublicKey) -> Result<Vec<u8>, InviteError> {
        let message = decode("message", &self.message)?;
        let randomizer: [u8; 32] = decode("randomizer", &self.randomizer)?
            .try_into()
            .map_err(|_| InviteError::Encoding("randomizer"))?;
        let signature = Signature(decode("signature", &self.signature)?);
        signature
            .verify(key, Some(MessageRandomizer(randomizer)), &message, &options())
            .map_err(|_| InviteError::Signature)?;
        Ok(message)
    }
}

fn rand_fill(bytes: &mut [u8]) -> Result<(), InviteError> {
    blind_rsa_signatures::reexports::rand::fill(bytes);
    Ok(())
}

#[cfg(test)]
mod tests {
    use blind_rsa_signatures::KeyPair;

    use super::*;

    #[test]
    fn confusable_letters_read_as_digits() {
        assert_eq!(normalise_code("abcde-fghjk").as_deref(), Some("ABCDEFGHJK"));
        assert_eq!(normalise_code("O1IL0 23456").as_deref(), Some("0111023456"));
        assert_eq!(normalise_code("ABCDE-FGHJ"), None);
        assert_eq!(normalise_code("ABCDE-FGHJU"), None, "U is not in the alphabet");
    }

    #[test]
    fn a_token_verifies_and_cannot_be_linked_to_what_was_signed() {
        let pair = KeyPair::generate(&mut DefaultRng, 2048).unwrap();
        let key = InviteKey::new(&pair.pk).unwrap();
        assert!(key.fingerprint.starts_with("sha256:") && key.fingerprint.len() == 7 + 64);
        assert_eq!(key.public_key().unwrap(), pair.pk);

        let blinding = Blinding::new(&key).unwrap();
        let blinded = blinding.blinded();
        // The server signs what it is shown; it never sees the message itself.
        let blind_signature = pair.sk.blind_sign(decode("blinded", &blinded).unwrap()).unwrap();
        let signed = Signed { blind_signature: encode(&blind_signature) };
        let token = blinding.finalize(&key, &signed).unwrap();
        let message = token.verify(&pair.pk).unwrap();
        assert_eq!(message.len(), 32);
        assert_ne!(encode(&message), blinded, "the signed message is not what the server saw");
        assert!(!blinded.contains(&token.message) && !blinded.contains(&token.signature));

        let mut forged = token.clone();
        forged.message = encode(&[7; 32]);
        assert_eq!(forged.verify(&pair.pk), Err(InviteError::Signature));
        let other = KeyPair::generate(&mut DefaultRng, 2048).unwrap();
        assert_eq!(token.verify(&other.pk), Err(InviteError::Signature), "another survey's key");
    }
}
