//! Methods as HTTP says: `HEAD` wherever `GET` is, and 405 with `Allow` for a method a
//! resource does not take. The 405 here is bare; the error handlers in `startup` turn
//! it into a problem document under `/api` and a page elsewhere, keeping `Allow`.

use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::{HttpResponse, Resource, web};

/// `resource`, answering any method it has no route for with 405 and an `Allow` header
/// naming `methods` (lower case, as the route table writes them), `HEAD` with `GET`.
pub fn allowing(resource: Resource, methods: &[&str]) -> Resource {
    let allow = allow_header(methods);
    resource.default_service(web::to(move || {
        let allow = allow.clone();
        async move { HttpResponse::MethodNotAllowed().insert_header((header::ALLOW, allow)).finish() }
    }))
}

/// `GET, HEAD, POST`: each method in capitals, `HEAD` after `GET`.
pub fn allow_header(methods: &[&str]) -> String {
    let mut allowed: Vec<String> = Vec::new();
    for method in methods {
        let method = method.to_ascii_uppercase();
        let is_get = method == "GET";
        allowed.push(method);
        if is_get {
            allowed.push("HEAD".to_owned());
        }
    }
    allowed.join(", ")
}

/// A `HEAD` request is routed and answered as a `GET`: the connection knows it was a
/// `HEAD` and sends the headers (`Content-Length` included) without the body.
pub fn head_as_get(req: &mut ServiceRequest) {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
}

/// The `Allow` header of a response, if it has one.
pub fn allow_of<B>(res: &ServiceResponse<B>) -> Option<header::HeaderValue> {
    res.headers().get(header::ALLOW).cloned()
}
