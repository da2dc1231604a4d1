//! Where a redirect may point: only somewhere on this site.
//!
//! A `Location` that starts with `//` or `/\` is read by browsers as another host
//! (`//1249767246/` is a decimal IP address), and one with a CR or LF would split the header.
//! Every redirect built from something a client sent goes through [`local_target`].

pub use crate::domain::redirect::local_target;
