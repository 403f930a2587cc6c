//! Integration tests of panelist-export: PDFs read back with poppler's tools, CSV parsed
//! back with the csv crate, JSON validated against the schema file, bulk exports on disk.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bulk;
mod csv;
mod fixture;
mod json;
mod pdf;
