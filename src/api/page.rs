//! One shape for every collection: `{ "items": [...], "next_cursor": "..." }`, read
//! with `limit` and `cursor` and keyset pagination. A list handler takes
//! [`PageQuery`], asks for `limit + 1` rows after [`PageQuery::after`] in its
//! order, and answers [`Page::of`].

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::error::{ApiError, ApiResult};

/// Most items a page holds.
pub const MAX_LIMIT: i64 = 200;
/// Items in a page when the request names no `limit`.
pub const DEFAULT_LIMIT: i64 = 50;

/// A page of a collection.
#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Where a page ended, bound to the order it was read in: a cursor of one sort
/// (column and direction) used with another would skip or repeat rows, and is refused.
#[derive(Deserialize, Serialize)]
pub struct Cursor {
    pub sort: String,
    #[serde(default)]
    pub descending: bool,
    /// The last item's sort value, as text.
    pub value: String,
    pub id: Uuid,
}

impl Cursor {
    pub fn encode(&self) -> String {
        hex::encode(serde_json::to_vec(self).expect("a cursor serializes"))
    }

    /// The cursor in `text`, which must have been made for this `sort` and direction.
    pub fn decode(text: &str, sort: &str, descending: bool) -> ApiResult<Cursor> {
        let cursor: Cursor = hex::decode(text)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(|| ApiError::validation("cursor", "is not a cursor of this listing"))?;
        if cursor.sort != sort || cursor.descending != descending {
            return Err(ApiError::validation(
                "cursor",
                "belongs to another sort: keep the sort the cursor was made with",
            ));
        }
        Ok(cursor)
    }
}

/// `limit` and `cursor` of a list in a fixed order.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageQuery {
    pub fn limit(&self) -> ApiResult<i64> {
        parse_limit(self.limit)
    }

    /// The (sort value, id) the page starts after, for a list ordered by `sort`.
    pub fn after(&self, sort: &str, descending: bool) -> ApiResult<(Option<String>, Option<Uuid>)> {
        match &self.cursor {
            Some(text) => Cursor::decode(text, sort, descending).map(|c| (Some(c.value), Some(c.id))),
            None => Ok((None, None)),
        }
    }
}

pub fn parse_limit(limit: Option<i64>) -> ApiResult<i64> {
    match limit {
        Some(l) if (1..=MAX_LIMIT).contains(&l) => Ok(l),
        Some(_) => Err(ApiError::validation("limit", format!("must be 1 to {MAX_LIMIT}"))),
        None => Ok(DEFAULT_LIMIT),
    }
}

impl<T> Page<T> {
    /// A page from up to `limit + 1` rows read in order: the extra row only says
    /// there is more; `key` gives an item's (sort value, id) for the cursor.
    pub fn of(mut items: Vec<T>, limit: i64, sort: &str, descending: bool, key: impl Fn(&T) -> (String, Uuid)) -> Self {
        let more = items.len() as i64 > limit;
        items.truncate(limit as usize);
        let next_cursor = match (more, items.last()) {
            (true, Some(last)) => {
                let (value, id) = key(last);
                Some(Cursor { sort: sort.into(), descending, value, id }.encode())
            }
            _ => None,
        };
        Page { items, next_cursor }
    }
}

/// A row added to a collection: 201 with the new row's `Location`.
pub type Created<T> = (axum::http::StatusCode, [(axum::http::HeaderName, String); 1], T);

pub fn created<T>(location: String, body: T) -> Created<T> {
    (axum::http::StatusCode::CREATED, [(axum::http::header::LOCATION, location)], body)
}
