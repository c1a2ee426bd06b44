//! Readiness follows the health of each component: DOWN while one is broken, naming it.

#![allow(clippy::unwrap_used)] // fixtures of our own making

mod support;

use support::*;

/// A `local.file` secret store whose file is missing is DOWN, and so is readiness (503), with
/// the component and the reason named; once the file appears, readiness is UP again.
#[test]
fn readiness_is_down_while_a_component_is_unhealthy() {
    for driver in DRIVERS {
        let dir = TempDir::new("secrets");
        let file = dir.0.join("secrets.json");
        let grpc = format!(
            r#"{{ "secret_store": {{ "vault": {{ "type": "local.file",
                "metadata": {{ "secretsFile": "{}" }} }} }},
              "state": {{ "kv": {{ "type": "in-memory" }} }} }}"#,
            file.display()
        );
        let s = Sidecar::start(&config_with(&grpc, ""), &["--io-driver", driver]);

        let r = get(s.actuator(), "/actuator/health/readiness");
        assert_eq!(r.status, 503, "{driver}");
        let v = r.json();
        assert_eq!(v["status"], "DOWN");
        assert_eq!(v["components"]["secret_store/vault"]["status"], "DOWN");
        let reason = v["components"]["secret_store/vault"]["details"]["reason"]
            .as_str()
            .unwrap();
        assert!(reason.contains("secrets.json"), "{reason}");
        assert_eq!(v["components"]["state/kv"]["status"], "UP");
        // Liveness does not depend on backends.
        assert_eq!(get(s.actuator(), "/actuator/health/liveness").status, 200);

        std::fs::write(&file, r#"{"token": "t"}"#).unwrap();
        let r = get(s.actuator(), "/actuator/health/readiness");
        assert_eq!(r.status, 200);
        assert_eq!(r.json()["components"]["secret_store/vault"]["status"], "UP");

        std::fs::write(&file, "{broken").unwrap();
        assert_eq!(get(s.actuator(), "/actuator/health/readiness").status, 503);
    }
}
