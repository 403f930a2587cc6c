//! With the `ct2` feature (on by default): where the prebuilt CTranslate2 runtime is, for
//! the linker. `models/install-ct2-runtime.sh` (run by `scripts/setup.sh`) puts it in
//! `/usr/local/lib/panelist-ct2` and names that folder to the dynamic loader, so programs
//! and tests find it without an rpath; `PANELIST_CT2_RUNTIME` points elsewhere. A fixed
//! folder, not one inside the check-out, so every clone links the same way.
fn main() {
    println!("cargo:rerun-if-env-changed=PANELIST_CT2_RUNTIME");
    if std::env::var_os("CARGO_FEATURE_CT2").is_none() {
        return;
    }
    let dir = std::env::var("PANELIST_CT2_RUNTIME")
        .unwrap_or_else(|_| "/usr/local/lib/panelist-ct2".to_string());
    let dir = std::path::Path::new(&dir);
    if !dir.join("libctranslate2.so").exists() {
        println!(
            "cargo:warning=the CTranslate2 runtime is missing at {}: run models/fetch-ct2-runtime.sh and models/install-ct2-runtime.sh (scripts/setup.sh does both)",
            dir.display()
        );
    }
    println!("cargo:rerun-if-changed={}", dir.join("libctranslate2.so").display());
    // ct2rs's build script looks for its link stubs in LIBRARY_PATH; this search path
    // reaches every crate that links this one.
    println!("cargo:rustc-link-search=native={}", dir.display());
}
