//! layotto-perf: the performance suite of layotto-rs.
//!
//! A load generator built like the sidecar it measures (thread-per-core on
//! monoio, io_uring with an epoll fallback, reads into spare buffer
//! capacity, our own HTTP/1.1 codec), so that on a small machine the
//! generator is not what limits the numbers; and a suite that runs every
//! scenario against the sidecar and a well-known peer in the same session,
//! alternating, and writes a report with ratios and plots.
//!
//! Layout: [`protocol`] (what goes on the wire), [`load`] (closed and open
//! loops), [`stats`] (histograms), [`proc_stats`] (CPU and RSS of the
//! target), [`report`] (text, JSON, SVG, Markdown), [`target`] (processes
//! the suite starts) and [`suite`] (scenarios and peers).

pub mod cli;
pub mod duration;
pub mod load;
pub mod measure;
pub mod proc_stats;
pub mod protocol;
pub mod report;
pub mod stats;
pub mod suite;
pub mod target;
