//! Declares the app's commands so Tauri generates an `allow-<command>` permission for each;
//! a command missing from this list, or from the capability, is denied to the window.

// The one list of the window's commands (`src/commands/names.rs`): the shell's tests check the
// handler list, the command functions, the capability and `ui/src/api.ts` against it.
include!("src/commands/names.rs");

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        // Build scripts report failure by panicking; there is no caller to return an error to.
        panic!("tauri build step failed: {e:#}");
    }
}
