//! placeholder
use crate::cli::SuiteArgs;
pub fn run(_a: &SuiteArgs) -> Result<(), String> {
    Ok(())
}
