//! With the `ct2` feature: where the prebuilt CTranslate2 runtime is, for the linker and
//! (as an rpath) for this crate's tests, benches and examples at run time. ct2rs's own
//! build script needs it in `LIBRARY_PATH` as well (it checks its static archives there).
fn main() {
    println!("cargo:rerun-if-env-changed=PANELIST_CT2_RUNTIME");
    if std::env::var_os("CARGO_FEATURE_CT2").is_none() {
        return;
    }
    let dir = std::env::var("PANELIST_CT2_RUNTIME")
        .unwrap_or_else(|_| format!("{}/../../models/ct2-runtime", env!("CARGO_MANIFEST_DIR")));
    let dir = std::path::Path::new(&dir);
    if !dir.join("libctranslate2.so").exists() {
        println!(
            "cargo:warning=the CTranslate2 runtime is missing at {}: run models/fetch-ct2-runtime.sh",
            dir.display()
        );
    }
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rustc-link-search=native={}", dir.display());
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.display());
}
