//! `/admin/articles/{id}/gallery`: an article's gallery arranged on a page of its own, plain
//! form controls only (numbers for the order, checkboxes to remove and to add from the
//! library), so it works with any browser and assistive technology, scripts or not.

use super::articles::{actor, load_for};
use super::session::Staff;
use super::{chrome, render, ui_lang};
use crate::i18n;
use crate::newsroom::NewsroomError;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use crate::web::public::media::image_view;
use crate::web::public::{Pager, page_number};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

/// Library photos offered per page.
const LIBRARY_PAGE: u32 = 24;

#[derive(Debug, Default, Deserialize)]
pub struct GalleryQuery {
    page: Option<String>,
    saved: Option<String>,
}

/// `GET /admin/articles/{id}/gallery?page=N`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Query(q): Query<GalleryQuery>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    let page = page_number(q.page.as_deref())?;
    let notice = q.saved.as_ref().map(|_| i18n::text(ui, "admin_gallery_saved", &[]));
    gallery_page(&state, &staff, &headers, &extensions, id, page, StatusCode::OK, notice, None).await
}

#[allow(clippy::too_many_arguments)]
async fn gallery_page(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    extensions: &Extensions,
    id: i64,
    page: u64,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> WebResult<Response> {
    let ui = ui_lang(headers);
    let article = load_for(state, staff, extensions, id).await?;
    let photos = state.store.gallery(id, article.lang.as_str()).await?;
    let ids: Vec<i64> = photos.iter().map(|m| m.id).collect();
    let current: Vec<_> = photos
        .iter()
        .enumerate()
        .map(|(i, m)| {
            context! {
                id => m.id, position => i + 1, caption => &m.caption, credit => &m.credit,
                name => &m.original_name, alt => &m.alt,
                thumb => image_view(m.id, &m.file_key, m.width, m.height, 320),
            }
        })
        .collect();
    let offset = (page - 1) * u64::from(LIBRARY_PAGE);
    let (rows, total) = state.store.media_page(LIBRARY_PAGE, offset).await?;
    let library: Vec<_> = rows
        .iter()
        .filter(|m| !ids.contains(&m.id))
        .map(|m| {
            context! {
                id => m.id, caption => &m.caption, name => &m.original_name, alt => &m.alt,
                thumb => image_view(m.id, &m.file_key, m.width, m.height, 320),
            }
        })
        .collect();
    let base = format!("/admin/articles/{id}/gallery");
    let pager = Pager::new(page, u64::try_from(total).unwrap_or(0), LIBRARY_PAGE, &base);
    let title = i18n::text(ui, "admin_gallery_title", &[("title", &article.title)]);
    let ctx = context! {
        article_id => id, current, library, pager, notice, error, page,
        was => ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
        count => i18n::text(ui, "admin_gallery_count", &[("n", &ids.len().to_string())]),
        ..chrome(state, Some(staff), ui, &title, "articles")
    };
    Ok((status, render(state, "admin/gallery.html", ctx)?).into_response())
}

/// `POST /admin/articles/{id}/gallery`: `was` (the gallery as shown, comma-separated ids),
/// `pos-{photo}` (each photo's new position), `remove` and `add` (photo ids, repeatable).
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Query(q): Query<GalleryQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    let bad = |what: &str| WebError::BadRequest(format!("'{what}' is not a photo number"));
    let number = |v: &str| v.trim().parse::<i64>().map_err(|_| bad(v));
    let mut was = Vec::new();
    let mut positions: Vec<(i64, i64)> = Vec::new();
    let (mut remove, mut add) = (Vec::new(), Vec::new());
    for (key, value) in &pairs {
        match key.as_str() {
            "was" => {
                for v in value.split(',').filter(|v| !v.trim().is_empty()) {
                    was.push(number(v)?);
                }
            }
            "remove" => remove.push(number(value)?),
            "add" => add.push(number(value)?),
            k => {
                if let Some(photo) = k.strip_prefix("pos-") {
                    // An emptied position keeps the photo where it was.
                    let at = value.trim().parse::<i64>().ok();
                    positions.push((number(photo)?, at.unwrap_or(i64::MAX)));
                }
            }
        }
    }
    let photos = arrange(&was, &positions, &remove, &add);
    match state.newsroom.set_gallery(&actor(&staff, &extensions), id, &was, &photos).await {
        Ok(_) => {
            let page = page_number(q.page.as_deref())?;
            Ok(Redirect::to(&format!("/admin/articles/{id}/gallery?saved=1&page={page}")).into_response())
        }
        Err(e @ (NewsroomError::Invalid(_) | NewsroomError::Taken(_) | NewsroomError::Missing(_))) => {
            let status = if matches!(e, NewsroomError::Taken(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let message = e.message(ui);
            gallery_page(&state, &staff, &headers, &extensions, id, 1, status, None, message).await
        }
        Err(e) => Err(WebError::refused(e, ui)),
    }
}

/// The new order: the photos kept, by the positions given (a blank one last), then the ones
/// added, in the order they were ticked.
fn arrange(was: &[i64], positions: &[(i64, i64)], remove: &[i64], add: &[i64]) -> Vec<i64> {
    let mut kept: Vec<(i64, bool, usize, i64)> = was
        .iter()
        .enumerate()
        .filter(|(_, p)| !remove.contains(p))
        .map(|(i, p)| {
            let at = positions.iter().find(|(photo, _)| photo == p).map(|(_, at)| *at).unwrap_or(i64::MAX);
            // A photo moved to a number goes before the one that kept it.
            let stayed = usize::try_from(at).is_ok_and(|at| at == i + 1);
            (at, stayed, i, *p)
        })
        .collect();
    kept.sort();
    let mut out: Vec<i64> = kept.into_iter().map(|(_, _, _, p)| p).collect();
    for p in add {
        if !out.contains(p) {
            out.push(*p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::arrange;

    #[test]
    fn positions_reorder_removals_drop_and_additions_follow() {
        assert_eq!(arrange(&[1, 2, 3], &[(1, 1), (2, 2), (3, 3)], &[], &[]), [1, 2, 3]);
        assert_eq!(arrange(&[1, 2, 3], &[(1, 3), (2, 1), (3, 2)], &[], &[]), [2, 3, 1]);
        // Moving a photo to the front: it goes before the one that was there.
        assert_eq!(arrange(&[1, 2, 3], &[(1, 1), (2, 2), (3, 1)], &[], &[]), [3, 1, 2]);
        assert_eq!(arrange(&[1, 2, 3], &[(1, 1), (2, 2), (3, 3)], &[2], &[7, 1, 8]), [1, 3, 7, 8]);
        assert_eq!(arrange(&[], &[], &[], &[5, 4]), [5, 4]);
        assert_eq!(
            arrange(&[1, 2], &[(1, i64::MAX), (2, 2)], &[], &[]),
            [2, 1],
            "a blank position goes last"
        );
    }
}
