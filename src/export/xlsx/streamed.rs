//! The sheets written as the run goes (summary, warnings, by process), each
//! as XML of our own compressed on a thread of its own ([`super::part`]).
//! Each keeps its placeholder in rust_xlsxwriter's workbook ([`Continued`]):
//! the sheet's name, header and filter, and a continuation sheet past
//! Excel's last row, whose part is then written here too.

use super::part::{self, CellRef, PartStream};
use super::{header_in, Continued, Failure, BOLD_STYLE, NUMBER_STYLE};
use crate::accounting::Inventory;
use crate::export::names::Names;
use crate::export::{fit_cell, num, overridden};
use crate::output::neutralise;
use crate::text::Lang;
use rust_xlsxwriter::{Format, Workbook};
use std::collections::BTreeSet;
use std::path::Path;

/// A streamed sheet: the placeholder, the compressing stream of its parts,
/// and the part being written.
pub(super) struct StreamedSheet {
    placeholder: Continued,
    stream: PartStream,
    /// a continuation part's start: the header row, widths and frozen
    /// pane (never the selected tab: two selected tabs would open grouped)
    continuation: Vec<u8>,
    /// the part being written: its sheet index and its last row so far
    /// (1-based, as the XML numbers rows)
    current: (usize, u32),
    cell: CellRef,
}

impl StreamedSheet {
    /// Streams the sheet whose placeholder is `placeholder`, compressing at
    /// `level` with scratch space in `dir`; `selected` for the sheet the
    /// workbook opens on.
    pub(super) fn start(
        placeholder: Continued,
        lang: Lang,
        dir: &Path,
        level: i64,
        selected: bool,
    ) -> Result<Self, Failure> {
        let headers: Vec<String> = placeholder
            .columns
            .iter()
            .map(|c| header_in(c, lang))
            .collect();
        let widths: Vec<f64> = (0..headers.len())
            .map(|c| match placeholder.wide {
                Some(w) if usize::from(w) == c => 100.0,
                _ => 16.0,
            })
            .collect();
        let mut stream = PartStream::create(dir, level)?;
        stream.start_part(part::sheet_entry(placeholder.sheet))?;
        let first = part::part_start(&headers, &widths, BOLD_STYLE, selected);
        stream.xml().extend_from_slice(&first);
        Ok(StreamedSheet {
            current: (placeholder.sheet, 1),
            placeholder,
            stream,
            continuation: part::part_start(&headers, &widths, BOLD_STYLE, false),
            cell: CellRef::new(1),
        })
    }

    /// Opens the next row, on a continuation sheet when this one is full:
    /// the XML to append its cells to and their reference.
    fn row(
        &mut self,
        wb: &mut Workbook,
        bold: &Format,
        lang: Lang,
    ) -> Result<(&mut Vec<u8>, &CellRef), Failure> {
        let (sheet, r) = self.placeholder.next_index(wb, bold, lang)?;
        if sheet != self.current.0 {
            // the last part is full: the next one begins
            let columns = self.placeholder.columns.len();
            part::part_end(self.stream.xml(), columns, self.current.1);
            self.stream.start_part(part::sheet_entry(sheet))?;
            self.stream.xml().extend_from_slice(&self.continuation);
        }
        self.current = (sheet, r + 1);
        self.cell.set_row(r + 1);
        let xml = self.stream.xml();
        xml.extend_from_slice(b"<row r=\"");
        xml.extend_from_slice(self.cell.row_digits());
        xml.extend_from_slice(b"\">");
        Ok((xml, &self.cell))
    }

    fn end_row(&mut self) -> Result<(), Failure> {
        self.stream.xml().extend_from_slice(b"</row>");
        Ok(self.stream.flush_if_full()?)
    }

    /// Ends the last part, sets the last placeholder's filter and returns
    /// the compressed parts.
    pub(super) fn finish(
        mut self,
        wb: &mut Workbook,
    ) -> Result<zip::ZipArchive<std::fs::File>, Failure> {
        let columns = self.placeholder.columns.len();
        part::part_end(self.stream.xml(), columns, self.current.1);
        self.placeholder.filter(wb)?;
        Ok(self.stream.finish()?)
    }
}

/// Writes a batch's rows into the streamed sheets: what a row needs
/// besides its facility-year.
pub(super) struct RowWriter<'a> {
    /// the workbook, for the placeholders' continuation sheets
    pub(super) wb: &'a mut Workbook,
    pub(super) bold: &'a Format,
    pub(super) lang: Lang,
    pub(super) names: &'a Names,
    pub(super) overrides: &'a BTreeSet<String>,
    /// a number's text, as rust_xlsxwriter writes it
    pub(super) digits: &'a mut zmij::Buffer,
}

impl RowWriter<'_> {
    /// A summary row: one per facility-year.
    pub(super) fn summary_row(
        &mut self,
        sheet: &mut StreamedSheet,
        inv: &Inventory,
    ) -> Result<(), Failure> {
        let names = self.names;
        let t = &inv.totals;
        let (xml, cell) = sheet.row(self.wb, self.bold, self.lang)?;
        let number = Some(NUMBER_STYLE);
        cell.text(xml, 0, &fit_cell(&neutralise(&inv.facility_id)), None);
        cell.text(xml, 1, &fit_cell(&neutralise(&inv.name)), None);
        cell.text(xml, 2, names.sector(&inv.sector), None);
        let technology = names.technology(&inv.sector, &inv.technology);
        cell.text(xml, 3, &fit_cell(technology), None);
        cell.text(xml, 4, &inv.edition, None);
        let city = neutralise(names.city(inv.city.as_deref().unwrap_or("")));
        cell.text(xml, 5, &fit_cell(&city), None);
        cell.number(
            xml,
            6,
            part::number_text(f64::from(inv.year), self.digits),
            None,
        );
        cell.number(
            xml,
            7,
            part::number_text(num(inv.output), self.digits),
            number,
        );
        cell.text(xml, 8, &inv.output_unit, None);
        let totals = [
            t.co2e,
            t.co2e_scope1,
            t.co2e_scope2,
            t.co2_biogenic_memo,
            t.energy_tce,
            t.apeq,
            t.wpeq,
        ];
        for (c, v) in totals.iter().enumerate() {
            cell.number(xml, 9 + c, part::number_text(num(*v), self.digits), number);
        }
        if let Some(x) = t.co2e_per_output {
            cell.number(xml, 16, part::number_text(num(x), self.digits), number);
        }
        cell.text(xml, 17, &format!("{:?}", inv.gwp).to_uppercase(), None);
        cell.text(xml, 18, &format!("{:?}", inv.view).to_lowercase(), None);
        cell.text(xml, 19, &inv.grid_factor, None);
        // Both scope 2 figures (GHG Protocol dual reporting), whichever of them
        // the view counts.
        let location = part::number_text(num(t.scope2_location_co2), self.digits);
        cell.number(xml, 20, location, number);
        let market = part::number_text(num(t.scope2_market_co2), self.digits);
        cell.number(xml, 21, market, number);
        sheet.end_row()
    }

    /// A facility-year's warnings, each once, where it arose.
    pub(super) fn warning_rows(
        &mut self,
        sheet: &mut StreamedSheet,
        inv: &Inventory,
    ) -> Result<(), Failure> {
        let mut seen = BTreeSet::new();
        let mut facility = None;
        for w in &inv.warnings {
            if !seen.insert(&*w.message) {
                continue;
            }
            let facility = facility.get_or_insert_with(|| neutralise(&inv.facility_id));
            let (xml, cell) = sheet.row(self.wb, self.bold, self.lang)?;
            cell.text(xml, 0, &fit_cell(facility), None);
            cell.number(
                xml,
                1,
                part::number_text(f64::from(inv.year), self.digits),
                None,
            );
            cell.text(
                xml,
                2,
                &fit_cell(&neutralise(w.location_in(self.lang))),
                None,
            );
            cell.text(
                xml,
                3,
                &fit_cell(&neutralise(w.message_in(self.lang))),
                None,
            );
            sheet.end_row()?;
        }
        Ok(())
    }

    /// A facility-year's by-process rows: the tidy rows of the CSV, in its
    /// columns.
    pub(super) fn by_process_rows(
        &mut self,
        sheet: &mut StreamedSheet,
        inv: &Inventory,
    ) -> Result<(), Failure> {
        let names = self.names;
        let facility = neutralise(&inv.facility_id);
        let city = neutralise(names.city(inv.city.as_deref().unwrap_or("")));
        let county = neutralise(inv.county.as_deref().unwrap_or(""));
        let (facility, city, county) = (fit_cell(&facility), fit_cell(&city), fit_cell(&county));
        let sector = names.sector(&inv.sector);
        let technology = fit_cell(names.technology(&inv.sector, &inv.technology));
        let mut year = zmij::Buffer::new();
        let year = part::number_text(f64::from(inv.year), &mut year);
        for row in &inv.rows {
            let (xml, cell) = sheet.row(self.wb, self.bold, self.lang)?;
            cell.text(xml, 0, &facility, None);
            cell.number(xml, 1, year, None);
            cell.text(xml, 2, sector, None);
            cell.text(xml, 3, names.process(&inv.sector, &row.node), None);
            cell.text(xml, 4, names.source(&inv.sector, &row.source), None);
            cell.text(xml, 5, &row.substance, None);
            // Counted in the view, or beside it (see CSV_COLUMNS).
            let amount_col = 6 + usize::from(!row.in_view);
            let amount = part::number_text(num(row.amount), self.digits);
            cell.number(xml, amount_col, amount, Some(NUMBER_STYLE));
            cell.text(xml, 8, &row.unit, None);
            cell.number(
                xml,
                9,
                part::number_text(row.tier.into(), self.digits),
                None,
            );
            cell.text(xml, 10, &fit_cell(&row.factor_ids.join(";")), None);
            cell.number(
                xml,
                11,
                part::number_text(row.scope.into(), self.digits),
                None,
            );
            cell.boolean(xml, 12, row.in_view);
            cell.text(xml, 13, &city, None);
            cell.text(xml, 14, &county, None);
            cell.text(xml, 15, &technology, None);
            cell.text(xml, 16, &inv.edition, None);
            let over = overridden(&row.factor_ids, self.overrides);
            cell.text(xml, 17, &fit_cell(&over), None);
            sheet.end_row()?;
        }
        Ok(())
    }
}
