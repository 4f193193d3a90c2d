//! A workbook study read and computed in one step: the adapter's entry point
//! for commands that need every facility-year's inventory in memory
//! (measures, roadmap, uncertainty, the terminal table).

use super::WorkbookError;
use crate::accounting::{compute, ComputedStudy};
use crate::error::{DataError, Error, Location};
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;

/// A workbook study, computed (the engine's [`ComputedStudy`]).
pub type WorkbookRun = ComputedStudy;

/// Reads a workbook and computes every facility-year. Reading problems and
/// engine problems come back together as located findings.
pub fn run_workbook(
    path: &std::path::Path,
    factors: &FactorLibrary,
    sectors: &SectorLibrary,
) -> Result<WorkbookRun, WorkbookError> {
    let study = super::read(path, factors, sectors)?;
    compute(study, factors, sectors).map_err(|e| match e {
        Error::Data(e) => invalid(path, vec![e]),
        Error::Invalid(es) => invalid(path, es),
        e => invalid(
            path,
            vec![DataError::new(
                Location::file(path.display().to_string()),
                e.to_string(),
            )],
        ),
    })
}

fn invalid(path: &std::path::Path, findings: Vec<DataError>) -> WorkbookError {
    WorkbookError::Invalid {
        path: path.display().to_string(),
        findings,
    }
}
