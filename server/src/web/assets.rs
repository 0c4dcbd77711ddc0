//! The browser client's files (HTML-free: JavaScript, WebAssembly, CSS), read into
//! memory at start-up with a gzip copy of each, and served from `/assets/`.
//! Everything a page needs comes from this server: no CDN, no third-party host.

use std::collections::HashMap;
use std::path::Path;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

use crate::http::compress;

#[derive(Debug, Default)]
pub struct Assets {
    files: HashMap<String, Asset>,
}

#[derive(Debug)]
struct Asset {
    content_type: &'static str,
    raw: Bytes,
    gzip: Option<Bytes>,
    etag: String,
}

impl Assets {
    /// Loads every file directly inside `dir`. A missing directory is not an error: the
    /// API works without the client, and the pages say that it is missing.
    pub fn load(dir: Option<&Path>) -> anyhow::Result<Self> {
        let Some(dir) = dir else {
            return Ok(Self::default());
        };
        if !dir.is_dir() {
            tracing::warn!(dir = %dir.display(), "the client assets directory does not exist; pages will say so");
            return Ok(Self::default());
        }
        let mut files = HashMap::new();
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let (Some(name), Some(content_type)) =
                (path.file_name().and_then(|n| n.to_str()), content_type(&path))
            else {
                continue;
            };
            let raw = std::fs::read(&path)?;
            files.insert(name.to_owned(), Asset::new(content_type, raw)?);
        }
        tracing::info!(dir = %dir.display(), files = files.len(), "loaded the client assets");
        Ok(Self { files })
    }

    pub fn has(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }
}

impl Asset {
    fn new(content_type: &'static str, raw: Vec<u8>) -> std::io::Result<Self> {
        let etag = format!("\"{}\"", hex(&Sha256::digest(&raw)[..12]));
        let gzip = compress::gzip(&raw)?;
        // Only keep the compressed copy when it is worth it.
        let gzip = (gzip.len() < raw.len()).then(|| Bytes::from(gzip));
        Ok(Self { content_type, raw: Bytes::from(raw), gzip, etag })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn content_type(path: &Path) -> Option<&'static str> {
    Some(match path.extension()?.to_str()? {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        "png" => "image/png",
        "txt" => "text/plain; charset=utf-8",
        _ => return None,
    })
}

/// `GET /assets/{name}`: revalidated on each use (the names carry no hash), compressed
/// when the browser accepts gzip.
pub async fn serve(req: HttpRequest, name: web::Path<String>, assets: web::Data<Assets>) -> HttpResponse {
    let Some(asset) = assets.files.get(name.as_str()) else {
        return HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("No such file.");
    };
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::ETAG, asset.etag.clone()))
        .insert_header((header::VARY, "Accept-Encoding"));
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == asset.etag));
    if matches {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, asset.etag.clone()))
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .finish();
    }
    response.insert_header((header::CONTENT_TYPE, asset.content_type));
    match (&asset.gzip, compress::accepts_gzip(&req)) {
        (Some(gzip), true) => response.insert_header((header::CONTENT_ENCODING, "gzip")).body(gzip.clone()),
        _ => response.body(asset.raw.clone()),
    }
}
