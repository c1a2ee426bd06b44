//! Processes the suite starts (targets, peers, other tools): each in its
//! own process group and scratch directory, stopped with SIGTERM (then
//! SIGKILL) to the whole group when dropped, so nothing outlives the suite,
//! not even after a panic.

use std::fs;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("cannot start {what}: {source}")]
    Spawn { what: String, source: io::Error },
    #[error("{what} was not ready within {secs:.1}s{log}")]
    NotReady {
        what: String,
        secs: f64,
        log: String,
    },
    #[error("{what} exited early ({status}){log}")]
    Exited {
        what: String,
        status: String,
        log: String,
    },
    #[error("scratch directory: {0}")]
    Scratch(io::Error),
}

/// A directory under the system temp dir, removed on drop.
#[derive(Debug)]
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> io::Result<Scratch> {
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("layotto-perf-{}-{tag}-{n}", std::process::id()));
        fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A running process group with its log file; killed on drop.
#[derive(Debug)]
pub struct Target {
    pub name: String,
    child: Child,
    log: PathBuf,
    /// Kept alive for the process' files; removed last.
    pub scratch: Scratch,
}

impl Target {
    /// Starts `cmd` with stdout and stderr going to `<scratch>/<name>.log`.
    pub fn spawn(name: &str, mut cmd: Command, scratch: Scratch) -> Result<Target, TargetError> {
        let log = scratch.path().join(format!("{name}.log"));
        let spawn_err = |source| TargetError::Spawn {
            what: name.to_string(),
            source,
        };
        let out = fs::File::create(&log).map_err(spawn_err)?;
        let err = out.try_clone().map_err(spawn_err)?;
        cmd.stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0);
        let child = cmd.spawn().map_err(spawn_err)?;
        Ok(Target {
            name: name.to_string(),
            child,
            log,
            scratch,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The log so far (for readiness checks and error messages).
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn log_tail(&self) -> String {
        let log = self.log();
        let tail: Vec<&str> = log.lines().rev().take(5).collect();
        if tail.is_empty() {
            String::new()
        } else {
            let lines: Vec<&str> = tail.into_iter().rev().collect();
            format!("; log: {}", lines.join(" | "))
        }
    }

    /// Fails if the process has exited.
    pub fn check_alive(&mut self) -> Result<(), TargetError> {
        match self.child.try_wait() {
            Ok(Some(status)) => Err(TargetError::Exited {
                what: self.name.clone(),
                status: status.to_string(),
                log: self.log_tail(),
            }),
            _ => Ok(()),
        }
    }

    /// Polls `ready` every 20 ms until it returns something, the process
    /// exits, or `within` passes.
    pub fn wait_for<T>(
        &mut self,
        within: Duration,
        mut ready: impl FnMut(&Target) -> Option<T>,
    ) -> Result<T, TargetError> {
        let start = Instant::now();
        loop {
            if let Some(v) = ready(self) {
                return Ok(v);
            }
            self.check_alive()?;
            if start.elapsed() > within {
                return Err(TargetError::NotReady {
                    what: self.name.clone(),
                    secs: within.as_secs_f64(),
                    log: self.log_tail(),
                });
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until `addr` accepts TCP connections.
    pub fn wait_for_port(&mut self, addr: SocketAddr, within: Duration) -> Result<(), TargetError> {
        self.wait_for(within, |_| {
            TcpStream::connect_timeout(&addr, Duration::from_millis(200))
                .ok()
                .map(|_| ())
        })
    }

    fn signal_group(&self, signal: &str) {
        let _ = Command::new("kill")
            .args([signal, "--", &format!("-{}", self.child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            self.signal_group("-KILL");
            return;
        }
        self.signal_group("-TERM");
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(3) {
            if let Ok(Some(_)) = self.child.try_wait() {
                // Stragglers in the group (workers) get no second chance.
                self.signal_group("-KILL");
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.signal_group("-KILL");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `prog`, run under `taskset -c cpus` when a CPU list is given: the suite
/// keeps servers and generators on separate cores so runs do not depend on
/// where the scheduler happens to put them.
pub fn pinned(prog: impl AsRef<std::ffi::OsStr>, cpus: Option<&str>) -> Command {
    match cpus {
        Some(list) => {
            let mut cmd = Command::new("taskset");
            cmd.args(["-c", list]).arg(prog);
            cmd
        }
        None => Command::new(prog),
    }
}

/// A loopback port that was free a moment ago (bound, read, released).
pub fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Whether `prog` is on PATH (or is a path that exists).
pub fn which(prog: &str) -> Option<PathBuf> {
    if prog.contains('/') {
        return Path::new(prog).exists().then(|| PathBuf::from(prog));
    }
    let path = std::env::var_os("PATH")?;
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    // Debian puts nginx in /usr/sbin, not on every user's PATH.
    dirs.extend(["/usr/sbin", "/sbin"].map(PathBuf::from));
    dirs.into_iter().map(|d| d.join(prog)).find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_is_killed_on_drop_and_scratch_removed() {
        let scratch = Scratch::new("t").expect("scratch");
        let dir = scratch.path().to_path_buf();
        let mut cmd = Command::new("sh");
        // The background child is forked before `up` is printed, so it is there to be seen.
        cmd.args(["-c", "sleep 30 & echo up; sleep 30"]);
        let mut t = Target::spawn("sh", cmd, scratch).expect("spawn");
        t.wait_for(Duration::from_secs(5), |t| {
            t.log().contains("up").then_some(())
        })
        .expect("ready");
        let pid = t.pid();
        let group = crate::proc_stats::with_descendants(&[pid]);
        assert!(group.len() >= 2, "{group:?}");
        drop(t);
        std::thread::sleep(Duration::from_millis(50));
        for p in group.into_iter().filter(|&p| p != pid) {
            // Gone, or a zombie waiting for init to reap it.
            let stat = fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
            let state = stat
                .rsplit(')')
                .next()
                .and_then(|r| r.split_whitespace().next());
            assert!(
                matches!(state, None | Some("Z") | Some("X")),
                "process {p} survived: {stat}"
            );
        }
        assert!(!dir.exists());
    }

    #[test]
    fn early_exit_is_reported_with_log() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo boom; exit 3"]);
        let mut t =
            Target::spawn("bad", cmd, Scratch::new("bad").expect("scratch")).expect("spawn");
        let err = t
            .wait_for(Duration::from_secs(5), |_| None::<()>)
            .expect_err("must fail");
        assert!(err.to_string().contains("boom"), "{err}");
        assert!(free_port().expect("port") > 0);
        assert!(which("sh").is_some() && which("no-such-prog-xyz").is_none());
    }
}
