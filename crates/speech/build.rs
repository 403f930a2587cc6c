//! Links libespeak-ng. pkg-config finds it where `libespeak-ng-dev` installed it; without
//! pkg-config metadata we fall back to the plain library name and say what to install.

fn main() {
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    match pkg_config::Config::new()
        .atleast_version("1.49")
        .probe("espeak-ng")
    {
        Ok(_) => {}
        Err(err) => {
            println!(
                "cargo:warning=espeak-ng not found by pkg-config ({err}); \
                 install libespeak-ng-dev (Debian) — trying -lespeak-ng anyway"
            );
            println!("cargo:rustc-link-lib=dylib=espeak-ng");
        }
    }
}
