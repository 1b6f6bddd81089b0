//! The dialog's components: [`app::App`] owns the state and its effects; the others render
//! parts of it and report what the customer did through `on_<verb>` callbacks (`news` and
//! `paths` are view functions that report through the root's one `dispatch` callback).

pub mod app;
pub mod dialog;
pub mod news;
pub mod paths;
pub mod rating;
pub mod status;
