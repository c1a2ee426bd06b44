//! Files (in-memory and local, with path confinement), secrets, output bindings and
//! InvokeService against a real HTTP upstream.
#![allow(clippy::unwrap_used)]

mod runtime_support;
mod support;

use runtime_support::{code, pb, start, RuntimeClient};
use tonic::transport::Channel;
use tonic::Code;

fn put(store: &str, name: &str, data: &[u8], first: bool) -> pb::PutFileRequest {
    pb::PutFileRequest {
        store_name: if first { store.into() } else { String::new() },
        name: if first { name.into() } else { String::new() },
        data: data.to_vec(),
        metadata: if first {
            [("FileMode".to_owned(), "420".to_owned())].into()
        } else {
            Default::default()
        },
    }
}

fn req(store: &str, name: &str) -> pb::FileRequest {
    pb::FileRequest {
        store_name: store.into(),
        name: name.into(),
        metadata: Default::default(),
    }
}

async fn get_file(
    c: &mut RuntimeClient<Channel>,
    store: &str,
    name: &str,
) -> Result<(Vec<u8>, usize), tonic::Status> {
    let mut stream = c
        .get_file(pb::GetFileRequest {
            store_name: store.into(),
            name: name.into(),
            metadata: Default::default(),
        })
        .await?
        .into_inner();
    let (mut data, mut chunks) = (Vec::new(), 0);
    while let Some(m) = stream.message().await? {
        assert!(m.data.len() <= 102_400, "chunks are at most 100 KiB");
        data.extend_from_slice(&m.data);
        chunks += 1;
    }
    Ok((data, chunks))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_round_trip_on_both_stores() {
    let env = start();
    let mut c = env.client().await;
    // 250 KiB in three messages.
    let big: Vec<u8> = (0..250 * 1024).map(|i| (i % 251) as u8).collect();
    for store in ["mem", "disk"] {
        let msgs = vec![
            put(store, "dir/a.bin", &big[..100_000], true),
            put(store, "", &big[100_000..200_000], false),
            put(store, "", &big[200_000..], false),
        ];
        c.put_file(tokio_stream::iter(msgs)).await.unwrap();
        c.put_file(tokio_stream::iter(vec![put(
            store,
            "dir/b.txt",
            b"hello",
            true,
        )]))
        .await
        .unwrap();
        let (data, chunks) = get_file(&mut c, store, "dir/a.bin").await.unwrap();
        assert_eq!(data, big, "{store}");
        assert!(chunks >= 3, "{store}: {chunks} chunks");

        let meta = c
            .get_file_meta(pb::GetFileMetaRequest {
                request: Some(req(store, "dir/b.txt")),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(meta.size, 5, "{store}");
        assert!(
            meta.last_modified.ends_with("+0000 UTC"),
            "{store}: {}",
            meta.last_modified
        );

        let list = c
            .list_file(pb::ListFileRequest {
                request: Some(req(store, "dir")),
                page_size: 1,
                marker: String::new(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(list.files.len(), 1, "{store}: {list:?}");
        assert!(list.is_truncated, "{store}");
        let rest = c
            .list_file(pb::ListFileRequest {
                request: Some(req(store, "dir")),
                page_size: 10,
                marker: list.marker.clone(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(rest.files.len(), 1, "{store}: {rest:?}");
        assert!(!rest.is_truncated);
        assert_ne!(rest.files[0].file_name, list.files[0].file_name);

        c.del_file(pb::DelFileRequest {
            request: Some(req(store, "dir/b.txt")),
        })
        .await
        .unwrap();
        let gone = c
            .get_file_meta(pb::GetFileMetaRequest {
                request: Some(req(store, "dir/b.txt")),
            })
            .await;
        assert_eq!(code(gone), Code::NotFound, "{store}");
        assert_eq!(
            code(get_file(&mut c, store, "nope").await),
            Code::NotFound,
            "{store}"
        );
    }
    // The local store keeps files under its root.
    assert!(env.dir.0.join("files/dir/a.bin").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_local_store_refuses_paths_outside_its_root() {
    let env = start();
    let mut c = env.client().await;
    std::fs::write(env.dir.0.join("outside.txt"), "secret").unwrap();
    for name in [
        "../outside.txt",
        "/etc/passwd",
        "a/../../outside.txt",
        "./../x",
        "..",
    ] {
        let r = c
            .put_file(tokio_stream::iter(vec![put("disk", name, b"x", true)]))
            .await;
        assert_eq!(code(r), Code::InvalidArgument, "put {name}");
        assert_eq!(
            code(get_file(&mut c, "disk", name).await),
            Code::InvalidArgument,
            "get {name}"
        );
        let r = c
            .del_file(pb::DelFileRequest {
                request: Some(req("disk", name)),
            })
            .await;
        assert_eq!(code(r), Code::InvalidArgument, "del {name}");
    }
    assert_eq!(
        std::fs::read_to_string(env.dir.0.join("outside.txt")).unwrap(),
        "secret"
    );
    assert_eq!(
        code(c.put_file(tokio_stream::iter(Vec::new())).await),
        Code::InvalidArgument
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_from_env_and_file() {
    let env = start();
    let mut c = env.client().await;
    let path = std::env::var("PATH").unwrap();
    let r = c
        .get_secret(pb::GetSecretRequest {
            store_name: "env".into(),
            key: "PATH".into(),
            metadata: Default::default(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.data.get("PATH"), Some(&path));
    let r = c
        .get_secret(pb::GetSecretRequest {
            store_name: "vault".into(),
            key: "db:user".into(),
            metadata: Default::default(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.data.get("db:user").map(String::as_str), Some("admin"));
    let missing = c
        .get_secret(pb::GetSecretRequest {
            store_name: "vault".into(),
            key: "db".into(),
            metadata: Default::default(),
        })
        .await;
    assert_eq!(code(missing), Code::NotFound);
    let all = c
        .get_bulk_secret(pb::GetBulkSecretRequest {
            store_name: "vault".into(),
            metadata: Default::default(),
        })
        .await
        .unwrap()
        .into_inner();
    let mut keys: Vec<&String> = all.data.keys().collect();
    keys.sort();
    assert_eq!(keys, ["db:password", "db:user", "token"]);
    assert_eq!(
        all.data["token"].secrets.get("token").map(String::as_str),
        Some("abc")
    );
}

fn binding(op: &str, data: &[u8], path: &str) -> pb::InvokeBindingRequest {
    pb::InvokeBindingRequest {
        name: "web".into(),
        data: data.to_vec(),
        metadata: [("path".to_owned(), path.to_owned())].into(),
        operation: op.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_http_binding_calls_its_url() {
    let env = start();
    let mut c = env.client().await;
    let r = c
        .invoke_binding(binding("create", b"{}", "/items"))
        .await
        .unwrap()
        .into_inner();
    let text = String::from_utf8_lossy(&r.data).into_owned();
    assert!(text.starts_with("POST /items\n"), "{text}");
    assert!(text.ends_with("\n{}"), "{text}");
    assert_eq!(
        r.metadata.get("statusCode").map(String::as_str),
        Some("200")
    );
    let r = c
        .invoke_binding(binding("get", b"", "/items/1"))
        .await
        .unwrap()
        .into_inner();
    assert!(String::from_utf8_lossy(&r.data).starts_with("GET /items/1\n"));
    let unknown = c
        .invoke_binding(binding("explode", b"", "/"))
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::InvalidArgument);
    assert!(
        unknown.message().contains("supported:"),
        "{}",
        unknown.message()
    );
    assert_eq!(
        code(c.invoke_binding(binding("", b"", "/")).await),
        Code::InvalidArgument
    );
    let failed = c
        .invoke_binding(binding("get", b"", "/fail"))
        .await
        .unwrap_err();
    assert_eq!(failed.code(), Code::Internal);
    assert!(
        failed
            .message()
            .contains("error when invoke output binding web"),
        "{}",
        failed.message()
    );
}

fn invoke(
    id: &str,
    method: &str,
    verb: Option<pb::http_extension::Verb>,
    body: &[u8],
) -> pb::InvokeServiceRequest {
    pb::InvokeServiceRequest {
        id: id.into(),
        message: Some(pb::CommonInvokeRequest {
            method: method.into(),
            data: Some(prost_types::Any {
                type_url: String::new(),
                value: body.to_vec(),
            }),
            content_type: "application/json".into(),
            http_extension: verb.map(|v| pb::HttpExtension {
                verb: v as i32,
                querystring: "q=1".into(),
            }),
        }),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invoke_service_forwards_over_http() {
    let env = start();
    let mut c = env.client().await;
    let mut request = tonic::Request::new(invoke("echo-app", "hello", None, br#"{"x":1}"#));
    request
        .metadata_mut()
        .insert("x-trace", "t-42".parse().unwrap());
    let r = c.invoke_service(request).await.unwrap().into_inner();
    assert_eq!(r.content_type, "text/plain");
    let text = String::from_utf8_lossy(&r.data.unwrap().value).into_owned();
    assert_eq!(
        text,
        "POST /hello\nid=echo-app\nct=application/json\ntrace=t-42\n{\"x\":1}"
    );

    let r = c
        .invoke_service(invoke(
            "echo-app",
            "/items",
            Some(pb::http_extension::Verb::Get),
            b"",
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(String::from_utf8_lossy(&r.data.unwrap().value).starts_with("GET /items?q=1\n"));

    let unknown = c
        .invoke_service(invoke("nobody", "x", None, b""))
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
    assert!(
        unknown.message().contains("down-app, echo-app"),
        "{}",
        unknown.message()
    );
    assert_eq!(
        code(c.invoke_service(invoke("down-app", "x", None, b"")).await),
        Code::Unavailable
    );
    assert_eq!(
        code(
            c.invoke_service(invoke("echo-app", "fail", None, b""))
                .await
        ),
        Code::Unavailable
    );
    let mut slow = tonic::Request::new(invoke("echo-app", "slow", None, b""));
    slow.metadata_mut()
        .insert("rpc_request_timeout", "300".parse().unwrap());
    assert_eq!(code(c.invoke_service(slow).await), Code::DeadlineExceeded);
    assert_eq!(
        code(c.invoke_service(invoke("", "x", None, b"")).await),
        Code::InvalidArgument
    );
}
