//! What every new connection sends first (AUTH, SELECT, SCRIPT LOAD) and how the answers are
//! judged. Shared by the worker connections and the blocking health probe, so both refuse the
//! same things: an error reply, a reply nobody asked for, or bytes that are not RESP, all
//! framed by [`ReplyDecoder`]'s limits (a hostile server gets no recursion here either).

use crate::{ClientConfig, Command, Reply, ReplyDecoder};

/// The setup commands for `config`, then `PING` if asked (the probe's liveness check).
pub(crate) fn commands(config: &ClientConfig, ping: bool) -> Vec<Command> {
    let mut cmds = Vec::new();
    if let Some(pass) = &config.password {
        let mut auth = Command::new("AUTH");
        if let Some(user) = &config.username {
            auth = auth.arg_str(user);
        }
        cmds.push(auth.arg_str(pass));
    }
    if config.db != 0 {
        cmds.push(Command::new("SELECT").arg_int(i64::from(config.db)));
    }
    // Loaded on every connection so that EVALSHA finds them even right after a Redis restart,
    // when a NOSCRIPT fallback in a pipelined batch could otherwise reorder writes.
    for body in &config.scripts {
        cmds.push(Command::new("SCRIPT").arg_str("LOAD").arg(body.clone()));
    }
    if ping {
        cmds.push(Command::new("PING"));
    }
    cmds
}

/// Judges the replies buffered in `decoder`; `answered` counts those seen so far. `Ok(true)`
/// once every command is answered (and nothing more arrived), `Ok(false)` if more must be
/// read.
pub(crate) fn answers(
    decoder: &mut ReplyDecoder,
    cmds: &[Command],
    answered: &mut usize,
) -> Result<bool, String> {
    while let Some(reply) = decoder.next_reply().map_err(|e| e.to_string())? {
        let Some(cmd) = cmds.get(*answered) else {
            return Err("a reply nobody asked for during the handshake".into());
        };
        let name = String::from_utf8_lossy(cmd.name()).into_owned();
        match reply {
            Reply::Error(e) => return Err(format!("{name} refused: {e}")),
            Reply::Status(s) if name == "PING" && &s[..] != b"PONG" => {
                return Err(format!("PING answered {:?}", String::from_utf8_lossy(&s)))
            }
            _ => {}
        }
        *answered += 1;
    }
    if *answered == cmds.len() && !decoder.buffer().is_empty() {
        return Err("bytes nobody asked for after the handshake".into());
    }
    Ok(*answered == cmds.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(bytes: &[u8], cmds: &[Command]) -> Result<bool, String> {
        let mut d = ReplyDecoder::new(1 << 16);
        d.buffer().extend_from_slice(bytes);
        answers(&mut d, cmds, &mut 0)
    }

    #[test]
    fn refusals_extra_replies_and_hostile_nesting_are_errors_not_panics() {
        let auth = [Command::new("AUTH").arg_str("pw")];
        assert_eq!(judge(b"+OK\r\n", &auth), Ok(true));
        assert_eq!(judge(b"+O", &auth), Ok(false));
        assert!(judge(b"-WRONGPASS no\r\n", &auth)
            .unwrap_err()
            .contains("AUTH refused"));
        assert!(judge(b"+OK\r\n-ERR x\r\n", &auth)
            .unwrap_err()
            .contains("nobody asked"));
        assert!(judge(b"+OK\r\n+O", &auth)
            .unwrap_err()
            .contains("after the handshake"));
        assert!(judge(&b"*1\r\n".repeat(100_000), &auth).is_err());
        let ping = [Command::new("PING")];
        assert!(judge(b"+NOPE\r\n", &ping)
            .unwrap_err()
            .contains("PING answered"));
    }
}
