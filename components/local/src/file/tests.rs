use std::os::unix::fs::{symlink, PermissionsExt};

use bytes::Bytes;
use layotto_component_api::file::ListRequest;
use layotto_component_api::{ComponentError, FileStore, Metadata};

use super::*;
use crate::test_support::{block_on, TempDir};

/// A store rooted at `<tmp>/root`, with `<tmp>/outside` beside it.
fn fixture(tag: &str) -> (TempDir, LocalFiles) {
    let tmp = TempDir::new(tag);
    let root = tmp.path().join("root");
    fs::create_dir_all(&root).unwrap();
    fs::create_dir_all(tmp.path().join("outside")).unwrap();
    fs::write(tmp.path().join("outside/secret"), "top secret").unwrap();
    let store = LocalFileStore::open("file/l".into(), root.to_str().unwrap()).unwrap();
    (tmp, LocalFiles(store.root))
}

async fn put(
    s: &dyn FileStore,
    name: &str,
    data: &str,
    meta: Metadata,
) -> Result<(), ComponentError> {
    let mut w = s.put(name.into(), meta).await?;
    w.write(Bytes::copy_from_slice(data.as_bytes())).await?;
    w.finish().await
}

async fn read(s: &dyn FileStore, name: &str) -> Result<String, ComponentError> {
    let mut r = s.get(name.into(), Metadata::new()).await?;
    let mut out = Vec::new();
    while let Some(c) = r.next_chunk().await? {
        out.extend_from_slice(&c);
    }
    Ok(String::from_utf8(out).unwrap())
}

fn is_refused<T: std::fmt::Debug>(r: Result<T, ComponentError>) -> bool {
    matches!(r, Err(ComponentError::InvalidArgument(_)))
}

#[test]
fn round_trip_with_nested_directories_and_mode() {
    let (tmp, s) = fixture("rt");
    block_on(async {
        let meta = Metadata::from([(MODE_METADATA.to_owned(), "416".to_owned())]); // 0o640
        put(&s, "a/b/c.txt", "hello", meta).await.unwrap();
        assert_eq!(read(&s, "a/b/c.txt").await.unwrap(), "hello");
        let info = s.stat("a/b/c.txt".into(), Metadata::new()).await.unwrap();
        assert_eq!(info.size, 5);
        assert_eq!(info.metadata[MODE_METADATA], "416");
        assert_eq!(info.metadata["IsDir"], "false");
        let on_disk = fs::metadata(tmp.path().join("root/a/b/c.txt")).unwrap();
        assert_eq!(on_disk.permissions().mode() & 0o777, 0o640);
        put(&s, "a/b/c.txt", "replaced", Metadata::new())
            .await
            .unwrap();
        assert_eq!(read(&s, "a/b/c.txt").await.unwrap(), "replaced");
        s.delete("a/b/c.txt".into(), Metadata::new()).await.unwrap();
        assert!(matches!(
            read(&s, "a/b/c.txt").await,
            Err(ComponentError::NotFound { .. })
        ));
        assert!(matches!(
            s.delete("a/b/c.txt".into(), Metadata::new()).await,
            Err(ComponentError::NotFound { .. })
        ));
    });
}

#[test]
fn an_abandoned_upload_leaves_no_file() {
    let (tmp, s) = fixture("abandon");
    block_on(async {
        let mut w = s.put("x".into(), Metadata::new()).await.unwrap();
        w.write(Bytes::from_static(b"part")).await.unwrap();
        drop(w);
    });
    assert_eq!(fs::read_dir(tmp.path().join("root")).unwrap().count(), 0);
}

#[test]
fn traversal_is_refused_before_touching_the_disk() {
    let (_tmp, s) = fixture("traversal");
    block_on(async {
        for name in [
            "../x",
            "/etc/passwd",
            "a/../../x",
            "a/..",
            "./x",
            "nul\0byte",
            "",
        ] {
            assert!(is_refused(read(&s, name).await), "get {name:?}");
            assert!(
                is_refused(put(&s, name, "x", Metadata::new()).await),
                "put {name:?}"
            );
            assert!(
                is_refused(s.stat(name.into(), Metadata::new()).await),
                "stat {name:?}"
            );
            assert!(
                is_refused(s.delete(name.into(), Metadata::new()).await),
                "del {name:?}"
            );
        }
        let list = ListRequest {
            prefix: "../outside".into(),
            ..ListRequest::default()
        };
        assert!(is_refused(s.list(list).await));
    });
}

#[test]
fn symlinks_out_of_the_root_are_refused() {
    let (tmp, s) = fixture("symlink");
    let root = tmp.path().join("root");
    symlink(tmp.path().join("outside/secret"), root.join("link")).unwrap();
    symlink(tmp.path().join("outside"), root.join("dir")).unwrap();
    block_on(async {
        assert!(is_refused(read(&s, "link").await), "a file link out");
        assert!(
            is_refused(read(&s, "dir/secret").await),
            "through a dir link"
        );
        assert!(is_refused(
            s.stat("dir/secret".into(), Metadata::new()).await
        ));
        assert!(is_refused(put(&s, "dir/new", "x", Metadata::new()).await));
        assert!(is_refused(
            put(&s, "dir/deeper/new", "x", Metadata::new()).await
        ));
        assert!(is_refused(
            s.delete("dir/secret".into(), Metadata::new()).await
        ));
        let list = ListRequest {
            prefix: "dir".into(),
            ..ListRequest::default()
        };
        assert!(is_refused(s.list(list).await));
        // Deleting the link itself removes the link, not what it points at.
        s.delete("link".into(), Metadata::new()).await.unwrap();
    });
    assert!(!root.join("link").exists());
    assert_eq!(
        fs::read_to_string(tmp.path().join("outside/secret")).unwrap(),
        "top secret"
    );
    assert!(!tmp.path().join("outside/new").exists());
}

#[test]
fn a_symlink_inside_the_root_is_followed() {
    let (tmp, s) = fixture("inner-link");
    let root = tmp.path().join("root");
    fs::write(root.join("real"), "data").unwrap();
    symlink(root.join("real"), root.join("alias")).unwrap();
    block_on(async { assert_eq!(read(&s, "alias").await.unwrap(), "data") });
}

#[test]
fn list_pages_by_marker_in_one_directory() {
    let (_tmp, s) = fixture("list");
    block_on(async {
        for n in ["d/1", "d/2", "d/3", "d/4", "d/5", "top"] {
            put(&s, n, "x", Metadata::new()).await.unwrap();
        }
        let mut req = ListRequest {
            prefix: "d".into(),
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
            req.marker = page.marker;
        }
        assert_eq!(seen, ["d/1", "d/2", "d/3", "d/4", "d/5"]);
        let top = s.list(ListRequest::default()).await.unwrap();
        let names: Vec<_> = top
            .files
            .iter()
            .map(|f| (f.name.as_str(), f.metadata["IsDir"].as_str()))
            .collect();
        assert_eq!(names, [("d", "true"), ("top", "false")]);
        for n in ["d/1", "d/2"] {
            assert_eq!(
                read(&s, n).await.unwrap(),
                "x",
                "listed names can be read back"
            );
        }
    });
}
