//! Creating folders and files readable only by the service's user (0700 / 0600 on Unix): the database
//! holds personal data and the data folder holds the signing secret.

use std::io;
use std::path::Path;

/// Creates `dir` and missing parents; folders created here get mode 0700.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Creates an empty file with mode 0600 unless it already exists (existing files are left as they are).
pub fn touch_file(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

/// The permission bits of an existing folder that others than its owner may read or enter; `None`
/// for a private folder (or where the platform has no such bits). Folders created by
/// [`create_dir`] are private; this finds folders someone made beforehand.
pub fn loose_mode(dir: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir).ok()?.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// Logs a warning for each of `dirs` that others than the service's user can read or enter.
pub fn warn_if_loose<'a>(dirs: impl IntoIterator<Item = &'a Path>) {
    for dir in dirs {
        if let Some(mode) = loose_mode(dir) {
            crate::redact::log(&format!(
                "warning: {} has mode {mode:04o}; it holds personal data or the signing secret, run `chmod 700 {}`",
                dir.display(),
                dir.display()
            ));
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn modes_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("a/b");
        super::create_dir(&data).unwrap();
        let file = data.join("db");
        super::touch_file(&file).unwrap();
        super::touch_file(&file).unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&file), 0o600);
        assert_eq!(super::loose_mode(&data), None);
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(super::loose_mode(&data), Some(0o755));
    }
}
