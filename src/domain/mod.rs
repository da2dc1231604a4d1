//! The newsroom vocabulary: what an article, a section, a language and a slug are, and the rules
//! they obey. Nothing here does I/O; storage, web and import code build on these types so that
//! every way content enters the system is held to the same rules.

pub mod article;
pub mod change;
pub mod clock;
pub mod dates;
pub mod lang;
pub mod markup;
pub mod page;
pub mod redirect;
pub mod section;
pub mod slug;
pub mod tag;
pub mod user;
pub mod video;

pub use article::{Article, ArticleExtras, ArticleInput, Status, ValidationError};
pub use change::ChangeKind;
pub use clock::{Clock, FixedClock, SystemClock};
pub use lang::Lang;
pub use section::Section;
pub use tag::Tag;
