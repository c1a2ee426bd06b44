//! Which I/O driver the workers' runtimes use.

/// The driver asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    IoUring,
    Epoll,
}

impl Driver {
    pub fn as_str(self) -> &'static str {
        match self {
            Driver::IoUring => "io_uring",
            Driver::Epoll => "epoll",
        }
    }
}

/// The driver asked for and the one the workers really run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DriverChoice {
    pub requested: Driver,
    pub effective: Driver,
}

impl DriverChoice {
    /// Probes io_uring once, on the main thread, so that every worker runs the same driver
    /// and the fallback is logged once, not once per core. Kernels without io_uring, seccomp
    /// profiles that block it and `kernel.io_uring_disabled` all land on epoll.
    pub fn resolve(requested: Driver) -> DriverChoice {
        let effective = match requested {
            Driver::Epoll => Driver::Epoll,
            Driver::IoUring if monoio::utils::detect_uring() => Driver::IoUring,
            Driver::IoUring => {
                tracing::warn!("io_uring is not available here; falling back to epoll");
                Driver::Epoll
            }
        };
        DriverChoice {
            requested,
            effective,
        }
    }
}
