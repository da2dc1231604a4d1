//! Old addresses of an imported site answered with a permanent redirect to where the content
//! lives now (see [`crate::domain::redirect`]). Looked up only for what would otherwise be a
//! 404, so the site's own pages never pay for it.

use super::urls;
use crate::domain::Status;
use crate::domain::redirect::source_key;
use crate::storage::redirects::RedirectTarget;
use crate::web::AppState;
use axum::response::{IntoResponse, Redirect, Response};

/// The permanent redirect for an old address (`path?query` as requested), if it has one and
/// what it leads to is public.
pub async fn lookup(state: &AppState, address: &str) -> Option<Response> {
    let key = source_key(address)?;
    let target = match state.store.redirect(&key).await {
        Ok(target) => target?,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read old addresses");
            return None;
        }
    };
    let path = match target {
        RedirectTarget::Article(article) if article.status == Status::Published => {
            let sections = state.listing.sections(state).await.ok()?;
            let section = sections.iter().find(|s| s.id == article.section_id)?;
            urls::article(&article.lang, &section.slug, &article.slug)
        }
        RedirectTarget::Article(_) => return None,
        RedirectTarget::Path(path) => crate::web::redirect::local_target(&path)?,
    };
    Some(Redirect::permanent(&path).into_response())
}
