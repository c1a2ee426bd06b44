//! `in-memory` file store: named blobs in one ordered map, bounded in total size.
//!
//! One mutex around a `BTreeMap`, not shards: listing pages through names in order, which a
//! hash-sharded map cannot do without visiting every shard, and a file operation copies far
//! more bytes than it spends on the lock. No guard is held across an await: an upload is
//! buffered in its writer and enters the map in one step on `finish`, so a reader sees a file
//! whole or not at all, and an abandoned upload leaves nothing.
//!
//! `maxBytes` (default 64 MiB) bounds the sum of all files' sizes; an upload that would pass it
//! fails with `ResourceExhausted`, as soon as its own size alone passes it.

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::ops::Bound;
use std::rc::Rc;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use bytes::{Bytes, BytesMut};
use layotto_component_api::file::{FileInfo, ListPage, ListRequest, CHUNK_SIZE};
use layotto_component_api::{
    Call, ComponentError, ComponentSpec, FileReader, FileStore, FileWriter, Instance, Metadata,
    WorkerInfo,
};

use crate::blueprint::Shared;

pub const MAX_BYTES_METADATA: &str = "maxBytes";
const DEFAULT_MAX_BYTES: u64 = 64 << 20;
/// Page size when a list request gives none.
const DEFAULT_PAGE: usize = 1000;

struct Stored {
    data: Bytes,
    modified: SystemTime,
    metadata: Metadata,
}

struct Files {
    by_name: BTreeMap<String, Stored>,
    used: u64,
}

pub(crate) struct MemoryFiles {
    // A std mutex; poisoning is recovered (see shards.rs): every update leaves it consistent.
    files: Mutex<Files>,
    max_bytes: u64,
}

fn not_found(name: &str) -> ComponentError {
    ComponentError::NotFound {
        what: "file",
        name: name.to_owned(),
    }
}

fn check_name(name: &str) -> Result<(), ComponentError> {
    if name.is_empty() {
        return Err(ComponentError::InvalidArgument("empty file name".into()));
    }
    Ok(())
}

impl MemoryFiles {
    pub(crate) fn new(max_bytes: u64) -> MemoryFiles {
        MemoryFiles {
            files: Mutex::new(Files {
                by_name: BTreeMap::new(),
                used: 0,
            }),
            max_bytes,
        }
    }

    pub(crate) fn from_spec(spec: &ComponentSpec) -> Result<MemoryFiles, ComponentError> {
        let max = match spec.metadata_str(MAX_BYTES_METADATA) {
            None => DEFAULT_MAX_BYTES,
            Some(raw) => raw
                .trim()
                .parse::<u64>()
                .map_err(|_| ComponentError::Metadata {
                    key: MAX_BYTES_METADATA.into(),
                    message: format!("{raw:?} is not a byte count"),
                })?,
        };
        Ok(MemoryFiles::new(max))
    }

    fn files(&self) -> MutexGuard<'_, Files> {
        self.files.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn too_big(&self, name: &str) -> ComponentError {
        ComponentError::ResourceExhausted(format!(
            "file {name:?} does not fit in the store's {} bytes",
            self.max_bytes
        ))
    }

    fn insert(&self, name: String, data: Bytes, metadata: Metadata) -> Result<(), ComponentError> {
        let mut files = self.files();
        let old = files.by_name.get(&name).map_or(0, |f| f.data.len() as u64);
        let used = files.used - old + data.len() as u64;
        if used > self.max_bytes {
            return Err(self.too_big(&name));
        }
        files.used = used;
        files.by_name.insert(
            name,
            Stored {
                data,
                modified: SystemTime::now(),
                metadata,
            },
        );
        Ok(())
    }

    pub(crate) fn read(&self, name: &str) -> Result<Bytes, ComponentError> {
        self.files()
            .by_name
            .get(name)
            .map(|f| f.data.clone())
            .ok_or_else(|| not_found(name))
    }

    pub(crate) fn stat(&self, name: &str) -> Result<FileInfo, ComponentError> {
        let files = self.files();
        let f = files.by_name.get(name).ok_or_else(|| not_found(name))?;
        Ok(FileInfo {
            name: name.to_owned(),
            size: f.data.len() as u64,
            last_modified: f.modified,
            metadata: f.metadata.clone(),
        })
    }

    pub(crate) fn delete(&self, name: &str) -> Result<(), ComponentError> {
        let mut files = self.files();
        let f = files.by_name.remove(name).ok_or_else(|| not_found(name))?;
        files.used -= f.data.len() as u64;
        Ok(())
    }

    /// Names starting with `prefix`, after `marker`, in order.
    pub(crate) fn list(&self, req: &ListRequest) -> ListPage {
        let page = if req.page_size == 0 {
            DEFAULT_PAGE
        } else {
            req.page_size
        };
        let files = self.files();
        let start = if req.marker.as_str() >= req.prefix.as_str() {
            Bound::Excluded(req.marker.as_str())
        } else {
            Bound::Included(req.prefix.as_str())
        };
        let mut names = files
            .by_name
            .range::<str, _>((start, Bound::Unbounded))
            .take_while(|(n, _)| n.starts_with(&req.prefix));
        let listed: Vec<FileInfo> = names
            .by_ref()
            .take(page)
            .map(|(n, f)| FileInfo {
                name: n.clone(),
                size: f.data.len() as u64,
                last_modified: f.modified,
                metadata: f.metadata.clone(),
            })
            .collect();
        let truncated = names.next().is_some();
        ListPage {
            marker: listed.last().map(|f| f.name.clone()).unwrap_or_default(),
            files: listed,
            truncated,
        }
    }
}

impl Shared for MemoryFiles {
    fn instance(this: &Arc<Self>, _: &WorkerInfo) -> Instance {
        Instance::File(Rc::new(FilesHandle(Arc::clone(this))))
    }
}

struct FilesHandle(Arc<MemoryFiles>);

impl FileStore for FilesHandle {
    fn put(&self, name: String, metadata: Metadata) -> Call<'_, Box<dyn FileWriter>> {
        Box::pin(async move {
            check_name(&name)?;
            let writer: Box<dyn FileWriter> = Box::new(Upload {
                store: Arc::clone(&self.0),
                name,
                metadata,
                buf: BytesMut::new(),
            });
            Ok(writer)
        })
    }

    fn get(&self, name: String, _: Metadata) -> Call<'_, Box<dyn FileReader>> {
        Box::pin(async move {
            let reader: Box<dyn FileReader> = Box::new(Download(self.0.read(&name)?));
            Ok(reader)
        })
    }

    fn list(&self, req: ListRequest) -> Call<'_, ListPage> {
        Box::pin(async move { Ok(self.0.list(&req)) })
    }

    fn delete(&self, name: String, _: Metadata) -> Call<'_, ()> {
        Box::pin(async move { self.0.delete(&name) })
    }

    fn stat(&self, name: String, _: Metadata) -> Call<'_, FileInfo> {
        Box::pin(async move { self.0.stat(&name) })
    }
}

struct Upload {
    store: Arc<MemoryFiles>,
    name: String,
    metadata: Metadata,
    buf: BytesMut,
}

impl FileWriter for Upload {
    fn write(&mut self, chunk: Bytes) -> Call<'_, ()> {
        Box::pin(async move {
            if (self.buf.len() + chunk.len()) as u64 > self.store.max_bytes {
                return Err(self.store.too_big(&self.name));
            }
            self.buf.extend_from_slice(&chunk);
            Ok(())
        })
    }

    fn finish(self: Box<Self>) -> Call<'static, ()> {
        Box::pin(async move {
            let Upload {
                store,
                name,
                metadata,
                buf,
            } = *self;
            store.insert(name, buf.freeze(), metadata)
        })
    }
}

/// The file's bytes (shared, not copied), handed out a chunk at a time.
struct Download(Bytes);

impl FileReader for Download {
    fn next_chunk(&mut self) -> Call<'_, Option<Bytes>> {
        Box::pin(async move {
            if self.0.is_empty() {
                return Ok(None);
            }
            let n = self.0.len().min(CHUNK_SIZE);
            Ok(Some(self.0.split_to(n)))
        })
    }
}
