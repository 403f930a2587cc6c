//! Sign-in and accounts (`/api/auth/login`, `/api/users`).

use panelist_core::Role;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `POST /api/auth/login`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoginResponse {
    /// A short-lived JWT for the `Authorization: Bearer` header.
    pub token: String,
}

/// `POST /api/users` (admin): a new account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewUser {
    pub email: String,
    pub password: String,
    pub role: Role,
}

/// The account `POST /api/users` created.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserCreated {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
}
