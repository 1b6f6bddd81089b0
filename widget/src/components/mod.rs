//! The dialog's components: [`app`] owns the state, draws it and runs its effects; the others
//! are view functions of the state (`dialog`, `rating`, `paths`, `news`, `status`), which build
//! `vdom` nodes and report what the customer did as actions through [`app::dispatch`].

pub mod app;
pub mod dialog;
pub mod news;
pub mod paths;
pub mod rating;
pub mod status;
