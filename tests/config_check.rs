//! `layotto check` and `layotto start` refuse broken configs, naming the JSON path.

#![allow(clippy::unwrap_used)] // fixtures of our own making

mod support;

use std::process::{Command, Output};

use support::*;

fn run(args: &[&str], config: Option<&str>) -> (Output, TempDir) {
    let dir = TempDir::new("check");
    let mut cmd = Command::new(BIN);
    cmd.args(args);
    if let Some(text) = config {
        let path = dir.0.join("config.json");
        std::fs::write(&path, text).unwrap();
        cmd.arg("-c").arg(path);
    }
    (cmd.env_remove("RUNTIME_CONFIG").output().unwrap(), dir)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The embedded default and every file in configs/ pass `check`.
#[test]
fn shipped_configs_are_valid() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/configs");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let o = Command::new(BIN)
                .arg("check")
                .arg("-c")
                .arg(&path)
                .output()
                .unwrap();
            assert!(o.status.success(), "{}: {}", path.display(), stderr(&o));
            assert!(
                !stderr(&o).contains("warning"),
                "{}: {}",
                path.display(),
                stderr(&o)
            );
            checked += 1;
        }
    }
    assert!(checked >= 1);
}

/// A value of the wrong type: exit 2 and the path of the value.
#[test]
fn a_wrong_type_fails_with_its_path() {
    let bad = config_with(default_grpc_config(), "").replacen(
        r#""bind_port": true"#,
        r#""bind_port": 1"#,
        2,
    );
    for cmd in ["check", "start"] {
        let (o, _d) = run(&[cmd], Some(&bad));
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        assert!(
            stderr(&o)
                .contains("servers[0].listeners[0].bind_port: expected boolean, found number"),
            "{cmd}: {}",
            stderr(&o)
        );
    }
}

/// An unknown component type lists the types that exist.
#[test]
fn an_unknown_component_type_lists_known_types() {
    let bad = config_with(r#"{ "lock": { "l": { "type": "zookeeper" } } }"#, "");
    let (o, _d) = run(&["check"], Some(&bad));
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("grpc_config.lock.l.type: unknown lock component type \"zookeeper\"; known types: in-memory"), "{e}");
    let (o, _d) = run(&["start"], Some(&bad));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown lock component type"),
        "{}",
        stderr(&o)
    );
}

/// Unknown keys are warnings naming them; the config still passes.
#[test]
fn unknown_keys_warn() {
    let text = config_with(default_grpc_config(), r#""colour": "red","#);
    let (o, _d) = run(&["check"], Some(&text));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: colour: unknown key"),
        "{}",
        stderr(&o)
    );
}

/// Not JSON, a missing file, a component whose metadata is unusable.
#[test]
fn other_broken_configs() {
    let (o, _d) = run(&["check"], Some("{ \"servers\": [ "));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("invalid JSON at line 1"),
        "{}",
        stderr(&o)
    );

    let o = Command::new(BIN)
        .args(["check", "-c", "/nonexistent/layotto.json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/layotto.json"));

    let bad = config_with(
        r#"{ "secret_store": { "s": { "type": "local.file" } } }"#,
        "",
    );
    let (o, _d) = run(&["start"], Some(&bad));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("grpc_config.secret_store.s: metadata.secretsFile: required"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn version_prints_the_version() {
    let o = Command::new(BIN).arg("version").output().unwrap();
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        format!("layotto {}", env!("CARGO_PKG_VERSION"))
    );
}
