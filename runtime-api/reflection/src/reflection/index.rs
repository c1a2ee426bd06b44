//! The decoded descriptor set, indexed for reflection: file by name,
//! symbol → file, extension → file, and each file's encoded bytes.

use std::collections::HashMap;

use bytes::Bytes;
use prost::Message;
use prost_types::{DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorSet};

use super::ReflectionError;

#[derive(Debug)]
struct File {
    encoded: Bytes,
    /// Indices of direct dependencies, in declaration order.
    deps: Vec<usize>,
}

/// Everything reflection looks up, built once.
#[derive(Debug, Default)]
pub(crate) struct Index {
    files: Vec<File>,
    by_name: HashMap<String, usize>,
    /// Fully-qualified symbol (no leading dot) → file.
    symbols: HashMap<String, usize>,
    /// Message types (for the extension queries), no leading dot.
    messages: HashMap<String, usize>,
    /// (extendee, field number) → file declaring the extension.
    extensions: HashMap<(String, i32), usize>,
}

fn qualify(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_owned()
    } else {
        format!("{scope}.{name}")
    }
}

impl Index {
    pub(crate) fn new(descriptor_set: &[u8]) -> Result<Index, ReflectionError> {
        let set = FileDescriptorSet::decode(descriptor_set)?;
        let mut index = Index::default();
        for (i, file) in set.file.iter().enumerate() {
            let name = file.name().to_owned();
            if index.by_name.insert(name.clone(), i).is_some() {
                return Err(ReflectionError::DuplicateFile(name));
            }
        }
        for (i, file) in set.file.iter().enumerate() {
            let deps = file
                .dependency
                .iter()
                .map(|d| {
                    index.by_name.get(d).copied().ok_or_else(|| {
                        ReflectionError::MissingDependency {
                            file: file.name().to_owned(),
                            dependency: d.clone(),
                        }
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            index.files.push(File {
                encoded: Bytes::from(file.encode_to_vec()),
                deps,
            });
            let package = file.package();
            for message in &file.message_type {
                index.add_message(i, package, message);
            }
            for e in &file.enum_type {
                index.add_enum(i, package, e);
            }
            for ext in &file.extension {
                index.add_extension(i, package, ext);
            }
            for service in &file.service {
                let service_name = qualify(package, service.name());
                for method in &service.method {
                    index.add_symbol(qualify(&service_name, method.name()), i);
                }
                index.add_symbol(service_name, i);
            }
        }
        Ok(index)
    }

    fn add_symbol(&mut self, name: String, file: usize) {
        // A valid set has no duplicates; if one slips in, the first wins.
        self.symbols.entry(name).or_insert(file);
    }

    fn add_message(&mut self, file: usize, scope: &str, message: &DescriptorProto) {
        let name = qualify(scope, message.name());
        for field in &message.field {
            self.add_symbol(qualify(&name, field.name()), file);
        }
        for oneof in &message.oneof_decl {
            self.add_symbol(qualify(&name, oneof.name()), file);
        }
        for nested in &message.nested_type {
            self.add_message(file, &name, nested);
        }
        for e in &message.enum_type {
            self.add_enum(file, &name, e);
        }
        for ext in &message.extension {
            self.add_extension(file, &name, ext);
        }
        self.messages.entry(name.clone()).or_insert(file);
        self.add_symbol(name, file);
    }

    fn add_enum(&mut self, file: usize, scope: &str, e: &EnumDescriptorProto) {
        // Protobuf scoping: enum values are siblings of their enum.
        for value in &e.value {
            self.add_symbol(qualify(scope, value.name()), file);
        }
        self.add_symbol(qualify(scope, e.name()), file);
    }

    fn add_extension(&mut self, file: usize, scope: &str, ext: &FieldDescriptorProto) {
        let extendee = ext.extendee().trim_start_matches('.').to_owned();
        self.extensions
            .entry((extendee, ext.number()))
            .or_insert(file);
        self.add_symbol(qualify(scope, ext.name()), file);
    }

    pub(crate) fn file_by_name(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    pub(crate) fn file_of_symbol(&self, symbol: &str) -> Option<usize> {
        self.symbols.get(symbol.trim_start_matches('.')).copied()
    }

    pub(crate) fn has_symbol(&self, symbol: &str) -> bool {
        self.file_of_symbol(symbol).is_some()
    }

    pub(crate) fn file_of_extension(&self, extendee: &str, number: i32) -> Option<usize> {
        let key = (extendee.trim_start_matches('.').to_owned(), number);
        self.extensions.get(&key).copied()
    }

    /// Extension numbers declared for a message type, sorted; `None` when
    /// the type is not a message of the set.
    pub(crate) fn extension_numbers(&self, message: &str) -> Option<Vec<i32>> {
        let message = message.trim_start_matches('.');
        self.messages.get(message)?;
        let mut numbers: Vec<i32> = self
            .extensions
            .keys()
            .filter(|(extendee, _)| extendee == message)
            .map(|(_, n)| *n)
            .collect();
        numbers.sort_unstable();
        Some(numbers)
    }

    /// The file, then its transitive dependencies (depth-first, in
    /// declaration order), each once: clients such as grpcurl build their
    /// descriptor pool from exactly this list.
    pub(crate) fn with_dependencies(&self, file: usize) -> Vec<Bytes> {
        let mut seen = vec![false; self.files.len()];
        let mut out = Vec::new();
        let mut stack = vec![file];
        while let Some(i) = stack.pop() {
            let Some(entry) = self.files.get(i) else {
                continue;
            };
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            out.push(entry.encoded.clone());
            // Reversed so the first dependency is visited first.
            stack.extend(entry.deps.iter().rev());
        }
        out
    }
}
