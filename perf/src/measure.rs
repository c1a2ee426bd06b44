//! One measured run: the load itself, plus what the target process and the
//! generator spent while it ran. Shared by the command line and the suite.

use crate::load::{self, LoadError, LoadSpec};
use crate::proc_stats::{self_cpu, Monitor};
use crate::protocol::Protocol;
use crate::report::RunReport;

/// Runs `spec` with `proto`, watching `pids` (and their descendants).
pub fn measure<P: Protocol>(
    proto: &P,
    spec: &LoadSpec,
    label: &str,
    pids: &[u32],
) -> Result<RunReport, LoadError> {
    let monitor = (!pids.is_empty()).then(|| Monitor::start(pids));
    let (cpu_before, _) = self_cpu();
    let res = load::run(proto, spec)?;
    let (cpu_after, _) = self_cpu();
    let mut report = RunReport::from_load(label, proto.name(), spec, &res);
    report.target_proc = monitor.map(Monitor::finish);
    report.generator_cpu_s = Some(cpu_after - cpu_before);
    Ok(report)
}
