//! Folders and files only their owner can open: every folder beatbook creates is made 0700 and
//! every file it writes 0600 (on Unix; elsewhere the system's own rules apply), and a data
//! folder that other people can change is refused.
//!
//! Files are created new (`create_new`): a name that already exists, a link planted there
//! included, is never opened, so nothing is written through a link to somewhere else.
//!
//! sled creates its own files (`db`, `conf`, `blobs/`, `snap.*`) with the process's umask,
//! which this crate cannot pass a mode to. Two things cover them: the folder sled works in is
//! created 0700 before sled opens it, so nobody else can reach anything inside whatever its
//! mode, and what sled made is tightened to 0600 each time the log is opened. The program
//! itself also sets its umask to 0o077 at start (see `main.rs`), so what sled creates while
//! the log is open is private from the start; a program using this crate as a library gets the
//! private folder and the tightening at every open.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use super::StoreError;

/// The mode of every folder beatbook creates.
pub const FOLDER_MODE: u32 = 0o700;
/// The mode of every file beatbook writes.
pub const FILE_MODE: u32 = 0o600;

/// Creates `path` and any missing parents as private folders. Folders that already exist are
/// left as they are.
pub fn create_folder(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, FOLDER_MODE);
    builder.create(path)
}

/// Creates the private file `path` for writing; fails when anything (a link too) is there.
pub fn create_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    options.open(path)
}

/// How many unused temporary names are tried before giving up.
const TEMP_TRIES: u32 = 100;

/// A new private temporary file beside `path` (`.name.partial-PID-N`, hidden), to be renamed
/// onto `path` once complete; the first unused name is taken, so a leftover or planted file of
/// that name is never opened.
pub fn create_temp_beside(path: &Path) -> io::Result<(PathBuf, File)> {
    let Some(name) = path.file_name() else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "that is a folder, not a file name",
        ));
    };
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut last = None;
    for n in 0..TEMP_TRIES {
        let mut temp_name = OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".partial-{}-{n}", std::process::id()));
        let temp = folder.join(temp_name);
        match create_new(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::from(io::ErrorKind::AlreadyExists)))
}

/// Opens the private file `path` for writing in place, creating it if needed, and makes an
/// existing one (from an earlier version) private. A link at `path` is refused.
pub fn open_or_create(path: &Path) -> io::Result<File> {
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a link stands where beatbook keeps its own file",
        ));
    }
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    let file = options.open(path)?;
    make_private(&file, false);
    Ok(file)
}

/// Sets an open file or folder to beatbook's mode. Best effort: a file system without Unix
/// modes (a memory stick) simply keeps its own rules.
fn make_private(file: &File, folder: bool) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if folder { FOLDER_MODE } else { FILE_MODE };
        if let Ok(m) = file.metadata() {
            if m.permissions().mode() & 0o777 != mode {
                let _ = file.set_permissions(fs::Permissions::from_mode(mode));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (file, folder);
}

/// Makes `path` and everything under it private: folders 0700, files 0600. Links are not
/// followed. Best effort, for files made by sled or by earlier versions.
pub fn tighten(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = fs::symlink_metadata(path) else {
            return;
        };
        let mode = if meta.is_dir() {
            FOLDER_MODE
        } else if meta.is_file() {
            FILE_MODE
        } else {
            return;
        };
        if meta.permissions().mode() & 0o777 != mode {
            let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode));
        }
        if meta.is_dir() {
            if let Ok(entries) = fs::read_dir(path) {
                for entry in entries.filter_map(Result::ok) {
                    tighten(&entry.path());
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Whether an entry of the data folder is one beatbook makes there (the log, its key copy and
/// seal, its lock, backups, replaced and set-aside logs): only these are tightened, never
/// anything else a person keeps in a folder they chose.
fn is_beatbooks_own(name: &str) -> bool {
    matches!(
        name,
        "store" | "store.key" | "store.seal" | "beatbook.lock" | "backups"
    ) || ["store.replaced", "store.restoring", "snapshots-set-aside-"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
}

/// Tightens what beatbook keeps in `data_dir` (written by an earlier version, before files
/// were private).
pub fn tighten_data_folder(data_dir: &Path) {
    let Ok(entries) = fs::read_dir(data_dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        if entry.file_name().to_str().is_some_and(is_beatbooks_own) {
            tighten(&entry.path());
        }
    }
}

/// Refuses a data folder that other people can change: writable by its group or by everyone,
/// or owned by another user. A folder that does not exist yet is fine (it is created private).
pub fn refuse_unsafe_data_folder(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(meta) = fs::metadata(dir) else {
            return Ok(());
        };
        let unsafe_folder = |reason: &str| StoreError::UnsafeFolder {
            path: dir.to_path_buf(),
            reason: reason.into(),
        };
        if meta.mode() & 0o022 != 0 {
            return Err(unsafe_folder("other people on this computer can change it"));
        }
        if let Some(me) = current_user() {
            if meta.uid() != me {
                return Err(unsafe_folder("it belongs to another user"));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The user this process runs as, where it can be asked.
#[cfg(unix)]
fn current_user() -> Option<u32> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: geteuid only reads the process's effective user id; it cannot fail.
    return Some(unsafe { libc::geteuid() });
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    None
}

/// Refuses a data folder that is a file, or lies under one (`notes.txt/beatbook`): it could
/// never be created, and "cannot be written to" would send the person after permissions.
pub fn refuse_a_file(dir: &Path) -> Result<(), StoreError> {
    // The nearest part of the path that exists is the one that decides.
    let existing = dir.ancestors().find(|p| fs::metadata(p).is_ok());
    match existing {
        Some(p) if !p.is_dir() => Err(StoreError::NotAFolder(p.to_path_buf())),
        _ => Ok(()),
    }
}

/// The data folder, created private when it is not there; an existing one is checked by
/// [`refuse_unsafe_data_folder`] first.
pub fn prepare_data_folder(dir: &Path) -> Result<(), StoreError> {
    refuse_a_file(dir)?;
    refuse_unsafe_data_folder(dir)?;
    create_folder(dir).map_err(|_| StoreError::NotWritable(dir.to_path_buf()))?;
    tighten_data_folder(dir);
    Ok(())
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        fs::symlink_metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn folders_and_files_are_made_private() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a").join("b");
        create_folder(&nested).unwrap();
        assert_eq!(mode(&dir.path().join("a")), FOLDER_MODE);
        assert_eq!(mode(&nested), FOLDER_MODE);
        let file = nested.join("f");
        create_new(&file).unwrap().write_all(b"x").unwrap();
        assert_eq!(mode(&file), FILE_MODE);
        assert!(
            create_new(&file).is_err(),
            "an existing file is never opened"
        );
        let (temp, _) = create_temp_beside(&file).unwrap();
        assert_eq!(mode(&temp), FILE_MODE);
    }

    #[test]
    fn a_planted_link_is_neither_followed_nor_opened() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        fs::write(&target, b"keep me").unwrap();
        let out = dir.path().join("out.csv");
        let first_temp = dir
            .path()
            .join(format!(".out.csv.partial-{}-0", std::process::id()));
        std::os::unix::fs::symlink(&target, &first_temp).unwrap();
        let (temp, mut file) = create_temp_beside(&out).unwrap();
        assert_ne!(temp, first_temp);
        file.write_all(b"export").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"keep me");

        let seal = dir.path().join("seal");
        std::os::unix::fs::symlink(&target, &seal).unwrap();
        assert!(open_or_create(&seal).is_err());
        assert_eq!(fs::read(&target).unwrap(), b"keep me");
    }
}
