//! Entry point of the respondent's bundle: takes over the page the server rendered.

use nansen_client::respondent::{Respondent, RespondentProps};

/// A small allocator: the page lives minutes, so fragmentation does not matter, and
/// the default one is 7 KB of download.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

fn main() {
    let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"))
    else {
        return;
    };
    let props = RespondentProps {
        slug: root.get_attribute("data-slug").unwrap_or_default().into(),
        lang: root.get_attribute("data-lang").unwrap_or_default().into(),
        // Whatever the person answered in the server's form before the client loaded.
        fields: nansen_client::respondent::form_fields(&root),
    };
    // The server's form gives way to the live one.
    root.set_inner_html("");
    yew::Renderer::<Respondent>::with_root_and_props(root, props).render();
}
