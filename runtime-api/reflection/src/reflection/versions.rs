//! `v1` and `v1alpha` wire types ↔ [`ReflectionRequest`] / [`ReflectionAnswer`].
//!
//! The two packages declare the same messages field for field, so one
//! macro body serves both; only the module path differs.

use layotto_proto::grpc::reflection::{v1, v1alpha};

use super::{ReflectionAnswer, ReflectionRequest, ReflectionService};

macro_rules! version {
    ($module:ident, $respond:ident, $doc:literal) => {
        impl ReflectionService {
            #[doc = $doc]
            ///
            /// The response echoes the request (`original_request`) and
            /// its host (`valid_host`), as the protocol expects.
            pub fn $respond(
                &self,
                request: &$module::ServerReflectionRequest,
            ) -> $module::ServerReflectionResponse {
                use $module::server_reflection_request::MessageRequest as Q;
                use $module::server_reflection_response::MessageResponse as R;
                let query = match &request.message_request {
                    Some(Q::FileByFilename(name)) => ReflectionRequest::FileByFilename(name),
                    Some(Q::FileContainingSymbol(s)) => ReflectionRequest::FileContainingSymbol(s),
                    Some(Q::FileContainingExtension(e)) => {
                        ReflectionRequest::FileContainingExtension {
                            containing_type: &e.containing_type,
                            number: e.extension_number,
                        }
                    }
                    Some(Q::AllExtensionNumbersOfType(t)) => {
                        ReflectionRequest::AllExtensionNumbersOfType(t)
                    }
                    Some(Q::ListServices(_)) => ReflectionRequest::ListServices,
                    None => ReflectionRequest::Empty,
                };
                let response = match self.answer(query) {
                    ReflectionAnswer::Files(files) => {
                        R::FileDescriptorResponse($module::FileDescriptorResponse {
                            file_descriptor_proto: files,
                        })
                    }
                    ReflectionAnswer::ExtensionNumbers {
                        base_type_name,
                        numbers,
                    } => R::AllExtensionNumbersResponse($module::ExtensionNumberResponse {
                        base_type_name,
                        extension_number: numbers,
                    }),
                    ReflectionAnswer::Services(names) => {
                        R::ListServicesResponse($module::ListServiceResponse {
                            service: names
                                .into_iter()
                                .map(|name| $module::ServiceResponse { name })
                                .collect(),
                        })
                    }
                    ReflectionAnswer::Error { code, message } => {
                        R::ErrorResponse($module::ErrorResponse {
                            error_code: code.as_i32(),
                            error_message: message,
                        })
                    }
                };
                $module::ServerReflectionResponse {
                    valid_host: request.host.clone(),
                    original_request: Some(request.clone()),
                    message_response: Some(response),
                }
            }
        }
    };
}

version!(
    v1,
    respond_v1,
    "Answers one `grpc.reflection.v1` ServerReflectionInfo request."
);
version!(
    v1alpha,
    respond_v1alpha,
    "Answers one `grpc.reflection.v1alpha` ServerReflectionInfo request."
);
