//! Parsing whole documents: the embedded default, Layotto-style files, and broken ones.

use super::*;

fn err(text: &str) -> String {
    match Config::from_json(text) {
        Ok(_) => panic!("config was accepted: {text}"),
        Err(e) => e.to_string(),
    }
}

fn listener(extra: &str) -> String {
    format!(
        r#"{{"servers":[{{"listeners":[
            {{"name":"a","address":"127.0.0.1:0","bind_port":true}},
            {{"name":"b","address":"127.0.0.1:0",{extra}}}]}}]}}"#
    )
}

#[test]
fn the_embedded_default_parses_without_warnings() {
    let parsed = Config::from_json(DEFAULT_CONFIG).unwrap();
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let listeners: Vec<_> = parsed.config.listeners().collect();
    assert_eq!(listeners.len(), 2);
    assert!(listeners[1].is_actuator());
    assert_eq!(listeners[1].address.port(), 34999);
    let grpc = listeners[0].grpc().unwrap();
    assert_eq!(grpc.grpc_config.app.as_ref().unwrap().app_id, "app1");
    let state: Vec<_> = grpc.grpc_config.components_of(Api::State).collect();
    assert_eq!(state[0].name, "state_demo");
    assert_eq!(state[0].type_name, "in-memory");
    assert_eq!(
        state[0].type_path(),
        "servers[0].listeners[0].filter_chains[0].filters[0].config.grpc_config.state.state_demo.type"
    );
    assert_eq!(
        parsed.config.drain_timeout(),
        Some(std::time::Duration::from_secs(30))
    );
    assert_eq!(parsed.config.log_level(), Some("INFO"));
}

#[test]
fn a_wrong_type_names_its_json_path() {
    assert_eq!(
        err(&listener(r#""bind_port":"yes""#)),
        "servers[0].listeners[1].bind_port: expected boolean, found string"
    );
}

#[test]
fn a_missing_key_names_its_json_path() {
    assert_eq!(
        err(r#"{"servers":[{"listeners":[{"address":"127.0.0.1:1"}]}]}"#),
        "servers[0].listeners[0].name: missing required key"
    );
}

#[test]
fn a_bad_address_is_explained() {
    let e = err(r#"{"servers":[{"listeners":[{"name":"x","address":"localhost"}]}]}"#);
    assert!(
        e.starts_with("servers[0].listeners[0].address: expected \"ip:port\""),
        "{e}"
    );
}

#[test]
fn syntax_errors_give_line_and_column() {
    let e = err("{\n  \"servers\": [\n}");
    assert!(e.starts_with("invalid JSON at line 3, column 1"), "{e}");
}

#[test]
fn unknown_keys_are_warnings_with_paths() {
    let parsed = Config::from_json(&listener(r#""bind_port":true,"colour":"red""#)).unwrap();
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(parsed.warnings[0].path, "servers[0].listeners[1].colour");
}

#[test]
fn layotto_only_keys_are_accepted_silently() {
    let text = r#"{"servers":[{"default_log_path":"stdout","routers":[],
        "listeners":[{"name":"a","address":"127.0.0.1:1","bind_port":true,"type":"ingress"}]}],
        "tracing":{"enable":false},"metrics":{"sinks":[]},"dynamic_resources":{},"cluster_manager":{}}"#;
    let parsed = Config::from_json(text).unwrap();
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
}

#[test]
fn an_unknown_filter_lists_the_known_ones() {
    let e = err(&listener(
        r#""bind_port":true,"filter_chains":[{"filters":[{"type":"tcp"}]}]"#,
    ));
    assert_eq!(
        e,
        "servers[0].listeners[1].filter_chains[0].filters[0].type: unknown filter type \"tcp\"; known types: grpc, proxy"
    );
}

#[test]
fn duplicate_names_and_addresses_are_refused() {
    let e = err(
        r#"{"servers":[{"listeners":[{"name":"a","address":"127.0.0.1:1","bind_port":true},
        {"name":"a","address":"127.0.0.1:2","bind_port":true}]}]}"#,
    );
    assert_eq!(
        e,
        "servers[0].listeners[1].name: duplicate listener name \"a\""
    );
    let e = err(
        r#"{"servers":[{"listeners":[{"name":"a","address":"127.0.0.1:1","bind_port":true},
        {"name":"b","address":"127.0.0.1:1","bind_port":true}]}]}"#,
    );
    assert_eq!(
        e,
        "servers[0].listeners[1].address: 127.0.0.1:1 is already used by listener \"a\""
    );
}

#[test]
fn grpc_config_extras_sit_beside_metadata() {
    let text = r#"{"servers":[{"listeners":[{"name":"g","address":"127.0.0.1:0","bind_port":true,
      "filter_chains":[{"filters":[{"type":"grpc","config":{"server_name":"runtime","grpc_config":{
        "sequencer":{"ids":{"type":"redis","biggerThan":{"order":100},"metadata":{"redisHost":"127.0.0.1:6379"}}},
        "config_store":{"cs":{"type":"etcd","address":["127.0.0.1:2379"],"timeout":"10"}},
        "state":{"kv":{"type":"redis","metadata":{"redisDB":3},
           "secret_ref":[{"store_name":"env","key":"PW","sub_key":"PW","inject_as":"redisPassword"}]}},
        "files":{}
      }}}]}]}]}]}"#;
    let parsed = Config::from_json(text).unwrap();
    let grpc = parsed.config.listeners().next().unwrap().grpc().unwrap();
    let seq = grpc
        .grpc_config
        .components_of(Api::Sequencer)
        .next()
        .unwrap();
    assert_eq!(seq.bigger_than, vec![("order".to_owned(), 100)]);
    let cs = grpc
        .grpc_config
        .components_of(Api::ConfigStore)
        .next()
        .unwrap();
    assert_eq!(cs.address, vec!["127.0.0.1:2379"]);
    assert_eq!(cs.timeout, Some(std::time::Duration::from_secs(10)));
    let kv = grpc.grpc_config.components_of(Api::State).next().unwrap();
    assert_eq!(kv.metadata_str("redisDB").as_deref(), Some("3"));
    assert_eq!(kv.secret_ref[0].inject_as, "redisPassword");
    // Config stores initialise before state stores, as in Layotto.
    let order: Vec<Api> = grpc.grpc_config.components.iter().map(|c| c.api).collect();
    assert_eq!(order, vec![Api::ConfigStore, Api::State, Api::Sequencer]);
    assert!(parsed
        .warnings
        .iter()
        .any(|w| w.message.contains("\"file\"")));
}

#[test]
fn app_targets_are_our_invoke_table() {
    let text = r#"{"servers":[{"listeners":[{"name":"g","address":"127.0.0.1:0","bind_port":true,
      "filter_chains":[{"filters":[{"type":"grpc","config":{"grpc_config":{
        "app_targets":{"orders":"http://127.0.0.1:8080"}}}}]}]}]}]}"#;
    let parsed = Config::from_json(text).unwrap();
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let grpc = parsed.config.listeners().next().unwrap().grpc().unwrap();
    assert_eq!(
        grpc.grpc_config.app_targets,
        vec![("orders".to_owned(), "http://127.0.0.1:8080".to_owned())]
    );
    let bad = text.replace(r#""http://127.0.0.1:8080""#, "8080");
    assert_eq!(
        err(&bad),
        "servers[0].listeners[0].filter_chains[0].filters[0].config.grpc_config.app_targets.orders: expected string, found number"
    );
}

#[test]
fn sequencer_floors_must_be_integers() {
    let text = r#"{"servers":[{"listeners":[{"name":"g","address":"127.0.0.1:0","bind_port":true,
      "filter_chains":[{"filters":[{"type":"grpc","config":{"grpc_config":{
        "sequencer":{"ids":{"type":"in-memory","biggerThan":{"order":"100"}}}}}}]}]}]}]}"#;
    assert_eq!(
        err(text),
        "servers[0].listeners[0].filter_chains[0].filters[0].config.grpc_config.sequencer.ids.biggerThan.order: expected integer, found string"
    );
}

#[test]
fn worker_and_log_options() {
    let text = r#"{"worker":{"count":2,"cpu_pinning":true,"io_driver":"epoll","drain_timeout":"2s"},
      "log":{"level":"debug","format":"json"},
      "servers":[{"processor":8,"listeners":[]}]}"#;
    let c = Config::from_json(text).unwrap().config;
    assert_eq!(c.worker_count(), Some(2));
    assert!(c.worker.cpu_pinning);
    assert_eq!(c.worker.io_driver, IoDriver::Epoll);
    assert_eq!(c.drain_timeout(), Some(std::time::Duration::from_secs(2)));
    assert_eq!(c.log.format, LogFormat::Json);
    assert_eq!(c.log_level(), Some("debug"));
    let e = err(r#"{"worker":{"io_driver":"kqueue"},"servers":[{}]}"#);
    assert_eq!(
        e,
        "worker.io_driver: unknown driver \"kqueue\"; expected \"io_uring\" or \"epoll\""
    );
    let c = Config::from_json(r#"{"servers":[{"processor":3}]}"#)
        .unwrap()
        .config;
    assert_eq!(c.worker_count(), Some(3));
}

#[test]
fn no_servers_is_an_error() {
    assert_eq!(
        err(r#"{"servers":[]}"#),
        "servers: at least one server is required"
    );
    assert_eq!(err("[]"), "$: expected object, found array");
}

#[test]
fn tls_contexts_follow_mosn() {
    let chain = |tls: &str| {
        format!(
            r#"{{"servers":[{{"listeners":[{{"name":"g","address":"127.0.0.1:0","bind_port":true,
            "filter_chains":[{{"tls_context":{tls},"filters":[{{"type":"grpc","config":{{"grpc_config":{{}}}}}}]}}]}}]}}]}}"#
        )
    };
    let c = Config::from_json(&chain(
        r#"{"status":true,"cert_chain":"/c.pem","private_key":"/k.pem"}"#,
    ))
    .unwrap()
    .config;
    let tls = c.listeners().next().unwrap().tls().unwrap();
    assert_eq!(
        (tls.cert_chain.as_str(), tls.private_key.as_str()),
        ("/c.pem", "/k.pem")
    );
    let off = Config::from_json(&chain(r#"{"status":false,"cert_chain":"x"}"#))
        .unwrap()
        .config;
    assert!(off.listeners().next().unwrap().tls().is_none());
    assert_eq!(
        err(&chain(r#"{"status":true,"cert_chain":"/c.pem"}"#)),
        "servers[0].listeners[0].filter_chains[0].tls_context.private_key: missing required key"
    );
    assert!(err(&chain(
        r#"{"status":true,"cert_chain":"a","private_key":"b","verify_client":true}"#
    ))
    .contains("mTLS"));
    assert_eq!(
        TlsContext::load("-----BEGIN X-----\n").unwrap(),
        b"-----BEGIN X-----\n"
    );
}
