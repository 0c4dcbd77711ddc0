//! Entry point of the respondent's bundle: takes over the page the server rendered.

use nansen_client::respondent::{self, Respondent};

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
    // Without what the page carries for it, the client leaves the server's form alone.
    let Some(props) = respondent::from_page(&root) else {
        return;
    };
    // The server's form gives way to the live one.
    root.set_inner_html("");
    yew::Renderer::<Respondent>::with_root_and_props(root, props).render();
}
