//! Entry point of the bundle for invite-only surveys: the respondent's questionnaire,
//! plus the blind-signature exchange of the invite code (RSA code that open surveys
//! need not download).

use std::rc::Rc;

use nansen_client::invite::{Exchange, RedeemRef};
use nansen_client::respondent::{self, Respondent};

fn main() {
    let Some(root) = nansen_client::app_root() else {
        return;
    };
    let Some(mut props) = respondent::from_page(&root) else {
        return;
    };
    // Without the survey's key the code cannot be exchanged: the server's form, which
    // takes the code directly, stays.
    let Some(key) = props.survey.0.invite_key.clone() else {
        return;
    };
    props.redeem = Some(RedeemRef(Rc::new(Exchange::new(props.slug.to_string(), key))));
    root.set_inner_html("");
    yew::Renderer::<Respondent>::with_root_and_props(root, props).render();
}
