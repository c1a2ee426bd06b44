//! `helloworld`: answers SayHello with the configured greeting (Layotto §3.1).

use std::rc::Rc;
use std::sync::Arc;

use layotto_component_api::hello::{HelloReply, HelloRequest};
use layotto_component_api::{Call, Hello, Instance, WorkerInfo};

use crate::blueprint::Shared;

/// The greeting when the config gives none.
pub const DEFAULT_GREETING: &str = "greeting";

pub(crate) struct Greeting {
    hello: Arc<str>,
}

impl Greeting {
    pub(crate) fn new(hello: Option<&str>) -> Greeting {
        Greeting {
            hello: Arc::from(hello.unwrap_or(DEFAULT_GREETING)),
        }
    }
}

impl Shared for Greeting {
    fn instance(this: &Arc<Self>, _: &WorkerInfo) -> Instance {
        Instance::Hello(Rc::new(HelloWorld {
            hello: Arc::clone(&this.hello),
        }))
    }
}

struct HelloWorld {
    hello: Arc<str>,
}

/// The reply for `name`: the greeting alone, or `"<greeting>, <name>"`.
pub(crate) fn reply(greeting: &str, req: HelloRequest) -> HelloReply {
    let hello = if req.name.is_empty() {
        greeting.to_owned()
    } else {
        format!("{greeting}, {}", req.name)
    };
    HelloReply {
        hello,
        data: req.data,
    }
}

impl Hello for HelloWorld {
    fn say_hello(&self, req: HelloRequest) -> Call<'_, HelloReply> {
        Box::pin(async move { Ok(reply(&self.hello, req)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use layotto_component_api::hello::Opaque;

    #[test]
    fn greeting_with_and_without_a_name_echoes_data() {
        let data = Some(Opaque {
            type_url: "t".into(),
            value: Bytes::from_static(b"x"),
        });
        let r = reply(
            "hi",
            HelloRequest {
                name: "layotto".into(),
                data: data.clone(),
            },
        );
        assert_eq!(r.hello, "hi, layotto");
        assert_eq!(r.data, data);
        assert_eq!(reply("hi", HelloRequest::default()).hello, "hi");
    }

    #[test]
    fn the_instance_answers_with_the_default_greeting() {
        let shared = Arc::new(Greeting::new(None));
        let inst = Greeting::instance(&shared, &WorkerInfo { id: 0, workers: 1 });
        let h = inst.hello().unwrap();
        let r = crate::block_on(h.say_hello(HelloRequest {
            name: "n".into(),
            data: None,
        }))
        .unwrap();
        assert_eq!(r.hello, "greeting, n");
    }
}
