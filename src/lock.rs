//! The data folder's single-writer lock.
//!
//! Only one process may write a data folder at a time: SQLite would cope,
//! but the tantivy index has one writer, and two pollers would fetch every
//! feed twice. Writers (the daemon, `poll`, `feeds add`, `reindex`) hold an
//! OS file lock on `data_dir/tricorder.lock`, which the kernel releases when
//! the process dies, even by kill -9: no stale locks to clean up. The holder
//! writes its PID into the file so others can say who holds it.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Held for as long as the value lives.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
    pub path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another tricorder process{} is writing to {dir}; stop it first (or, for the daemon, let it do the work: it polls on its own schedule)",
        pid.map(|p| format!(" (pid {p})")).unwrap_or_default()
    )]
    Busy { dir: String, pid: Option<u32> },
    // The io error is in the message, not a `source`: shown once, not twice.
    #[error("cannot use lock file {path}: {message}")]
    Io { path: String, message: String },
    #[error(
        "the data folder {dir} cannot be written ({message}): writing commands need write \
         access; reading ones (search, status, trends, questions, digest --preview) work without it"
    )]
    ReadOnly { dir: String, message: String },
}

pub fn lock_path(data_dir: &Path) -> PathBuf {
    data_dir.join("tricorder.lock")
}

/// Takes the lock without waiting.
pub fn acquire(data_dir: &Path) -> Result<DataLock, LockError> {
    let path = lock_path(data_dir);
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => {
            LockError::ReadOnly {
                dir: data_dir.display().to_string(),
                message: e.to_string(),
            }
        }
        _ => LockError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        },
    };
    std::fs::create_dir_all(data_dir).map_err(io)?;
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(LockError::Busy {
                dir: data_dir.display().to_string(),
                pid: holder_pid(data_dir),
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
    }
    file.set_len(0).map_err(io)?;
    file.rewind().map_err(io)?;
    write!(file, "{}", std::process::id()).map_err(io)?;
    file.flush().map_err(io)?;
    Ok(DataLock { _file: file, path })
}

/// The PID of the process holding the lock, or `None` if nobody holds it.
pub fn holder_pid(data_dir: &Path) -> Option<u32> {
    let path = lock_path(data_dir);
    let file = File::open(&path).ok()?;
    // If we can take a shared lock, nobody holds the exclusive one.
    if file.try_lock_shared().is_ok() {
        return None;
    }
    let mut s = String::new();
    (&file).read_to_string(&mut s).ok()?;
    s.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_writer_is_refused_with_the_pid() {
        let dir = tempfile::tempdir().unwrap();
        let held = acquire(dir.path()).unwrap();
        match acquire(dir.path()) {
            Err(LockError::Busy { pid, .. }) => assert_eq!(pid, Some(std::process::id())),
            other => panic!("expected Busy, got {other:?}"),
        }
        assert_eq!(holder_pid(dir.path()), Some(std::process::id()));
        drop(held);
        assert_eq!(holder_pid(dir.path()), None);
        acquire(dir.path()).unwrap();
    }
}
