//! Lua scripts run by SHA1 (`EVALSHA`), so a hot script costs 40 bytes on the wire instead of
//! its body; the body is sent (`EVAL`) only when the server answers NOSCRIPT, i.e. after a
//! restart or `SCRIPT FLUSH`, and Redis caches it again from that `EVAL`.

use bytes::Bytes;

use crate::{Client, Command, Reply, RespError};

#[derive(Debug, Clone)]
pub struct Script {
    body: Bytes,
    sha: Bytes,
}

impl Script {
    pub fn new(body: &'static str) -> Script {
        Script {
            body: Bytes::from_static(body.as_bytes()),
            sha: Bytes::from(sha1_smol::Sha1::from(body).digest().to_string()),
        }
    }

    /// The Lua source, e.g. for [`ClientConfig::scripts`](crate::ClientConfig::scripts).
    pub fn body(&self) -> Bytes {
        self.body.clone()
    }

    /// The hex SHA1 Redis knows the script by.
    pub fn sha(&self) -> &str {
        std::str::from_utf8(&self.sha).unwrap_or_default()
    }

    /// `EVALSHA sha numkeys keys... args...`.
    pub fn evalsha(&self, keys: &[Bytes], args: &[Bytes]) -> Command {
        with_args(Command::new("EVALSHA").arg(self.sha.clone()), keys, args)
    }

    /// `EVAL body numkeys keys... args...`: for `MULTI` blocks, where a NOSCRIPT inside the
    /// transaction could not be retried.
    pub fn eval(&self, keys: &[Bytes], args: &[Bytes]) -> Command {
        with_args(Command::new("EVAL").arg(self.body.clone()), keys, args)
    }

    /// Runs the script; the reply may be a [`Reply::Error`] raised by the script.
    pub async fn run(
        &self,
        client: &Client,
        keys: &[Bytes],
        args: &[Bytes],
    ) -> Result<Reply, RespError> {
        let reply = client.call(self.evalsha(keys, args)).await?;
        match reply.error() {
            Some(e) if e.starts_with("NOSCRIPT") => client.call(self.eval(keys, args)).await,
            _ => Ok(reply),
        }
    }

    /// Runs the script once per `(keys, args)` in one pipeline; any that met NOSCRIPT are
    /// sent again with the body, also pipelined. Replies are in call order.
    pub async fn run_all(
        &self,
        client: &Client,
        calls: &[(Vec<Bytes>, Vec<Bytes>)],
    ) -> Result<Vec<Reply>, RespError> {
        let cmds: Vec<Command> = calls.iter().map(|(k, a)| self.evalsha(k, a)).collect();
        let mut replies = client.pipeline(&cmds).await?;
        let missing: Vec<usize> = (0..replies.len())
            .filter(|&i| {
                replies[i]
                    .error()
                    .is_some_and(|e| e.starts_with("NOSCRIPT"))
            })
            .collect();
        if !missing.is_empty() {
            let again: Vec<Command> = missing
                .iter()
                .map(|&i| self.eval(&calls[i].0, &calls[i].1))
                .collect();
            for (i, r) in missing.into_iter().zip(client.pipeline(&again).await?) {
                replies[i] = r;
            }
        }
        Ok(replies)
    }
}

/// `numkeys` for the usual small counts without formatting a number per call.
const SMALL: [&[u8]; 10] = [b"0", b"1", b"2", b"3", b"4", b"5", b"6", b"7", b"8", b"9"];

fn with_args(mut c: Command, keys: &[Bytes], args: &[Bytes]) -> Command {
    c = match SMALL.get(keys.len()) {
        Some(n) => c.arg(Bytes::from_static(n)),
        None => c.arg_int(keys.len() as i64),
    };
    for k in keys {
        c = c.arg(k.clone());
    }
    for a in args {
        c = c.arg(a.clone());
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha_is_the_one_redis_computes() {
        // `redis-cli SCRIPT LOAD "return 1"` prints this digest.
        assert_eq!(
            Script::new("return 1").sha(),
            "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"
        );
    }
}
