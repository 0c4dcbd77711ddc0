//! Entry point of the staff bundle (questionnaire designer and results dashboard): takes
//! over the page the server rendered for `/admin…` and `/research…`.

use nansen_client::staff::{Staff, StaffProps};

/// The same small allocator as the respondent's bundle: staff pages live for a working
/// session at most, so fragmentation does not matter.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

fn main() {
    let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"))
    else {
        return;
    };
    let props = StaffProps { area: root.get_attribute("data-area").unwrap_or_default().into() };
    // The server's placeholder ("Loading…") gives way to the live screens.
    root.set_inner_html("");
    yew::Renderer::<Staff>::with_root_and_props(root, props).render();
}
