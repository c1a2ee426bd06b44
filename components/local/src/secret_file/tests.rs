use super::*;
use crate::test_support::{block_on, TempDir};

fn store(path: &std::path::Path, multi_valued: bool) -> FileSecretStore {
    FileSecretStore {
        indicator: "secret_store/s".into(),
        file: SecretFile {
            path: path.to_owned(),
            separator: ":".into(),
            multi_valued,
        },
    }
}

fn secret(pairs: &[(&str, &str)]) -> Secret {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn nested_secrets_flatten_and_health_follows_the_file() {
    let dir = TempDir::new("secret");
    let file = dir.path().join("secrets.json");
    let s = store(&file, false);
    assert_eq!(s.health().status(), "DOWN");
    assert!(s.health().reason().contains("secrets.json"));
    std::fs::write(&file, r#"{"db":{"password":"pw","port":5432},"token":"t"}"#).unwrap();
    assert!(s.health().is_up());
    assert_eq!(s.get("db:password").unwrap().as_deref(), Some("pw"));
    assert_eq!(s.get("db:port").unwrap().as_deref(), Some("5432"));
    assert_eq!(s.get("nope").unwrap(), None);
    std::fs::write(&file, "not json").unwrap();
    assert!(s.health().reason().contains("not valid JSON"));
}

#[test]
fn the_secret_store_api_flat_and_multi_valued() {
    let dir = TempDir::new("secret-api");
    let file = dir.path().join("secrets.json");
    std::fs::write(&file, r#"{"db":{"user":"u","pw":"p"},"token":"t"}"#).unwrap();
    let flat = store(&file, false);
    let inst = flat.instance(&WorkerInfo { id: 0, workers: 1 }).unwrap();
    let s = inst.secret_store().unwrap();
    block_on(async {
        let got = s.get("db:user".into(), Metadata::new()).await.unwrap();
        assert_eq!(got, secret(&[("db:user", "u")]));
        let missing = s.get("db".into(), Metadata::new()).await;
        assert!(matches!(missing, Err(ComponentError::NotFound { .. })));
        let all = s.bulk_get(Metadata::new()).await.unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all["token"], secret(&[("token", "t")]));
    });
    let multi = store(&file, true);
    let inst = multi.instance(&WorkerInfo { id: 0, workers: 1 }).unwrap();
    let s = inst.secret_store().unwrap();
    block_on(async {
        let db = s.get("db".into(), Metadata::new()).await.unwrap();
        assert_eq!(db, secret(&[("pw", "p"), ("user", "u")]));
        let token = s.get("token".into(), Metadata::new()).await.unwrap();
        assert_eq!(token, secret(&[("token", "t")]));
        assert_eq!(s.bulk_get(Metadata::new()).await.unwrap().len(), 2);
    });
    std::fs::remove_file(&file).unwrap();
    let gone = block_on(s.get("db".into(), Metadata::new()));
    assert!(matches!(gone, Err(ComponentError::Unavailable(_))));
}
