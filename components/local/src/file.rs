//! `local` file store: files in one directory of this machine, confined to it.
//!
//! Config: metadata `root`, the directory (created if missing). Layotto's `local` component
//! takes each request's name as a filesystem path anywhere on the machine; we refuse anything
//! outside `root` instead ([`root`] says how), since the names come from applications.
//!
//! Uploads go to a hidden temporary file next to the target (`.layotto-upload-*`) and are
//! renamed over it on `finish`, so readers never see half a file and an abandoned upload is
//! removed. Per-request metadata `FileMode` (decimal, as Layotto's) sets the new file's
//! permission bits; Layotto's `FileFlag` is ignored, the open is always create-and-replace.
//! Stat and list report metadata `FileMode` (decimal permission bits) and `IsDir`.
//!
//! I/O is std's blocking file calls on the worker's thread: fine for the small files a sidecar
//! moves, but a slow disk stalls that core; monoio's io_uring file ops are the upgrade path.

mod root;
#[cfg(test)]
mod tests;

use std::fs::{self, File};
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use layotto_component_api::file::{FileInfo, ListPage, ListRequest, CHUNK_SIZE};
use layotto_component_api::{
    indicator_name, Api, Call, Component, ComponentError, ComponentSpec, FileReader, FileStore,
    FileWriter, Health, HealthIndicator, Instance, Metadata, WorkerInfo,
};

use root::Root;

pub const ROOT_METADATA: &str = "root";
pub const MODE_METADATA: &str = "FileMode";
const UPLOAD_PREFIX: &str = ".layotto-upload-";
const DEFAULT_PAGE: usize = 1000;

pub struct LocalFileStore {
    indicator: String,
    root: Root,
}

pub(crate) fn build(spec: &ComponentSpec) -> Result<Arc<dyn Component>, ComponentError> {
    let dir = spec
        .metadata_str(ROOT_METADATA)
        .filter(|d| !d.is_empty())
        .ok_or_else(|| ComponentError::Metadata {
            key: ROOT_METADATA.into(),
            message: "required: the directory files are kept in".into(),
        })?;
    Ok(Arc::new(LocalFileStore::open(indicator_name(spec), &dir)?))
}

impl LocalFileStore {
    pub fn open(indicator: String, dir: &str) -> Result<LocalFileStore, ComponentError> {
        fs::create_dir_all(dir).map_err(|e| ComponentError::Init(format!("{dir}: {e}")))?;
        let root = Root::new(dir.as_ref()).map_err(ComponentError::Init)?;
        Ok(LocalFileStore { indicator, root })
    }
}

fn io(name: &str, e: std::io::Error) -> ComponentError {
    ComponentError::Internal(format!("file {name:?}: {e}"))
}

fn info(name: String, meta: &fs::Metadata) -> FileInfo {
    let mut metadata = Metadata::new();
    metadata.insert(
        MODE_METADATA.into(),
        (meta.permissions().mode() & 0o7777).to_string(),
    );
    metadata.insert("IsDir".into(), meta.is_dir().to_string());
    FileInfo {
        name,
        size: meta.len(),
        last_modified: meta.modified().unwrap_or(std::time::UNIX_EPOCH),
        metadata,
    }
}

/// One worker's handle: the root, copied.
struct LocalFiles(Root);

impl LocalFiles {
    fn begin(&self, name: &str, metadata: &Metadata) -> Result<Upload, ComponentError> {
        let mode = match metadata.get(MODE_METADATA) {
            None => None,
            Some(raw) => Some(raw.trim().parse::<u32>().map_err(|_| {
                ComponentError::InvalidArgument(format!("{MODE_METADATA} {raw:?} is not a number"))
            })?),
        };
        let target = self.0.for_write(name)?;
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let tmp = target.with_file_name(format!(
            "{UPLOAD_PREFIX}{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let file = File::create(&tmp).map_err(|e| io(name, e))?;
        Ok(Upload {
            name: name.to_owned(),
            file: Some(file),
            tmp,
            target,
            mode,
        })
    }

    fn info_of(&self, name: &str) -> Result<FileInfo, ComponentError> {
        let path = self.0.existing(name)?;
        let meta = fs::metadata(&path).map_err(|e| io(name, e))?;
        Ok(info(name.to_owned(), &meta))
    }

    fn remove(&self, name: &str) -> Result<(), ComponentError> {
        let path = self.0.entry(name)?;
        let meta = fs::symlink_metadata(&path).map_err(|_| ComponentError::NotFound {
            what: "file",
            name: name.to_owned(),
        })?;
        if meta.is_dir() {
            return Err(ComponentError::InvalidArgument(format!(
                "{name:?} is a directory"
            )));
        }
        fs::remove_file(&path).map_err(|e| io(name, e))
    }

    /// One directory's entries (not recursive), named relative to the root, in name order.
    fn list_dir(&self, req: &ListRequest) -> Result<ListPage, ComponentError> {
        let dir = self.0.directory(&req.prefix)?;
        let base = req.prefix.trim_end_matches('/');
        let mut entries: Vec<(String, fs::Metadata)> = Vec::new();
        for entry in fs::read_dir(&dir).map_err(|e| io(&req.prefix, e))? {
            let entry = entry.map_err(|e| io(&req.prefix, e))?;
            let Ok(file) = entry.file_name().into_string() else {
                continue;
            };
            if file.starts_with(UPLOAD_PREFIX) {
                continue;
            }
            let name = if base.is_empty() {
                file
            } else {
                format!("{base}/{file}")
            };
            if name.as_str() <= req.marker.as_str() && !req.marker.is_empty() {
                continue;
            }
            // Not followed: a link's target may be outside the root.
            if let Ok(meta) = entry.metadata() {
                entries.push((name, meta));
            }
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let page = if req.page_size == 0 {
            DEFAULT_PAGE
        } else {
            req.page_size
        };
        let truncated = entries.len() > page;
        entries.truncate(page);
        let files: Vec<FileInfo> = entries.into_iter().map(|(n, m)| info(n, &m)).collect();
        Ok(ListPage {
            marker: files.last().map(|f| f.name.clone()).unwrap_or_default(),
            files,
            truncated,
        })
    }

    fn open(&self, name: &str) -> Result<Download, ComponentError> {
        let path = self.0.existing(name)?;
        if path.is_dir() {
            return Err(ComponentError::InvalidArgument(format!(
                "{name:?} is a directory"
            )));
        }
        let file = File::open(&path).map_err(|e| io(name, e))?;
        Ok(Download {
            name: name.to_owned(),
            file,
        })
    }
}

impl FileStore for LocalFiles {
    fn put(&self, name: String, metadata: Metadata) -> Call<'_, Box<dyn FileWriter>> {
        Box::pin(async move {
            let w: Box<dyn FileWriter> = Box::new(self.begin(&name, &metadata)?);
            Ok(w)
        })
    }

    fn get(&self, name: String, _: Metadata) -> Call<'_, Box<dyn FileReader>> {
        Box::pin(async move {
            let r: Box<dyn FileReader> = Box::new(self.open(&name)?);
            Ok(r)
        })
    }

    fn list(&self, req: ListRequest) -> Call<'_, ListPage> {
        Box::pin(async move { self.list_dir(&req) })
    }

    fn delete(&self, name: String, _: Metadata) -> Call<'_, ()> {
        Box::pin(async move { self.remove(&name) })
    }

    fn stat(&self, name: String, _: Metadata) -> Call<'_, FileInfo> {
        Box::pin(async move { self.info_of(&name) })
    }
}

/// An upload into a temporary file; renamed into place on finish, removed if dropped.
struct Upload {
    name: String,
    file: Option<File>,
    tmp: PathBuf,
    target: PathBuf,
    mode: Option<u32>,
}

impl Upload {
    fn complete(&mut self) -> Result<(), ComponentError> {
        let file = self
            .file
            .take()
            .ok_or_else(|| ComponentError::Internal("upload already finished".into()))?;
        if let Some(mode) = self.mode {
            file.set_permissions(fs::Permissions::from_mode(mode))
                .map_err(|e| io(&self.name, e))?;
        }
        file.sync_all().map_err(|e| io(&self.name, e))?;
        drop(file);
        fs::rename(&self.tmp, &self.target).map_err(|e| io(&self.name, e))
    }
}

impl FileWriter for Upload {
    fn write(&mut self, chunk: Bytes) -> Call<'_, ()> {
        Box::pin(async move {
            let file = self
                .file
                .as_mut()
                .ok_or_else(|| ComponentError::Internal("upload already finished".into()))?;
            file.write_all(&chunk).map_err(|e| io(&self.name, e))
        })
    }

    fn finish(mut self: Box<Self>) -> Call<'static, ()> {
        Box::pin(async move { self.complete() })
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        // Still holding the file: not finished (or finishing failed), so nothing is kept.
        if self.file.take().is_some() || self.tmp.exists() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

struct Download {
    name: String,
    file: File,
}

impl FileReader for Download {
    fn next_chunk(&mut self) -> Call<'_, Option<Bytes>> {
        Box::pin(async move {
            let mut buf = BytesMut::zeroed(CHUNK_SIZE);
            let n = self.file.read(&mut buf).map_err(|e| io(&self.name, e))?;
            if n == 0 {
                return Ok(None);
            }
            buf.truncate(n);
            Ok(Some(buf.freeze()))
        })
    }
}

impl HealthIndicator for LocalFileStore {
    fn name(&self) -> &str {
        &self.indicator
    }
    /// DOWN when the root directory is gone.
    fn health(&self) -> Health {
        if self.root.dir().is_dir() {
            Health::Up
        } else {
            Health::Down(format!("{} is not a directory", self.root.dir().display()))
        }
    }
}

impl Component for LocalFileStore {
    fn api(&self) -> Api {
        Api::File
    }
    fn type_name(&self) -> &str {
        "local"
    }
    fn instance(&self, _: &WorkerInfo) -> Result<Instance, ComponentError> {
        Ok(Instance::File(Rc::new(LocalFiles(self.root.clone()))))
    }
}
