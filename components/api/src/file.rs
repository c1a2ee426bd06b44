//! `file`: named blobs streamed in and out in chunks (Layotto §3.7).
//!
//! The runtime receives PutFile as a client stream and pushes each chunk into a
//! [`FileWriter`] as it arrives, so a large file is never held whole by the runtime; GetFile
//! pulls chunks from a [`FileReader`] and sends each as one message.

use std::time::SystemTime;

use bytes::Bytes;

use crate::{Call, Metadata};

/// The chunk size GetFile uses (Layotto sends up to 100 KiB per message).
pub const CHUNK_SIZE: usize = 102_400;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    pub name: String,
    pub size: u64,
    pub last_modified: SystemTime,
    pub metadata: Metadata,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListRequest {
    /// The directory (or name prefix, for flat stores) to list.
    pub prefix: String,
    /// Continue after this name (exclusive); empty to start at the beginning.
    pub marker: String,
    /// At most this many names; 0 lets the store choose.
    pub page_size: usize,
    pub metadata: Metadata,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListPage {
    pub files: Vec<FileInfo>,
    /// The name of the last file returned: the marker for the next page.
    pub marker: String,
    /// More names follow.
    pub truncated: bool,
}

/// An upload in progress. Dropping it without [`finish`](FileWriter::finish) abandons the
/// upload: nothing becomes visible.
pub trait FileWriter {
    fn write(&mut self, chunk: Bytes) -> Call<'_, ()>;

    /// Makes the file visible under its name, replacing any earlier one.
    fn finish(self: Box<Self>) -> Call<'static, ()>;
}

/// A download in progress.
pub trait FileReader {
    /// The next chunk, or `None` at the end.
    fn next_chunk(&mut self) -> Call<'_, Option<Bytes>>;
}

pub trait FileStore {
    fn put(&self, name: String, metadata: Metadata) -> Call<'_, Box<dyn FileWriter>>;

    fn get(&self, name: String, metadata: Metadata) -> Call<'_, Box<dyn FileReader>>;

    fn list(&self, req: ListRequest) -> Call<'_, ListPage>;

    fn delete(&self, name: String, metadata: Metadata) -> Call<'_, ()>;

    fn stat(&self, name: String, metadata: Metadata) -> Call<'_, FileInfo>;
}
