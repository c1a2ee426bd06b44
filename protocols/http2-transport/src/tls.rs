//! HTTP/2 over TLS: rustls with ALPN `h2`, on monoio.
//!
//! Only `h2` is offered in ALPN, so a client that can speak nothing else fails the handshake
//! (rustls answers `no_application_protocol`) instead of sending HTTP/1 bytes at an HTTP/2
//! server. A client that offers no ALPN at all is served HTTP/2, as gRPC clients that skip ALPN
//! expect (prior knowledge over TLS).

use std::io;
use std::sync::Arc;

use monoio::net::TcpStream;
use monoio_rustls::{ServerTlsStream, TlsAcceptor};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ServerConfig;

/// Why a certificate or key could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsConfigError {
    #[error("{what}: {source}")]
    Read {
        what: &'static str,
        source: io::Error,
    },
    #[error("{0}: no PEM item found")]
    Empty(&'static str),
    #[error("invalid certificate or key: {0}")]
    Rustls(#[from] rustls::Error),
}

fn certs(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, TlsConfigError> {
    let certs: Vec<_> = rustls_pemfile::certs(&mut &pem[..])
        .collect::<Result<_, _>>()
        .map_err(|source| TlsConfigError::Read {
            what: "certificate chain",
            source,
        })?;
    if certs.is_empty() {
        return Err(TlsConfigError::Empty("certificate chain"));
    }
    Ok(certs)
}

fn key(pem: &[u8]) -> Result<PrivateKeyDer<'static>, TlsConfigError> {
    rustls_pemfile::private_key(&mut &pem[..])
        .map_err(|source| TlsConfigError::Read {
            what: "private key",
            source,
        })?
        .ok_or(TlsConfigError::Empty("private key"))
}

/// A server config for HTTP/2 from PEM bytes (certificate chain, then private key).
pub fn server_config(
    cert_chain_pem: &[u8],
    key_pem: &[u8],
) -> Result<Arc<ServerConfig>, TlsConfigError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs(cert_chain_pem)?, key(key_pem)?)?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(Arc::new(config))
}

/// Runs the TLS handshake on an accepted connection.
pub async fn accept(
    config: &Arc<ServerConfig>,
    tcp: TcpStream,
) -> io::Result<ServerTlsStream<TcpStream>> {
    TlsAcceptor::from(Arc::clone(config))
        .accept(tcp)
        .await
        .map_err(io::Error::other)
}
