//! A real `redis-server` for tests: started on a free loopback port with no persistence,
//! waited for until it answers, killed and reaped on drop.
//!
//! Tests that need Redis use this rather than a mock so that what they check (stored layout,
//! scripts, failures when it dies) is what a production Redis does. The binary comes from
//! Debian's `redis-server` package, which `.ci/run` installs; `REDIS_SERVER` overrides the path.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)] // test support: a failure here is a broken test machine

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `redis-server`.
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    extra: Vec<String>,
}

impl RedisServer {
    /// Starts one on a free port; panics (failing the test) if it does not answer in 10 s.
    pub fn start() -> RedisServer {
        RedisServer::start_with(&[])
    }

    /// Starts one with extra `redis-server` arguments, e.g. `["--requirepass", "s3cret"]`.
    ///
    /// Tests run in parallel and some kill and restart their server, so a port that was free a
    /// moment ago may be taken again before redis-server binds it: a start that finds another
    /// server on its port tries a new one.
    pub fn start_with(extra: &[&str]) -> RedisServer {
        let mut server = RedisServer {
            child: None,
            port: 0,
            extra: extra.iter().map(|s| s.to_string()).collect(),
        };
        let mut why = String::new();
        for _ in 0..5 {
            server.port = free_port();
            match server.spawn() {
                Ok(()) => return server,
                Err(e) => {
                    server.kill();
                    why = e;
                }
            }
        }
        panic!("redis-server did not start: {why}");
    }

    /// Starts the child and waits until the server on the port is that child.
    fn spawn(&mut self) -> Result<(), String> {
        let bin = std::env::var("REDIS_SERVER").unwrap_or_else(|_| "redis-server".into());
        let mut cmd = Command::new(&bin);
        cmd.args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--save", ""])
            .args(["--appendonly", "no"])
            .args(["--protected-mode", "no"])
            .args(["--loglevel", "warning"])
            .args(&self.extra)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        let child = cmd.spawn().unwrap_or_else(|e| {
            panic!("cannot start {bin}: {e} (install Debian's redis-server package)")
        });
        let pid = child.id();
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                return Err(format!("port {}: exited at start: {status}", self.port));
            }
            match self.server_pid() {
                Some(p) if p == pid => return Ok(()),
                Some(p) => {
                    return Err(format!("port {} is served by pid {p}, not ours", self.port))
                }
                None => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        Err(format!("port {}: no answer in 10 s", self.port))
    }

    /// The `process_id` of whatever Redis answers on the port, if one does.
    fn server_pid(&self) -> Option<u32> {
        let mut request = Vec::new();
        let auth = self.auth_args();
        if let Some(pass) = auth.last() {
            request.extend_from_slice(
                format!("*2\r\n$4\r\nAUTH\r\n${}\r\n{pass}\r\n", pass.len()).as_bytes(),
            );
        }
        request.extend_from_slice(b"*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n");
        let mut s = TcpStream::connect(self.addr()).ok()?;
        s.set_read_timeout(Some(Duration::from_millis(500))).ok()?;
        s.write_all(&request).ok()?;
        let mut text = String::new();
        let mut buf = [0u8; 4096];
        while !text.contains("process_id:") || !text[text.find("process_id:")?..].contains("\r\n") {
            let n = s.read(&mut buf).ok().filter(|n| *n > 0)?;
            text.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
        let at = text.find("process_id:")? + "process_id:".len();
        text[at..].split("\r\n").next()?.trim().parse().ok()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// `127.0.0.1:<port>`, as a component's `redisHost`.
    pub fn host(&self) -> String {
        self.addr().to_string()
    }

    /// Kills it (SIGKILL: no chance to save or answer), leaving the port free.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port, with the same arguments (data is gone unless the
    /// arguments persist it).
    pub fn restart(&mut self) {
        self.kill();
        if let Err(e) = self.spawn() {
            panic!("redis-server did not restart: {e}");
        }
    }

    /// Runs one command with `redis-cli` (the independent client) and returns its raw output,
    /// trimmed. Arguments are passed as they are, no shell.
    pub fn cli(&self, args: &[&str]) -> String {
        let out = Command::new("redis-cli")
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(self.auth_args())
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run redis-cli: {e}"));
        assert!(
            out.status.success(),
            "redis-cli {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim_end().to_owned()
    }

    fn auth_args(&self) -> Vec<String> {
        let mut it = self.extra.iter();
        while let Some(a) = it.next() {
            if a == "--requirepass" {
                if let Some(p) = it.next() {
                    return vec!["--no-auth-warning".into(), "-a".into(), p.clone()];
                }
            }
        }
        Vec::new()
    }

    /// Sends raw bytes and returns what arrives within `wait`: for checks below the client
    /// libraries (pipelining, protocol errors).
    pub fn raw(&self, bytes: &[u8], wait: Duration) -> Vec<u8> {
        let mut s = TcpStream::connect(self.addr()).unwrap();
        s.set_read_timeout(Some(wait)).unwrap();
        s.write_all(bytes).unwrap();
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = s.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A port nobody listens on right now. Racy in principle (another process may take it before
/// redis-server binds), which start() turns into a clear panic rather than a wrong server.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
