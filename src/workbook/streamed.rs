//! The activity sheet of an xlsx or xlsb workbook read in chunks of rows as
//! its cells stream in, so the sheet is never held whole: at a hundred
//! thousand facility-years its cells are some 220 MB, held before this
//! beside the facility-years read from them. Each chunk is a [`Table`] of
//! its own rows under the header's columns, read by the same
//! [`ActivityReader`] as a whole sheet or a CSV file, with the same checks
//! and findings. calamine parses the sheet's XML on this thread while a
//! second reads the chunks already gathered: the two halves of reading take
//! about as long as each other, and they overlap.

use super::activity::ActivityReader;
use super::*;
use std::collections::{BTreeSet, HashSet};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;

/// Rows per chunk: a few MB of cells.
const CHUNK_ROWS: u32 = 4096;

/// Chunks gathered ahead of the one being read: memory stays a few chunks
/// deep when parsing the XML is the quicker half.
const CHUNKS_AHEAD: usize = 2;

/// How a streamed read ended.
pub(super) enum Streamed {
    /// Every row read into the study (findings added).
    Read,
    /// Cells came back to an earlier row, or left of the table's first
    /// column, which a chunk cannot place as the whole sheet would: nothing
    /// was read or added, and the sheet is to be read whole.
    ReadWhole,
}

/// Gathers cells into chunks on the parsing thread.
struct Gatherer {
    cells: GridBuilder,
    /// The first chunk's first column and width, once it is sent; later
    /// chunks are laid out from them.
    table: Option<(u32, usize)>,
    /// The chunk's first row and the last row seen (absolute).
    first_row: Option<u32>,
    last_row: u32,
    /// A cell with text has come (the first chunk must hold the header).
    seen_text: bool,
    out_of_order: bool,
}

impl Gatherer {
    /// Takes one cell, handing a full chunk to `send`; false when the sheet
    /// must be read whole instead.
    fn push(&mut self, (r, c): (u32, u32), d: Data, send: &mut impl FnMut(Grid)) -> bool {
        let left_of_table = self.table.is_some_and(|(c0, _)| c < c0);
        if r < self.last_row || left_of_table {
            self.out_of_order = true;
            return false;
        }
        let full = self
            .first_row
            .is_some_and(|f| r >= f.saturating_add(CHUNK_ROWS));
        if full && r > self.last_row && (self.table.is_some() || self.seen_text) {
            let grid = self.take();
            if self.table.is_none() {
                let start = grid.start().unwrap_or_default();
                self.table = Some((start.1, grid.width()));
            }
            send(grid);
        }
        if self.first_row.is_none() {
            self.first_row = Some(r);
            if let Some((c0, width)) = self.table {
                // the header's stand-in: an empty row above the chunk's first
                self.cells = GridBuilder::starting_at((r - 1, c0), width, CHUNK_ROWS as usize + 1);
            }
        }
        // whether any cell so far has a value (built once, not per cell: the
        // text of every number cell of a large sheet was a measurable part
        // of reading it)
        self.seen_text = self.seen_text || text(&d).is_some();
        self.last_row = r;
        self.cells.push((r, c), d);
        true
    }

    /// The chunk gathered so far.
    fn take(&mut self) -> Grid {
        self.first_row = None;
        std::mem::take(&mut self.cells).finish()
    }
}

/// Reads chunks as they come, on the second thread: the first holds the
/// header (an unusable header stops the reading, as for a whole sheet),
/// each later one a row above its own for the header's stand-in.
fn read_chunks(
    chunks: Receiver<Grid>,
    sheet: &str,
    percent: Option<&HashSet<(u32, u32)>>,
    limits: &Limits,
    reader: &mut ActivityReader<'_>,
    found: &mut Vec<DataError>,
) {
    let sheet_name: Arc<str> = Arc::from(sheet);
    let mut cols = None;
    for grid in chunks {
        match &cols {
            // an empty first grid gets the empty sheet's finding
            None => match table("activity", sheet, &grid, percent, limits, found) {
                Some(t) => {
                    reader.read(&t, found);
                    cols = Some(t.cols.clone());
                }
                // dropping the receiver tells the parsing thread to stop
                None => return,
            },
            Some(cols) => {
                let Some(start) = grid.start() else {
                    continue;
                };
                let t = Table {
                    sheet: sheet_name.clone(),
                    range: &grid,
                    start,
                    cols: cols.clone(),
                    header_row: 0,
                    percent,
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
    let mut gatherer = Gatherer {
        cells: GridBuilder::default(),
        table: None,
        first_row: None,
        last_row: 0,
        seen_text: false,
        out_of_order: false,
    };
    // Findings are kept apart until the read is known to stand.
    let (mut found, mut bounds) = (Vec::new(), Vec::new());
    let read = std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Grid>(CHUNKS_AHEAD);
        let (reader, found) = (&mut reader, &mut found);
        let worker = scope.spawn(move || read_chunks(rx, sheet, percent, limits, reader, found));
        // a send fails once the reader stopped (an unusable header): the
        // sheet is still parsed to the end for its bound findings
        let mut send = |grid: Grid| {
            let _ = tx.send(grid);
        };
        let read = read_cells(wb, sheet, limits, &mut bounds, &mut |at, d| {
            gatherer.push(at, d, &mut send)
        });
        if !gatherer.out_of_order && read.is_ok() {
            let last = gatherer.take();
            if last.start().is_some() || gatherer.table.is_none() {
                // the last chunk, or the empty sheet's finding from an empty grid
                send(last);
            }
        }
        drop(tx);
        // a panic on the reader's thread is a bug: passed on as it is
        if let Err(panic) = worker.join() {
            std::panic::resume_unwind(panic);
        }
        read
    });
    if gatherer.out_of_order {
        return Streamed::ReadWhole;
    }
    if let Err(e) = read {
        findings.push(e);
        return Streamed::Read;
    }
    reader.finish(study);
    findings.append(&mut bounds);
    findings.append(&mut found);
    Streamed::Read
}
