//! Secret preview links: an editor shares an unpublished article with someone outside the
//! back office (a journalist under embargo) for a limited time, and can withdraw the link.
//! Those who may publish may share; every link made or withdrawn is in the audit log.

use super::{Actor, FieldError, Intent, Newsroom, NewsroomError, Result};
use crate::accounts::{new_token, token_hash};
use crate::domain::user::Permission;
use crate::storage::previews::Audited;
use jiff::{SignedDuration, Timestamp};

/// The longest a preview link may live: an embargo is days, not months.
pub const MAX_PREVIEW_HOURS: i64 = 30 * 24;

impl Newsroom {
    /// A new secret link to article `id`, valid for `hours`: the token (shown once; only its
    /// hash is kept) and when it expires.
    pub async fn share_preview(&self, actor: &Actor, id: i64, hours: i64) -> Result<(String, Timestamp)> {
        self.may_share(actor, id).await?;
        if !(1..=MAX_PREVIEW_HOURS).contains(&hours) {
            let error = FieldError::new("expires", "error_preview_hours").with("max", MAX_PREVIEW_HOURS / 24);
            return Err(NewsroomError::Invalid(vec![error]));
        }
        let token = new_token();
        let now = self.clock.now();
        let expires = now + SignedDuration::from_hours(hours);
        let by = Audited { user_id: actor.user_id, address: &actor.address, at: now };
        self.store.create_preview_link(&token_hash(&token), id, by, expires).await?;
        Ok((token, expires))
    }

    /// Withdraws preview link `link_id` of article `id` before it expires.
    pub async fn withdraw_preview(&self, actor: &Actor, id: i64, link_id: i64) -> Result<()> {
        self.may_share(actor, id).await?;
        let by = Audited { user_id: actor.user_id, address: &actor.address, at: self.clock.now() };
        if !self.store.withdraw_preview_link(id, link_id, by).await? {
            return Err(NewsroomError::NotFound);
        }
        Ok(())
    }

    async fn may_share(&self, actor: &Actor, id: i64) -> Result<()> {
        let (article, author_id) = self.open(actor, id).await?;
        if !self.may(actor, Intent::Open, &article, author_id) || !actor.role.can(Permission::Publish) {
            return Err(NewsroomError::Forbidden);
        }
        Ok(())
    }
}
