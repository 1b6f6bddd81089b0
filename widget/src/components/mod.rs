//! The dialog's components: [`app::App`] owns the state and its effects; the others render
//! parts of it and report what the customer did through `on_<verb>` callbacks.

pub mod app;
pub mod dialog;
pub mod rating;
pub mod status;
