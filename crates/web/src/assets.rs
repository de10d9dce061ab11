//! Static assets (Bootstrap Italia, fonts, our own CSS/JS) embedded in the
//! binary with rust-embed and served under `/static/...`.
//!
//! Every response carries a weak ETag (from the file's SHA-256) and
//! `Cache-Control: public, max-age=31536000, immutable`. Because the cache is
//! immutable, templates must reference assets through [`url`], which appends
//! `?v=<hash>` so that a changed file gets a new URL.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::Embed;
use tower_http::compression::CompressionLayer;

/// URL prefix under which the embedded assets are served.
pub const PREFIX: &str = "/static";

#[derive(Embed)]
#[folder = "assets/"]
struct Assets;

const CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// Router serving `GET /static/{*path}`; merge it into the application
/// router. Responses are gzip-compressed when the client accepts it.
pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/static/{*path}", get(serve)).layer(CompressionLayer::new())
}

async fn serve(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let Some(file) = Assets::get(&path) else {
        return (StatusCode::NOT_FOUND, "Risorsa non trovata").into_response();
    };
    let etag = format!("W/\"{}\"", short_hash(&file.metadata.sha256_hash(), 16));
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));

    let mut response = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = file.data.into_owned().into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&path)));
        r
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    response
}

/// Content type from the file extension (only the kinds we ship).
fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "txt" | "" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn short_hash(hash: &[u8; 32], hex_len: usize) -> String {
    hash.iter().flat_map(|b| [b >> 4, b & 0xf]).take(hex_len).map(|n| char::from_digit(n as u32, 16).unwrap_or('0')).collect()
}

static VERSIONED: LazyLock<Mutex<HashMap<String, String>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// Cache-busting URL of an embedded asset, e.g.
/// `url("ambito.css")` → `/static/ambito.css?v=1a2b3c4d5e6f`.
/// Usable from templates as `{{ crate::assets::url("ambito.css") }}`.
/// A fragment (`"vendor/.../sprites.svg#it-burger"`) is kept at the end.
/// An unknown path yields the plain URL (and a warning in the log).
pub fn url(path: &str) -> String {
    let (file, fragment) = match path.split_once('#') {
        Some((f, frag)) => (f, Some(frag)),
        None => (path, None),
    };
    let base = {
        let mut cache = VERSIONED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(u) = cache.get(file) {
            u.clone()
        } else {
            let u = match Assets::get(file) {
                Some(f) => format!("{PREFIX}/{file}?v={}", short_hash(&f.metadata.sha256_hash(), 12)),
                None => {
                    tracing::warn!(asset = file, "asset non trovato");
                    format!("{PREFIX}/{file}")
                }
            };
            // In debug builds rust-embed reads from disk: don't cache, so
            // edits to assets show up without a restart.
            if !cfg!(debug_assertions) {
                cache.insert(file.to_owned(), u.clone());
            }
            u
        }
    };
    match fragment {
        Some(frag) => format!("{base}#{frag}"),
        None => base,
    }
}

/// URL of an icon in the Bootstrap Italia sprite: `icon("it-burger")`.
pub fn icon(name: &str) -> String {
    url(&format!("vendor/bootstrap-italia/svg/sprites.svg#{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendored_files_are_embedded() {
        for f in [
            "vendor/bootstrap-italia/css/bootstrap-italia.min.css",
            "vendor/bootstrap-italia/js/bootstrap-italia.bundle.min.js",
            "vendor/bootstrap-italia/svg/sprites.svg",
            "vendor/bootstrap-italia/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2",
            "fonts.css",
            "ambito.css",
            "ambito.js",
        ] {
            assert!(Assets::get(f).is_some(), "{f} missing");
        }
    }

    #[test]
    fn fonts_css_references_existing_files() {
        let css = Assets::get("fonts.css").unwrap();
        let css = std::str::from_utf8(&css.data).unwrap();
        let mut n = 0;
        for part in css.split("url(\"").skip(1) {
            let rel = part.split('"').next().unwrap();
            assert!(Assets::get(rel).is_some(), "{rel} missing");
            n += 1;
        }
        assert!(n >= 3);
    }

    #[test]
    fn versioned_urls() {
        let u = url("ambito.css");
        assert!(u.starts_with("/static/ambito.css?v="), "{u}");
        let i = icon("it-burger");
        assert!(i.ends_with("#it-burger"), "{i}");
        assert_eq!(content_type("a/b.woff2"), "font/woff2");
    }
}
