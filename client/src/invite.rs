//! Exchanging an invite code for a token the server cannot link to it (RFC 9474 blind
//! signatures, `nansen_shared::invite`). Only the bundle for invite-only surveys links
//! this in, so that open surveys do not download the RSA code.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use nansen_shared::invite::{Blinding, InviteKey, Redeem, Signed, Token};

use crate::api::{self, ApiError};
use crate::mark;

/// Something that turns an invite code into a token; handed to the questionnaire by
/// the bundle that can.
pub trait Redeemer {
    fn redeem(self: Rc<Self>, code: String) -> Pin<Box<dyn Future<Output = Result<Token, ApiError>>>>;
}

/// A [`Redeemer`] shared by the components of one form, compared by identity.
#[derive(Clone)]
pub struct RedeemRef(pub Rc<dyn Redeemer>);

impl PartialEq for RedeemRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for RedeemRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RedeemRef")
    }
}

/// The exchange with the server, for one survey's key.
#[derive(Debug)]
pub struct Exchange {
    slug: String,
    key: InviteKey,
    /// The code last sent and its blinding: a retry after a lost reply sends the same
    /// blinded message, which the server signs again instead of calling the code used.
    pending: RefCell<Option<(String, Rc<Blinding>)>>,
}

impl Exchange {
    pub fn new(slug: String, key: InviteKey) -> Self {
        Self { slug, key, pending: RefCell::new(None) }
    }

    fn blinding_for(&self, code: &str) -> Result<Rc<Blinding>, ApiError> {
        // The same code typed again, perhaps with other case or spacing.
        let code: String =
            code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect();
        let mut pending = self.pending.borrow_mut();
        if let Some((sent, blinding)) = pending.as_ref()
            && *sent == code
        {
            return Ok(blinding.clone());
        }
        let blinding = Rc::new(Blinding::new(&self.key).map_err(|_| ApiError::Unexpected(0))?);
        *pending = Some((code, blinding.clone()));
        Ok(blinding)
    }

    async fn exchange(&self, code: String) -> Result<Token, ApiError> {
        // The marks time the browser's share of the work (`cargo xtask bench invites`).
        mark("nansen:blind");
        let blinding = self.blinding_for(&code)?;
        mark("nansen:blinded");
        let body = Redeem { code, blinded: blinding.blinded() };
        let body = serde_json::to_string(&body).map_err(|_| ApiError::Unexpected(0))?;
        let path = format!("/api/v1/surveys/{}/invites/redeem", self.slug);
        // Without credentials, as every respondent's request (see `crate::api`).
        // Sent again by itself when the server asks for a short pause (the form says
        // "Sending…" meanwhile); the same blinded message each time.
        let signed: Signed = api::respondent_patiently("POST", &path, Some(body), &|_| {}).await?;
        mark("nansen:signed");
        // A signature that does not verify under the published key would make a token
        // the server refuses: better to say so now.
        let token = blinding.finalize(&self.key, &signed).map_err(|_| ApiError::Unexpected(200));
        mark("nansen:token");
        token
    }
}

impl Redeemer for Exchange {
    fn redeem(self: Rc<Self>, code: String) -> Pin<Box<dyn Future<Output = Result<Token, ApiError>>>> {
        Box::pin(async move { self.exchange(code).await })
    }
}
