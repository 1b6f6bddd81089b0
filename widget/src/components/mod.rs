//! The dialog's components: [`app::App`] owns the state and its effects; the others render
//! parts of it and report what the customer did through `on_<verb>` callbacks. `news`, `paths`
//! and `status` are view functions (cheaper in wasm than components) that report through the
//! root's one `dispatch` callback.

pub mod app;
pub mod dialog;
pub mod news;
pub mod paths;
pub mod rating;
pub mod status;
