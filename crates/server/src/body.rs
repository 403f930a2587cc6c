//! JSON bodies in and out, typed by `panelist-wire`. A body the types refuse is answered
//! like every other error (`ErrorBody`: a code and a message naming the field), not with
//! axum's plain-text rejection.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::ApiError;

/// A request or response body as JSON.
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => {
                let message = rejection.body_text();
                Err(match rejection.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(message),
                    StatusCode::UNPROCESSABLE_ENTITY => ApiError::Unprocessable(message),
                    _ => ApiError::BadRequest(message),
                })
            }
        }
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}
