//! Accounts: argon2id password hashes (OWASP's minimum: 19 MiB, 2 passes, 1 lane), the
//! first administrator, and sign-in with a delay that grows with each failed attempt.

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use password_hash::rand_core::OsRng;
use password_hash::SaltString;

use crate::AdminError;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
pub use panelist_core::throttle::{delay_after, next_attempt, FREE_FAILURES};

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_else(|_| Params::default());
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> Result<String, AdminError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AdminError::Internal(format!("cannot hash the password: {e}")))
}

/// Checks a password against a stored PHC string. The parameters in the string are
/// used, so hashes made with stronger settings later still verify.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

pub fn check_email(email: &str) -> Result<String, AdminError> {
    let email = email.trim();
    let ok = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
        && !email.chars().any(char::is_whitespace);
    if ok {
        Ok(email.to_string())
    } else {
        Err(AdminError::invalid(
            "email",
            "enter an email address like name@example.com",
        ))
    }
}

/// A staff account's full name: at most this many characters (after trimming).
pub const MAX_FULL_NAME_CHARS: usize = 120;

pub fn check_name(name: &str) -> Result<String, AdminError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_FULL_NAME_CHARS {
        return Err(AdminError::invalid(
            "full_name",
            format!("enter a name (at most {MAX_FULL_NAME_CHARS} characters)"),
        ));
    }
    Ok(name.to_string())
}

pub fn check_password(password: &str) -> Result<(), AdminError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AdminError::invalid(
            "password",
            format!("a password has at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if password.len() > 1024 {
        return Err(AdminError::invalid("password", "the password is too long"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let phc = hash_password("correct horse battery").expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_password("correct horse battery", &phc));
        assert!(!verify_password("correct horse batterY", &phc));
        assert!(!verify_password("anything", "not a phc string"));
    }

    #[test]
    fn emails_names_and_passwords_are_checked() {
        assert!(check_email(" hr@example.com ").is_ok());
        for bad in [
            "",
            "hr",
            "hr@",
            "@example.com",
            "h r@example.com",
            "hr@localhost",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        assert!(check_password("short").is_err());
        assert!(check_password("twelve chars").is_ok());
        assert!(check_name("  ").is_err());
    }
}
