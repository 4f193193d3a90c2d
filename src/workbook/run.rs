//! A workbook study read and computed in one step: the adapter's entry point
//! for commands that need every facility-year's inventory in memory
//! (measures, roadmap, uncertainty, the terminal table), and for `validate`,
//! which needs only its findings and warnings.

use super::WorkbookError;
use crate::accounting::{check, compute, CheckedStudy, ComputedStudy};
use crate::error::{DataError, Error, Location};
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;
use crate::text::{Lang, Text};

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
    let language = Lang::of_setting(&study.language);
    compute(study, factors, sectors).map_err(|e| located(path, language, e))
}

/// Reads a workbook and computes every facility-year as [`run_workbook`]
/// does, keeping only what a check reports (see [`check`]): the same
/// findings, in a fraction of the memory.
pub fn check_workbook(
    path: &std::path::Path,
    factors: &FactorLibrary,
    sectors: &SectorLibrary,
) -> Result<CheckedStudy, WorkbookError> {
    let study = super::read(path, factors, sectors)?;
    let language = Lang::of_setting(&study.language);
    check(study, factors, sectors).map_err(|e| located(path, language, e))
}

/// An engine error as the workbook's findings.
fn located(path: &std::path::Path, language: Lang, e: Error) -> WorkbookError {
    let findings = match e {
        Error::Data(e) => vec![e],
        Error::Invalid(es) => es,
        e => vec![DataError::new(
            Location::file(path.display().to_string()),
            Text::new(e.to_string(), e.text(Lang::Zh)),
        )],
    };
    WorkbookError::Invalid {
        path: path.display().to_string(),
        findings,
        language,
    }
}
