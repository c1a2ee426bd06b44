//! Descriptor-set helpers shared by the wire-contract tests. The expected tables in the tests
//! were transcribed from mosn/layotto spec/proto/runtime/v1/{runtime,appcallback,lifecycle}.proto
//! at commit f9681450 and grpc/grpc-proto (health, reflection), not from this crate's .proto
//! files, so a renumbered or retyped field fails there.
// Each test crate uses a different part of this module and of its re-exports.
#![allow(dead_code, unused_imports, clippy::unwrap_used)]

pub use bytes::Bytes;
pub use prost::Message;
pub use prost_types::field_descriptor_proto::{Label, Type};
pub use prost_types::{DescriptorProto, FileDescriptorProto, FileDescriptorSet};

pub use layotto_proto::spec::proto::runtime::v1 as rt;

pub const PKG: &str = ".spec.proto.runtime.v1.";

pub fn fds() -> FileDescriptorSet {
    FileDescriptorSet::decode(layotto_proto::FILE_DESCRIPTOR_SET).expect("descriptor set decodes")
}

pub fn file<'a>(set: &'a FileDescriptorSet, name: &str) -> &'a FileDescriptorProto {
    set.file
        .iter()
        .find(|f| f.name() == name)
        .unwrap_or_else(|| panic!("file {name} missing from FILE_DESCRIPTOR_SET"))
}

/// Finds a (possibly nested, dot-separated) message in a file.
pub fn message<'a>(f: &'a FileDescriptorProto, path: &str) -> &'a DescriptorProto {
    let mut parts = path.split('.');
    let first = parts.next().expect("non-empty path");
    let mut m = f
        .message_type
        .iter()
        .find(|m| m.name() == first)
        .unwrap_or_else(|| panic!("message {path} missing in {}", f.name()));
    for p in parts {
        m = m
            .nested_type
            .iter()
            .find(|n| n.name() == p)
            .unwrap_or_else(|| panic!("nested {path} missing"));
    }
    m
}

pub fn scalar(t: Type) -> &'static str {
    match t {
        Type::Double => "double",
        Type::Float => "float",
        Type::Int64 => "int64",
        Type::Uint64 => "uint64",
        Type::Int32 => "int32",
        Type::Fixed64 => "fixed64",
        Type::Fixed32 => "fixed32",
        Type::Bool => "bool",
        Type::String => "string",
        Type::Bytes => "bytes",
        Type::Uint32 => "uint32",
        Type::Sfixed32 => "sfixed32",
        Type::Sfixed64 => "sfixed64",
        Type::Sint32 => "sint32",
        Type::Sint64 => "sint64",
        Type::Group | Type::Message | Type::Enum => unreachable!(),
    }
}

/// Renders a field's type like .proto source: `string`, `repeated string`,
/// `map<string,string>`, `optional string`, `Etag`, `enum StateOptions.StateConsistency`,
/// `.google.protobuf.Any`; names in our package are shown without it.
pub fn render_type(owner: &DescriptorProto, f: &prost_types::FieldDescriptorProto) -> String {
    let short = |n: &str| n.strip_prefix(PKG).unwrap_or(n).to_string();
    let base = match f.r#type() {
        Type::Message => {
            let tn = f.type_name();
            // A map field is a repeated message whose nested entry type has map_entry set.
            let entry_name = tn.rsplit('.').next().expect("type name");
            if let Some(entry) = owner.nested_type.iter().find(|n| {
                n.name() == entry_name && n.options.as_ref().is_some_and(|o| o.map_entry())
            }) {
                if tn.ends_with(&format!("{}.{}", owner.name(), entry_name)) {
                    let k = &entry.field[0];
                    let v = &entry.field[1];
                    assert_eq!((k.name(), k.number()), ("key", 1));
                    assert_eq!((v.name(), v.number()), ("value", 2));
                    return format!("map<{},{}>", render_type(entry, k), render_type(entry, v));
                }
            }
            short(tn)
        }
        Type::Enum => format!("enum {}", short(f.type_name())),
        t => scalar(t).to_string(),
    };
    match f.label() {
        Label::Repeated => format!("repeated {base}"),
        _ if f.proto3_optional() => format!("optional {base}"),
        _ => base,
    }
}

/// `(name, number, type)` for every field, in number order, with `oneof:<name>`
/// appended for real oneof members.
pub fn fields_of(m: &DescriptorProto) -> Vec<(String, i32, String)> {
    let mut v: Vec<_> = m
        .field
        .iter()
        .map(|f| {
            let mut t = render_type(m, f);
            if f.oneof_index.is_some() && !f.proto3_optional() {
                let o = &m.oneof_decl[f.oneof_index() as usize];
                t = format!("{t} oneof:{}", o.name());
            }
            (f.name().to_string(), f.number(), t)
        })
        .collect();
    v.sort_by_key(|x| x.1);
    v
}

/// `(field name, number, rendered type)`.
pub type FieldRow<'a> = (&'a str, i32, &'a str);
/// `(message path, its fields)`.
pub type MessageRow<'a> = (&'a str, &'a [FieldRow<'a>]);

pub fn check_messages(file_name: &str, table: &[MessageRow<'_>]) {
    let set = fds();
    let f = file(&set, file_name);
    for (msg, expected) in table {
        let got = fields_of(message(f, msg));
        let mut want: Vec<(String, i32, String)> = expected
            .iter()
            .map(|(n, num, t)| ((*n).to_string(), *num, (*t).to_string()))
            .collect();
        want.sort_by_key(|x| x.1);
        assert_eq!(got, want, "fields of {msg} in {file_name}");
    }
}

/// Enum (dot path to the enum) -> `(value name, number)`.
pub fn check_enum(file_name: &str, path: &str, expected: &[(&str, i32)]) {
    let set = fds();
    let f = file(&set, file_name);
    let (parent, name) = match path.rsplit_once('.') {
        Some((p, n)) => (Some(p), n),
        None => (None, path),
    };
    let enums = match parent {
        Some(p) => &message(f, p).enum_type,
        None => &f.enum_type,
    };
    let e = enums
        .iter()
        .find(|e| e.name() == name)
        .unwrap_or_else(|| panic!("enum {path} missing"));
    let got: Vec<(String, i32)> = e
        .value
        .iter()
        .map(|v| (v.name().to_string(), v.number()))
        .collect();
    let want: Vec<(String, i32)> = expected
        .iter()
        .map(|(n, v)| ((*n).to_string(), *v))
        .collect();
    assert_eq!(got, want, "values of enum {path}");
}

/// `(method, input, output, client_streaming, server_streaming)`; message
/// names without a leading dot are in spec.proto.runtime.v1.
pub type MethodRow = (&'static str, &'static str, &'static str, bool, bool);

pub fn check_service(file_name: &str, package: &str, service: &str, table: &[MethodRow]) {
    let set = fds();
    let f = file(&set, file_name);
    assert_eq!(f.package(), package);
    let s = f
        .service
        .iter()
        .find(|s| s.name() == service)
        .unwrap_or_else(|| panic!("service {service} missing"));
    let qualify = |n: &str| {
        if n.starts_with('.') {
            n.to_string()
        } else {
            format!(".{package}.{n}")
        }
    };
    let got: Vec<_> = s
        .method
        .iter()
        .map(|m| {
            (
                m.name().to_string(),
                m.input_type().to_string(),
                m.output_type().to_string(),
                m.client_streaming(),
                m.server_streaming(),
            )
        })
        .collect();
    let want: Vec<_> = table
        .iter()
        .map(|(n, i, o, cs, ss)| ((*n).to_string(), qualify(i), qualify(o), *cs, *ss))
        .collect();
    assert_eq!(got, want, "methods of {package}.{service}");

    // The router's table must agree with the descriptor.
    let full = format!("{package}.{service}");
    let routed: Vec<_> = layotto_proto::service_methods(&full).collect();
    assert_eq!(routed.len(), table.len(), "METHODS entries for {full}");
    for (r, (n, i, o, cs, ss)) in routed.iter().zip(table) {
        assert_eq!(r.name, *n);
        assert_eq!(r.path, format!("/{full}/{n}"));
        assert_eq!(format!(".{}", r.input_type), qualify(i));
        assert_eq!(format!(".{}", r.output_type), qualify(o));
        assert_eq!((r.client_streaming, r.server_streaming), (*cs, *ss));
        assert_eq!(layotto_proto::method(r.path), Some(*r));
    }
}

pub const RUNTIME: &str = "spec/proto/runtime/v1/runtime.proto";
pub const APPCB: &str = "spec/proto/runtime/v1/appcallback.proto";
pub const LIFECYCLE: &str = "spec/proto/runtime/v1/lifecycle.proto";
pub const EMPTY: &str = ".google.protobuf.Empty";
pub const SS: &str = "map<string,string>";
