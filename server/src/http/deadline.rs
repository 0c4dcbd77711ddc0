//! A deadline for request bodies. actix-web times out a request's headers
//! (`client_request_timeout`) but not its body: a client may send headers, then trickle
//! the body a byte every few seconds and hold its connection for ever. Here a body
//! that has not arrived whole by the deadline ends in an error, the handler answers,
//! and the connection (its body unread) is closed.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::HttpMessage as _;
use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::PayloadError;
use actix_web::rt::time::{Sleep, sleep};
use actix_web::web::Bytes;
use futures_core::Stream;

/// Gives the body of `req` until `limit` from now to arrive.
pub fn limit_body(req: &mut ServiceRequest, limit: Duration) {
    let inner = req.take_payload();
    let deadline = Deadline { inner, sleep: Box::pin(sleep(limit)), expired: false };
    req.set_payload(Payload::Stream { payload: Box::pin(deadline) });
}

struct Deadline {
    inner: Payload,
    sleep: Pin<Box<Sleep>>,
    expired: bool,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.expired {
            return Poll::Ready(None);
        }
        if let Poll::Ready(chunk) = Pin::new(&mut self.inner).poll_next(cx) {
            return Poll::Ready(chunk);
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            self.expired = true;
            let late = std::io::Error::new(std::io::ErrorKind::TimedOut, "the body came too slowly");
            return Poll::Ready(Some(Err(PayloadError::Io(late))));
        }
        Poll::Pending
    }
}
