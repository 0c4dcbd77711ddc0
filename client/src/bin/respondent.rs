//! Entry point of the respondent's bundle: takes over the page the server rendered.

use nansen_client::respondent::{self, Respondent};

fn main() {
    let Some(root) = nansen_client::app_root() else {
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
