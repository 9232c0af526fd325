//! Whether an icon is installed where icon themes look, so a name that would
//! show as a broken image is not sent to a notification server or tray host.

use std::path::PathBuf;

/// Whether `name` (without extension) is installed in the hicolor theme or
/// as a pixmap, under the user's data folder or one of `XDG_DATA_DIRS`.
pub fn installed(name: &str) -> bool {
    let mut bases: Vec<PathBuf> = Vec::new();
    if let Some(dirs) = directories::BaseDirs::new() {
        bases.push(dirs.data_dir().to_path_buf());
    }
    let data_dirs = std::env::var("XDG_DATA_DIRS")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "/usr/local/share:/usr/share".to_owned());
    bases.extend(
        data_dirs
            .split(':')
            .filter(|d| !d.is_empty())
            .map(PathBuf::from),
    );
    let candidates = [
        format!("icons/hicolor/scalable/apps/{name}.svg"),
        format!("icons/hicolor/48x48/apps/{name}.png"),
        format!("icons/hicolor/256x256/apps/{name}.png"),
        format!("pixmaps/{name}.png"),
        format!("pixmaps/{name}.svg"),
    ];
    bases
        .iter()
        .any(|base| candidates.iter().any(|c| base.join(c).is_file()))
}
