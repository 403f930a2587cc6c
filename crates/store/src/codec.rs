//! Conversions between domain values and columns.

use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{Result, StoreError};

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt {
        what: "value to encode",
        detail: e.to_string(),
    })
}

pub(crate) fn from_json<T: DeserializeOwned>(what: &'static str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        what,
        detail: e.to_string(),
    })
}

pub(crate) fn parse<T>(what: &'static str, text: &str) -> Result<T>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|e: T::Err| StoreError::Corrupt {
        what,
        detail: e.to_string(),
    })
}

/// Maps a missing row to `NotFound`.
pub(crate) fn found<T>(
    result: rusqlite::Result<T>,
    kind: &'static str,
    id: impl ToString,
) -> Result<T> {
    match result {
        Ok(v) => Ok(v),
        Err(rusqlite::Error::QueryReturnedNoRows) => Err(StoreError::NotFound {
            kind,
            id: id.to_string(),
        }),
        Err(e) => Err(e.into()),
    }
}
