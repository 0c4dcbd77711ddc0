//! The Nansen browser client, compiled to WebAssembly. The respondent's questionnaire
//! lives here; it uses the shared crate's validation, so a person sees exactly the
//! errors the server would give, before anything is sent.

pub mod api;
pub mod countries;
pub mod i18n;
pub mod invite;
pub mod respondent;
pub mod staff;

/// Marks a moment on the page's performance timeline (read by the benchmarks).
pub(crate) fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// A small allocator for every bundle: a page lives minutes (a staff page a working
/// session), so fragmentation does not matter, and the default one is 7 KB of download.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

/// The element the server rendered for a bundle to take over.
pub fn app_root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id("app")
}
