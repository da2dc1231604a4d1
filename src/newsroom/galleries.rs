//! Articles' galleries: whoever may save an article arranges its gallery from the library.
//! A gallery is bounded (a page of [`MAX_PHOTOS`] at most) and names only photos that exist;
//! every change is audited.

use super::{Actor, FieldError, Intent, Newsroom, NewsroomError, Result};
use crate::storage::editorial::Written;
use crate::storage::galleries::GalleryWrite;

/// Most photos in one gallery: more is a photo archive, not a story's gallery.
pub const MAX_PHOTOS: usize = 60;

impl Newsroom {
    /// Replaces article `id`'s gallery with `photos` in order (repeats dropped), provided it
    /// still holds `expected` — what the person arranging it saw.
    pub async fn set_gallery(
        &self,
        actor: &Actor,
        id: i64,
        expected: &[i64],
        photos: &[i64],
    ) -> Result<Written> {
        let (article, author_id) = self.open(actor, id).await?;
        if !self.may(actor, Intent::Change(super::Action::Save), &article, author_id) {
            return Err(NewsroomError::Forbidden);
        }
        let mut ordered: Vec<i64> = Vec::with_capacity(photos.len());
        for p in photos {
            if !ordered.contains(p) {
                ordered.push(*p);
            }
        }
        if ordered.len() > MAX_PHOTOS {
            return Err(NewsroomError::Invalid(vec![
                FieldError::new("gallery", "error_too_many_photos")
                    .with("n", ordered.len())
                    .with("max", MAX_PHOTOS),
            ]));
        }
        for p in &ordered {
            if self.store.media_by_id(*p).await?.is_none() {
                return Err(NewsroomError::Missing(
                    FieldError::new("gallery", "error_no_photo").with("id", p),
                ));
            }
        }
        let now = self.clock.now();
        match self.store.set_gallery(id, expected, &ordered, actor.user_id, now).await? {
            GalleryWrite::Changed(_) => {
                Err(NewsroomError::Taken(FieldError::new("gallery", "error_gallery_changed")))
            }
            GalleryWrite::Done(written) => {
                let detail = ordered.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
                self.store
                    .audit(
                        actor.user_id,
                        "gallery.set",
                        &format!("article {id}"),
                        &detail,
                        &actor.address,
                        now,
                    )
                    .await?;
                Ok(self.done(*written))
            }
        }
    }
}
