//! Static pages through the editorial core: who may write them (editors and admins, as for
//! any published text), what they must hold, and optimistic concurrency like articles.

use super::{Actor, FieldError, Newsroom, NewsroomError, Result};
use crate::domain::page::{Page, PageInput};
use crate::domain::user::Permission;
use crate::storage::StoreError;

impl Newsroom {
    /// Creates a page (`id` `None`) or changes one, starting from `version` (required for a
    /// change). The caller drops cached pages afterwards (a page shows in every footer).
    pub async fn save_page(
        &self,
        actor: &Actor,
        id: Option<i64>,
        input: &PageInput,
        version: Option<i64>,
    ) -> Result<Page> {
        if !actor.role.can(Permission::EditAnyArticle) {
            return Err(NewsroomError::Forbidden);
        }
        if id.is_some() && version.is_none() {
            return Err(NewsroomError::VersionRequired);
        }
        if let Err(e) = input.validate(&self.languages) {
            let key = match e.field {
                "title" => "error_page_title",
                "slug" => "error_page_slug",
                "lang" => "error_page_lang",
                _ => "error_page_body",
            };
            let field = if e.field == "body" { "body_html" } else { e.field };
            return Err(NewsroomError::Invalid(vec![FieldError::new(field, key)]));
        }
        let now = self.clock.now();
        match self.store.save_page(id, input, version, actor.user_id, now).await {
            Ok(page) => Ok(page),
            Err(StoreError::SlugTaken(slug)) => {
                Err(NewsroomError::Taken(FieldError::new("slug", "error_page_slug_taken").with("slug", slug)))
            }
            Err(StoreError::Conflict(_)) => {
                Err(NewsroomError::Taken(FieldError::new("version", "admin_page_conflict")))
            }
            Err(e) => Err(e.into()),
        }
    }
}
