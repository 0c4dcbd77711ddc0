//! HTTP plumbing shared by the API and the pages: problem documents, what is known of
//! the client and the deployment, in-memory throttling, compression, the access log.

pub mod access_log;
pub mod compress;
pub mod problem;
pub mod site;
pub mod throttle;
