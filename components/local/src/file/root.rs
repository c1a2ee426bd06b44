//! Confinement: every request names a path relative to the store's root, and nothing a request
//! says may reach outside it.
//!
//! Two checks. Lexically, a name must be non-empty, relative, free of NUL, and made only of
//! normal components (no `..`, no `.`, no root or prefix), so `../x`, `/etc/passwd` and
//! `a/../../x` are refused before the filesystem is touched. Then on the filesystem, the
//! directories a name passes through are canonicalized (symlinks followed) and must still lie
//! under the canonical root, so a symlink inside the root that points out of it is refused.
//! For reads the file itself is resolved too; for writes and deletes the final component is
//! never followed (an upload renames over it; a delete removes the link, not its target).
//!
//! What this does not defend against: a local process that can write inside the root and
//! swaps a directory for a symlink between our check and our use. The guard is against what
//! requests say, not against other users of the machine.

use std::io;
use std::path::{Component, Path, PathBuf};

use layotto_component_api::ComponentError;

#[derive(Debug, Clone)]
pub(crate) struct Root {
    dir: PathBuf,
}

fn refused(name: &str, why: &str) -> ComponentError {
    ComponentError::InvalidArgument(format!("file name {name:?} {why}"))
}

fn io_error(name: &str, e: io::Error) -> ComponentError {
    match e.kind() {
        io::ErrorKind::NotFound => ComponentError::NotFound {
            what: "file",
            name: name.to_owned(),
        },
        io::ErrorKind::PermissionDenied => {
            ComponentError::InvalidArgument(format!("file {name:?}: permission denied"))
        }
        _ => ComponentError::Internal(format!("file {name:?}: {e}")),
    }
}

impl Root {
    pub(crate) fn new(dir: &Path) -> Result<Root, String> {
        let dir = dir
            .canonicalize()
            .map_err(|e| format!("cannot open {}: {e}", dir.display()))?;
        if !dir.is_dir() {
            return Err(format!("{} is not a directory", dir.display()));
        }
        Ok(Root { dir })
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The lexical check: `name` as a relative path of normal components.
    pub(crate) fn relative(name: &str) -> Result<PathBuf, ComponentError> {
        if name.is_empty() {
            return Err(refused(name, "is empty"));
        }
        if name.contains('\0') {
            return Err(refused(name, "contains NUL"));
        }
        let path = Path::new(name);
        if path.is_absolute() {
            return Err(refused(name, "is absolute"));
        }
        for c in path.components() {
            match c {
                Component::Normal(_) => {}
                Component::ParentDir => return Err(refused(name, "contains `..`")),
                Component::CurDir => return Err(refused(name, "contains `.`")),
                Component::RootDir | Component::Prefix(_) => {
                    return Err(refused(name, "is absolute"))
                }
            }
        }
        Ok(path.to_owned())
    }

    /// `path` canonicalized, refused unless it is under the root.
    fn confined(&self, name: &str, path: &Path) -> Result<PathBuf, ComponentError> {
        let real = path.canonicalize().map_err(|e| io_error(name, e))?;
        if real.starts_with(&self.dir) {
            Ok(real)
        } else {
            Err(refused(name, "leads outside the store's root"))
        }
    }

    /// An existing file or directory to read: fully resolved, symlinks included.
    pub(crate) fn existing(&self, name: &str) -> Result<PathBuf, ComponentError> {
        let rel = Root::relative(name)?;
        self.confined(name, &self.dir.join(rel))
    }

    /// A directory to list: `""` is the root itself.
    pub(crate) fn directory(&self, name: &str) -> Result<PathBuf, ComponentError> {
        let name = name.trim_end_matches('/');
        if name.is_empty() {
            return Ok(self.dir.clone());
        }
        self.existing(name)
    }

    /// An existing entry to delete: its directory resolved, its last component not followed.
    pub(crate) fn entry(&self, name: &str) -> Result<PathBuf, ComponentError> {
        let rel = Root::relative(name)?;
        let (parent, file) = split(&rel, name)?;
        let dir = self.confined(name, &self.dir.join(parent))?;
        Ok(dir.join(file))
    }

    /// Where a new file goes: missing directories are created, after checking that the
    /// deepest existing one is under the root.
    pub(crate) fn for_write(&self, name: &str) -> Result<PathBuf, ComponentError> {
        let rel = Root::relative(name)?;
        let (parent, file) = split(&rel, name)?;
        let wanted = self.dir.join(parent);
        let mut existing = wanted.as_path();
        while !existing.exists() {
            existing = existing
                .parent()
                .ok_or_else(|| refused(name, "has no existing directory"))?;
        }
        self.confined(name, existing)?;
        std::fs::create_dir_all(&wanted).map_err(|e| io_error(name, e))?;
        let dir = self.confined(name, &wanted)?;
        if !dir.is_dir() {
            return Err(refused(name, "is below something that is not a directory"));
        }
        Ok(dir.join(file))
    }
}

/// `rel` as (directory, last component).
fn split<'a>(rel: &'a Path, name: &str) -> Result<(&'a Path, &'a std::ffi::OsStr), ComponentError> {
    let file = rel
        .file_name()
        .ok_or_else(|| refused(name, "names no file"))?;
    Ok((rel.parent().unwrap_or(Path::new("")), file))
}
