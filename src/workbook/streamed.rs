//! The activity sheet of an xlsx or xlsb workbook read in chunks of rows as
//! its cells stream in, so the sheet is never held whole: at a hundred
//! thousand facility-years its cells are some 220 MB, held before this
//! beside the facility-years read from them. Each chunk is a [`Table`] of
//! its own rows under the header's columns, read by the same
//! [`ActivityReader`] as a whole sheet or a CSV file, with the same checks
//! and findings.

use super::activity::ActivityReader;
use super::*;
use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

/// Rows per chunk: a few MB of cells.
const CHUNK_ROWS: u32 = 8192;

/// How a streamed read ended.
pub(super) enum Streamed {
    /// Every row read into the study (findings added).
    Read,
    /// Cells came back to an earlier row, or left of the header's first
    /// column, which a chunk cannot place as the whole sheet would: nothing
    /// was read or added, and the sheet is to be read whole.
    ReadWhole,
}

/// The chunk being gathered and what earlier chunks settled.
struct Chunks<'a> {
    sheet: &'a str,
    percent: Option<&'a HashSet<(u32, u32)>>,
    limits: &'a Limits,
    /// The header's columns and the sheet's first column, once the first
    /// chunk is read; `None` before.
    header: Option<(BTreeMap<&'static str, usize>, u32)>,
    /// The header row was unusable (its findings are made): the rows are
    /// not read, as for a whole sheet.
    no_header: bool,
    cells: GridBuilder,
    /// The chunk's first row and the last row seen (absolute).
    first_row: Option<u32>,
    last_row: u32,
    /// A cell with text has come (the first chunk must hold the header).
    seen_text: bool,
    out_of_order: bool,
}

impl Chunks<'_> {
    /// Takes one cell; false when the sheet must be read whole instead.
    fn push(
        &mut self,
        (r, c): (u32, u32),
        d: Data,
        reader: &mut ActivityReader<'_>,
        found: &mut Vec<DataError>,
    ) -> bool {
        let left_of_table = self.header.as_ref().is_some_and(|(_, c0)| c < *c0);
        if r < self.last_row || left_of_table {
            self.out_of_order = true;
            return false;
        }
        if self.no_header {
            return true;
        }
        let full = self
            .first_row
            .is_some_and(|f| r >= f.saturating_add(CHUNK_ROWS));
        if full && r > self.last_row && (self.header.is_some() || self.seen_text) {
            self.flush(reader, found);
        }
        if self.first_row.is_none() {
            self.first_row = Some(r);
            if let Some((_, c0)) = &self.header {
                // the header's stand-in: an empty row above the chunk's first
                self.cells = GridBuilder::starting_at((r - 1, *c0));
            }
        }
        self.seen_text |= text(&d).is_some();
        self.last_row = r;
        self.cells.push((r, c), d);
        true
    }

    /// Reads the chunk gathered so far.
    fn flush(&mut self, reader: &mut ActivityReader<'_>, found: &mut Vec<DataError>) {
        let grid = std::mem::take(&mut self.cells).finish();
        self.first_row = None;
        let Some(start) = grid.start() else {
            return;
        };
        match &self.header {
            None => match table(
                "activity",
                self.sheet,
                &grid,
                self.percent,
                self.limits,
                found,
            ) {
                Some(t) => {
                    reader.read(&t, found);
                    self.header = Some((t.cols.clone(), start.1));
                }
                None => self.no_header = true,
            },
            Some((cols, _)) => {
                let t = Table {
                    sheet: Arc::from(self.sheet),
                    range: &grid,
                    start,
                    cols: cols.clone(),
                    header_row: 0,
                    percent: self.percent,
                    text_file: false,
                };
                reader.read(&t, found);
            }
        }
    }
}

/// Reads the activity sheet `sheet` chunk by chunk into `study` (see the
/// module's note).
#[allow(clippy::too_many_arguments)]
pub(super) fn stream_activity<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Sheets<RS>,
    sheet: &str,
    percent: Option<&HashSet<(u32, u32)>>,
    limits: &Limits,
    study: &mut Study,
    sectors: &SectorLibrary,
    unusable: &BTreeSet<String>,
    findings: &mut Vec<DataError>,
) -> Streamed {
    let mut reader = ActivityReader::new(study, sectors, unusable);
    let mut chunks = Chunks {
        sheet,
        percent,
        limits,
        header: None,
        no_header: false,
        cells: GridBuilder::default(),
        first_row: None,
        last_row: 0,
        seen_text: false,
        out_of_order: false,
    };
    // Findings are kept apart until the read is known to stand.
    let (mut found, mut bounds) = (Vec::new(), Vec::new());
    let read = read_cells(wb, sheet, limits, &mut bounds, &mut |at, d| {
        chunks.push(at, d, &mut reader, &mut found)
    });
    if chunks.out_of_order {
        return Streamed::ReadWhole;
    }
    if let Err(e) = read {
        findings.push(e);
        return Streamed::Read;
    }
    if chunks.header.is_none() && !chunks.no_header && chunks.first_row.is_none() {
        // no cell at all: the whole sheet's finding for an empty sheet
        let _ = table(
            "activity",
            sheet,
            &Grid::empty(),
            percent,
            limits,
            &mut found,
        );
    } else if !chunks.no_header {
        chunks.flush(&mut reader, &mut found);
    }
    reader.finish(study);
    findings.append(&mut bounds);
    findings.append(&mut found);
    Streamed::Read
}
