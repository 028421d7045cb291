//! Writing output files: create the directory, write a temporary file next to the target and
//! rename it into place, so a reader never sees half a manifest or envelope.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::exit::{CliError, CliResult};

/// Writes `contents` to `path`, replacing any existing file atomically.
pub fn write_atomically(path: &Path, contents: &[u8]) -> CliResult<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .map_err(|error| CliError::io("create directory", parent, &error))?;
    }
    let temporary = temporary_path(path);
    let result = fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(contents)?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&temporary, path));
    if let Err(error) = result {
        // Best effort: do not leave the temporary file behind.
        let _ = fs::remove_file(&temporary);
        return Err(CliError::io("write", path, &error));
    }
    Ok(())
}

fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".{}.tmp", std::process::id()));
    path.with_file_name(name)
}
