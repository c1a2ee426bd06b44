//! gRPC server reflection (`grpc.reflection.v1.ServerReflection` and the
//! older `v1alpha`, which many clients still call) as request → response
//! logic over an encoded `FileDescriptorSet`.
//!
//! Both versions have identical messages in two packages, so the logic is
//! written once over [`ReflectionRequest`] / [`ReflectionAnswer`] and
//! `versions` converts each prost type family to and from them.
//! ServerReflectionInfo is a bidi stream: the server answers each request
//! message with [`ReflectionService::respond_v1`] (or `_v1alpha`).

mod index;
mod versions;

use bytes::Bytes;
use layotto_grpc::Code;
use thiserror::Error;

use index::Index;

/// Why a [`ReflectionService`] could not be built.
#[derive(Debug, Error)]
pub enum ReflectionError {
    /// The bytes are not a `FileDescriptorSet`.
    #[error("invalid descriptor set: {0}")]
    Decode(#[from] prost::DecodeError),
    /// Two files with the same name.
    #[error("file {0:?} appears twice in the descriptor set")]
    DuplicateFile(String),
    /// A file imports one the set does not contain: clients could not
    /// build a descriptor pool from our answers.
    #[error("{file:?} imports {dependency:?}, which the descriptor set lacks")]
    MissingDependency {
        /// The importing file.
        file: String,
        /// The missing import.
        dependency: String,
    },
    /// A served service has no descriptor in the set.
    #[error("service {0:?} is not in the descriptor set")]
    UnknownService(String),
}

/// A reflection request, whichever version it came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReflectionRequest<'a> {
    /// `file_by_filename`.
    FileByFilename(&'a str),
    /// `file_containing_symbol` (fully-qualified, leading dot optional).
    FileContainingSymbol(&'a str),
    /// `file_containing_extension`.
    FileContainingExtension {
        /// Fully-qualified extended message.
        containing_type: &'a str,
        /// Extension field number.
        number: i32,
    },
    /// `all_extension_numbers_of_type`.
    AllExtensionNumbersOfType(&'a str),
    /// `list_services` (its string argument is ignored, as everyone does).
    ListServices,
    /// No `message_request` set.
    Empty,
}

/// A reflection answer, whichever version it goes out in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReflectionAnswer {
    /// Encoded `FileDescriptorProto`s: the requested file first, then its
    /// transitive dependencies, each once.
    Files(Vec<Bytes>),
    /// Extension numbers of a message type.
    ExtensionNumbers {
        /// The type asked about (no leading dot).
        base_type_name: String,
        /// Its extension field numbers, sorted.
        numbers: Vec<i32>,
    },
    /// Fully-qualified names of the served services.
    Services(Vec<String>),
    /// `error_response`: a gRPC code and message; the stream stays open.
    Error {
        /// gRPC status code.
        code: Code,
        /// What was not found or wrong.
        message: String,
    },
}

/// Answers reflection requests from one descriptor set.
#[derive(Debug)]
pub struct ReflectionService {
    index: Index,
    services: Vec<String>,
}

impl ReflectionService {
    /// Decodes `descriptor_set` (an encoded `FileDescriptorSet`, e.g.
    /// `layotto_proto::FILE_DESCRIPTOR_SET`) once and indexes it.
    /// `services` are the fully-qualified services actually served; each
    /// must be described by the set (list order is kept).
    pub fn new<I, S>(
        descriptor_set: &[u8],
        services: I,
    ) -> Result<ReflectionService, ReflectionError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let index = Index::new(descriptor_set)?;
        let mut listed: Vec<String> = Vec::new();
        for service in services {
            let service = service.as_ref();
            if !index.has_symbol(service) {
                return Err(ReflectionError::UnknownService(service.to_owned()));
            }
            if !listed.iter().any(|s| s == service) {
                listed.push(service.to_owned());
            }
        }
        Ok(ReflectionService {
            index,
            services: listed,
        })
    }

    /// The services `list_services` reports.
    pub fn services(&self) -> &[String] {
        &self.services
    }

    /// Answers one request (version-independent).
    pub fn answer(&self, request: ReflectionRequest<'_>) -> ReflectionAnswer {
        match request {
            ReflectionRequest::ListServices => ReflectionAnswer::Services(self.services.clone()),
            ReflectionRequest::FileByFilename(name) => self
                .index
                .file_by_name(name)
                .map(|f| self.files(f))
                .unwrap_or_else(|| not_found(format!("file {name:?} not found"))),
            ReflectionRequest::FileContainingSymbol(symbol) => self
                .index
                .file_of_symbol(symbol)
                .map(|f| self.files(f))
                .unwrap_or_else(|| not_found(format!("symbol {symbol:?} not found"))),
            ReflectionRequest::FileContainingExtension {
                containing_type,
                number,
            } => self
                .index
                .file_of_extension(containing_type, number)
                .map(|f| self.files(f))
                .unwrap_or_else(|| {
                    not_found(format!(
                        "extension {number} of {containing_type:?} not found"
                    ))
                }),
            ReflectionRequest::AllExtensionNumbersOfType(name) => {
                match self.index.extension_numbers(name) {
                    Some(numbers) => ReflectionAnswer::ExtensionNumbers {
                        base_type_name: name.trim_start_matches('.').to_owned(),
                        numbers,
                    },
                    None => not_found(format!("type {name:?} not found")),
                }
            }
            ReflectionRequest::Empty => ReflectionAnswer::Error {
                code: Code::InvalidArgument,
                message: "request has no message_request".into(),
            },
        }
    }

    fn files(&self, file: usize) -> ReflectionAnswer {
        ReflectionAnswer::Files(self.index.with_dependencies(file))
    }
}

fn not_found(message: String) -> ReflectionAnswer {
    ReflectionAnswer::Error {
        code: Code::NotFound,
        message,
    }
}
