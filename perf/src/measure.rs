//! One measured run: the load itself, plus what the target process and the
//! generator spent while it ran (after the warm-up, as for the latencies). Shared by the command line and the suite.

use crate::load::{self, LoadError, LoadSpec};
use crate::proc_stats::Monitor;
use crate::protocol::Protocol;
use crate::report::RunReport;

/// Runs `spec` with `proto`, watching `pids` (and their descendants).
pub fn measure<P: Protocol>(
    proto: &P,
    spec: &LoadSpec,
    label: &str,
    pids: &[u32],
) -> Result<RunReport, LoadError> {
    // Both monitors start when the warm-up ends, like the histograms.
    let monitor = (!pids.is_empty()).then(|| Monitor::start_after(pids, spec.warmup, true));
    let own = Monitor::start_after(&[std::process::id()], spec.warmup, false);
    let res = load::run(proto, spec)?;
    let mut report = RunReport::from_load(label, proto.name(), spec, &res);
    report.target_proc = monitor.map(Monitor::finish);
    let own = own.finish();
    report.generator_cpu_s = Some(own.cpu_seconds);
    let target_cpu = report.target_proc.map_or(0.0, |p| p.cpu_seconds);
    report.other_cpu_s = Some((own.machine_cpu_seconds - target_cpu - own.cpu_seconds).max(0.0));
    Ok(report)
}
