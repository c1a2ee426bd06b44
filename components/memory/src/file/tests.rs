use std::sync::Arc;

use bytes::Bytes;
use layotto_component_api::file::{ListRequest, CHUNK_SIZE};
use layotto_component_api::{ComponentError, FileStore, Metadata, WorkerInfo};

use super::MemoryFiles;
use crate::block_on;
use crate::blueprint::Shared;

fn store(max: u64) -> std::rc::Rc<dyn FileStore> {
    let shared = Arc::new(MemoryFiles::new(max));
    let inst = MemoryFiles::instance(&shared, &WorkerInfo { id: 0, workers: 1 });
    std::rc::Rc::clone(inst.file().unwrap())
}

async fn put(s: &dyn FileStore, name: &str, chunks: &[&[u8]]) -> Result<(), ComponentError> {
    let mut w = s.put(name.into(), Metadata::new()).await?;
    for c in chunks {
        w.write(Bytes::copy_from_slice(c)).await?;
    }
    w.finish().await
}

async fn read_all(s: &dyn FileStore, name: &str) -> Result<Vec<u8>, ComponentError> {
    let mut r = s.get(name.into(), Metadata::new()).await?;
    let mut out = Vec::new();
    while let Some(chunk) = r.next_chunk().await? {
        assert!(chunk.len() <= CHUNK_SIZE);
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

#[test]
fn put_get_stat_delete() {
    let s = store(1 << 20);
    block_on(async {
        put(&*s, "a/b.txt", &[b"hello ", b"world"]).await.unwrap();
        assert_eq!(read_all(&*s, "a/b.txt").await.unwrap(), b"hello world");
        let info = s.stat("a/b.txt".into(), Metadata::new()).await.unwrap();
        assert_eq!(info.size, 11);
        s.delete("a/b.txt".into(), Metadata::new()).await.unwrap();
        let gone = read_all(&*s, "a/b.txt").await;
        assert!(matches!(gone, Err(ComponentError::NotFound { .. })));
        let again = s.delete("a/b.txt".into(), Metadata::new()).await;
        assert!(matches!(again, Err(ComponentError::NotFound { .. })));
        assert!(s.put(String::new(), Metadata::new()).await.is_err());
    });
}

#[test]
fn large_files_come_back_in_chunks() {
    let s = store(1 << 20);
    let big = vec![7u8; CHUNK_SIZE * 2 + 5];
    block_on(async {
        put(&*s, "big", &[&big]).await.unwrap();
        assert_eq!(read_all(&*s, "big").await.unwrap(), big);
    });
}

#[test]
fn an_abandoned_upload_leaves_nothing() {
    let s = store(1 << 20);
    block_on(async {
        let mut w = s.put("half".into(), Metadata::new()).await.unwrap();
        w.write(Bytes::from_static(b"part")).await.unwrap();
        drop(w);
        assert!(s.stat("half".into(), Metadata::new()).await.is_err());
    });
}

#[test]
fn the_total_size_is_bounded() {
    let s = store(10);
    block_on(async {
        put(&*s, "a", &[b"123456"]).await.unwrap();
        let over = put(&*s, "b", &[b"12345"]).await;
        assert!(matches!(over, Err(ComponentError::ResourceExhausted(_))));
        let single = put(&*s, "c", &[b"123456", b"78901"]).await;
        assert!(matches!(single, Err(ComponentError::ResourceExhausted(_))));
        // Replacing a file frees its old size.
        put(&*s, "a", &[b"1234567890"]).await.unwrap();
        s.delete("a".into(), Metadata::new()).await.unwrap();
        put(&*s, "b", &[b"12345"]).await.unwrap();
    });
}

#[test]
fn list_pages_by_marker_within_a_prefix() {
    let s = store(1 << 20);
    block_on(async {
        for n in ["d/1", "d/2", "d/3", "d/4", "d/5", "e/1", "c"] {
            put(&*s, n, &[b"x"]).await.unwrap();
        }
        let mut req = ListRequest {
            prefix: "d/".into(),
            page_size: 2,
            ..ListRequest::default()
        };
        let mut seen = Vec::new();
        loop {
            let page = s.list(req.clone()).await.unwrap();
            seen.extend(page.files.iter().map(|f| f.name.clone()));
            if !page.truncated {
                break;
            }
            assert_eq!(page.files.len(), 2);
            req.marker = page.marker;
        }
        assert_eq!(seen, ["d/1", "d/2", "d/3", "d/4", "d/5"]);
        let all = s.list(ListRequest::default()).await.unwrap();
        assert_eq!(all.files.len(), 7);
        assert!(!all.truncated);
        let before_prefix = ListRequest {
            prefix: "d/".into(),
            marker: "a".into(),
            ..ListRequest::default()
        };
        assert_eq!(s.list(before_prefix).await.unwrap().files.len(), 5);
    });
}
