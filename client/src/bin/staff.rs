//! Entry point of the staff bundle (questionnaire designer and results dashboard): takes
//! over the page the server rendered for `/admin…` and `/research…`.

use nansen_client::staff::{Staff, StaffProps};

fn main() {
    let Some(root) = nansen_client::app_root() else {
        return;
    };
    let props = StaffProps { area: root.get_attribute("data-area").unwrap_or_default().into() };
    // The server's placeholder ("Loading…") gives way to the live screens.
    root.set_inner_html("");
    yew::Renderer::<Staff>::with_root_and_props(root, props).render();
}
