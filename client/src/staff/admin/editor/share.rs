//! Once published: the survey's live address, absolute and ready to copy, and its QR
//! code for sharing offline (posters, leaflets, a phone held up at a meeting). The QR
//! code is drawn here, as SVG, from the address alone: nothing is fetched from elsewhere.

use qrcodegen::{QrCode, QrCodeEcc};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::staff::clipboard::write_clipboard;
use crate::staff::download;
use crate::staff::i18n::{t, tf, use_lang};

/// The quiet zone around a QR code, in modules (the standard asks for four).
const BORDER: i32 = 4;

/// The dark modules of `text`'s QR code as one SVG path, and the side of the whole
/// picture (quiet zone included) in modules.
pub fn qr_path(text: &str) -> Option<(i32, String)> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = code.size();
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                if !path.is_empty() {
                    path.push(' ');
                }
                path.push_str(&format!("M{},{}h1v1h-1z", x + BORDER, y + BORDER));
            }
        }
    }
    Some((size + 2 * BORDER, path))
}

/// A whole SVG file of `text`'s QR code, for printing.
pub fn qr_file(text: &str) -> Option<String> {
    let (side, path) = qr_path(text)?;
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" width=\"{}\" height=\"{}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>\n",
        side * 8,
        side * 8
    ))
}

/// The address respondents open, absolute (with this server's origin).
pub fn live_url(origin: &str, slug: &str) -> String {
    format!("{}/s/{slug}", origin.trim_end_matches('/'))
}

#[derive(Debug, Properties, PartialEq)]
pub struct ShareProps {
    pub slug: AttrValue,
}

#[function_component(SharePanel)]
pub fn share_panel(props: &ShareProps) -> Html {
    use_lang();
    let copied = use_state(|| None::<bool>);
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let url = live_url(&origin, &props.slug);
    let copy = {
        let (url, copied) = (url.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let (url, copied) = (url.clone(), copied.clone());
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(Some(write_clipboard(&url).await));
            });
        })
    };
    // A click in the box selects the address, to copy it by hand where the clipboard
    // is not offered.
    let select = Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlInputElement>().select());
    let download = {
        let (url, slug) = (url.clone(), props.slug.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(svg) = qr_file(&url) {
                let _ = download::download(&format!("{slug}-qr.svg"), "image/svg+xml", &svg);
            }
        })
    };
    let qr = qr_path(&url);
    html! {
        <section class="share" id="share" aria-labelledby="share-heading">
            <h2 id="share-heading">{ t("share-heading") }</h2>
            <div class="share-body">
                <div class="share-link">
                    <div class="field">
                        <label for="live-link">{ t("share-link") }</label>
                        <div class="row">
                            <input id="live-link" name="live-link" type="text" readonly=true value={url.clone()}
                                onfocus={select} aria-describedby="live-link-hint" />
                            <button type="button" id="copy-link" onclick={copy}>{ t("share-copy") }</button>
                        </div>
                        <p class="hint" id="live-link-hint">{ t("share-link-hint") }</p>
                    </div>
                    <p class="share-open"><a id="open-live" href={url.clone()} target="_blank" rel="noopener">
                        { t("share-open") }</a></p>
                    { match *copied {
                        Some(true) => html! { <p id="copy-outcome" class="notice success" role="status">{ t("share-copied") }</p> },
                        Some(false) => html! { <p id="copy-outcome" class="notice" role="status">{ t("share-copy-failed") }</p> },
                        None => html! {},
                    } }
                </div>
                if let Some((side, path)) = qr {
                    <figure class="qr">
                        <svg id="qr-code" class="qr-code" viewBox={format!("0 0 {side} {side}")} width="176" height="176"
                            role="img" aria-labelledby="qr-title" shape-rendering="crispEdges">
                            <title id="qr-title">{ tf("share-qr-title", &[("url", &url)]) }</title>
                            <rect width={side.to_string()} height={side.to_string()} fill="#fff" />
                            <path d={path} fill="#000" />
                        </svg>
                        <figcaption>
                            <button type="button" id="download-qr" onclick={download}>{ t("share-qr-download") }</button>
                        </figcaption>
                    </figure>
                }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_live_address_is_absolute() {
        assert_eq!(live_url("https://survey.example/", "exit-poll"), "https://survey.example/s/exit-poll");
        assert_eq!(live_url("http://127.0.0.1:8080", "d"), "http://127.0.0.1:8080/s/d");
    }

    #[test]
    fn the_qr_code_is_a_square_of_modules_with_its_quiet_zone() {
        let url = "https://survey.example/s/exit-poll";
        let (side, path) = qr_path(url).unwrap();
        let code = QrCode::encode_text(url, QrCodeEcc::Medium).unwrap();
        assert_eq!(side, code.size() + 8);
        // One square per dark module, none in the quiet zone.
        let dark = (0..code.size()).flat_map(|y| (0..code.size()).map(move |x| (x, y)));
        let dark = dark.filter(|(x, y)| code.get_module(*x, *y)).count();
        assert_eq!(path.matches('M').count(), dark);
        assert!(path.starts_with("M4,4h1v1h-1z"), "the finder pattern's corner: {}", &path[..20]);
        let file = qr_file(url).unwrap();
        assert!(file.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(file.contains(&path));
    }
}
