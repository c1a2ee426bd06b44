//! Route registration: every Runtime method, at its full path, with its streaming kind.
#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn every_runtime_method_is_registered() {
    let api = RuntimeApi::new(&GrpcConfig::default(), Vec::new(), "grpc_config").unwrap();
    let mut routes = Routes::new();
    api.register(&WorkerInfo { id: 0, workers: 1 }, &mut routes);
    let methods: Vec<_> = layotto_proto::service_methods(layotto_proto::RUNTIME_SERVICE).collect();
    assert_eq!(methods.len(), 26);
    for m in methods {
        let got = routes.get(m.path).map(|r| format!("{:?}", r.kind()));
        assert_eq!(got, Some(format!("{:?}", m.kind())), "{}", m.path);
    }
    assert_eq!(
        routes.services(),
        vec![layotto_proto::RUNTIME_SERVICE.to_owned()]
    );
}
