//! Worksheet parts whose XML we write ourselves, compressed on a thread of
//! their own as their rows arrive, and the merge that puts them into the
//! workbook rust_xlsxwriter saves.
//!
//! Why: through rust_xlsxwriter each cell was stored in a per-row map, its
//! text and format hashed, then written out, and every sheet compressed on
//! one thread after the run: a third of the xlsx run in cell storage and a
//! sixth in that final compression (perf, 10,000 facility-years; fourteenth
//! session in BENCHMARKS.md). Here a row is formatted straight into XML text
//! and another thread deflates it while the run goes on.
//!
//! rust_xlsxwriter still writes everything else, including a placeholder of
//! each streamed sheet (its name, header, filter and defined names), and
//! [`merge`] copies every entry of its file into the output as compressed
//! bytes, taking ours in place of the placeholders: nothing is compressed
//! twice. The streamed parts use inline strings (the shared-string table
//! belongs to rust_xlsxwriter) and carry no `<dimension>` element, which is
//! optional (ECMA-376 §18.3.1.35) and cannot be known before the last row;
//! text is escaped exactly as rust_xlsxwriter escapes it.

use std::io::{self, Read, Seek, Write};
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// Rows are handed to the compressing thread in pieces of about this size:
/// large enough that the hand-over costs nothing, small enough that the
/// pieces in flight (at most [`IN_FLIGHT`]) hold little memory.
const PIECE: usize = 256 * 1024;
const IN_FLIGHT: usize = 8;

enum Piece {
    /// a new part (a zip entry, `xl/worksheets/sheetN.xml`) begins
    Part(String),
    Bytes(Vec<u8>),
}

/// Parts being written: XML appended to [`PartStream::xml`], compressed on
/// the stream's own thread into an unnamed temporary zip (removed by the
/// system however the run ends).
pub(super) struct PartStream {
    xml: Vec<u8>,
    to_worker: Option<SyncSender<Piece>>,
    worker: Option<JoinHandle<io::Result<ZipWriter<std::fs::File>>>>,
}

impl PartStream {
    /// A stream whose scratch file is made in `dir`, compressing at `level`.
    pub(super) fn create(dir: &Path, level: i64) -> io::Result<Self> {
        let file = tempfile::tempfile_in(dir)?;
        let (to_worker, pieces) = sync_channel(IN_FLIGHT);
        let worker = std::thread::Builder::new()
            .name("xlsx-deflate".into())
            .spawn(move || compress(file, pieces, level))?;
        Ok(PartStream {
            xml: Vec::with_capacity(PIECE + PIECE / 4),
            to_worker: Some(to_worker),
            worker: Some(worker),
        })
    }

    /// The XML being written; call [`PartStream::flush_if_full`] after each
    /// row.
    pub(super) fn xml(&mut self) -> &mut Vec<u8> {
        &mut self.xml
    }

    /// Begins the zip entry `name`: what follows is its XML.
    pub(super) fn start_part(&mut self, name: String) -> io::Result<()> {
        self.hand_over()?;
        self.send(Piece::Part(name))
    }

    pub(super) fn flush_if_full(&mut self) -> io::Result<()> {
        if self.xml.len() >= PIECE {
            self.hand_over()?;
        }
        Ok(())
    }

    fn hand_over(&mut self) -> io::Result<()> {
        if self.xml.is_empty() {
            return Ok(());
        }
        let full = std::mem::replace(&mut self.xml, Vec::with_capacity(PIECE + PIECE / 4));
        self.send(Piece::Bytes(full))
    }

    fn send(&mut self, piece: Piece) -> io::Result<()> {
        let sent = match &self.to_worker {
            Some(tx) => tx.send(piece).is_ok(),
            None => false,
        };
        if sent {
            return Ok(());
        }
        // The thread stopped early: its error says why.
        self.to_worker = None;
        match self.worker.take().map(JoinHandle::join) {
            Some(Ok(Err(e))) => Err(e),
            _ => Err(io::Error::other("the xlsx compressing thread stopped")),
        }
    }

    /// Ends the last part and returns the compressed parts as a zip.
    pub(super) fn finish(mut self) -> io::Result<ZipArchive<std::fs::File>> {
        self.hand_over()?;
        self.to_worker = None;
        let zip = match self.worker.take().map(JoinHandle::join) {
            Some(Ok(done)) => done?,
            _ => return Err(io::Error::other("the xlsx compressing thread stopped")),
        };
        let mut file = zip.finish().map_err(io::Error::other)?;
        file.rewind()?;
        ZipArchive::new(file).map_err(io::Error::other)
    }
}

/// The compressing thread: each part an entry, deflated at `level`.
fn compress(
    file: std::fs::File,
    pieces: Receiver<Piece>,
    level: i64,
) -> io::Result<ZipWriter<std::fs::File>> {
    let mut zip = ZipWriter::new(file);
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(level))
        // No Zip64, as rust_xlsxwriter by default: a full by-process sheet
        // is about 800 MB of XML, and a part past 4 GiB (text near Excel's
        // cell limit in every row) fails with the zip crate's error instead.
        .large_file(false);
    let mut open = false;
    for piece in pieces {
        match piece {
            Piece::Part(name) => {
                zip.start_file(name, options).map_err(io::Error::other)?;
                open = true;
            }
            Piece::Bytes(xml) if open => zip.write_all(&xml)?,
            Piece::Bytes(_) => return Err(io::Error::other("XML before its part began")),
        }
    }
    Ok(zip)
}

/// Writes to `out` every entry of `book` (a workbook rust_xlsxwriter saved)
/// in its order, as compressed bytes, with each entry of `parts` in place of
/// the placeholder of the same name. A part without its placeholder is an
/// error: the workbook would not list it.
pub(super) fn merge<R: Read + Seek, P: Read + Seek, W: Write + Seek>(
    book: &mut ZipArchive<R>,
    parts: &mut [ZipArchive<P>],
    out: W,
) -> zip::result::ZipResult<W> {
    for archive in parts.iter() {
        if archive
            .file_names()
            .any(|n| book.index_for_name(n).is_none())
        {
            return Err(zip::result::ZipError::FileNotFound);
        }
    }
    let mut zip = ZipWriter::new(out);
    for i in 0..book.len() {
        let placeholder = book.by_index_raw(i)?;
        let name = placeholder.name().to_string();
        match parts
            .iter()
            .position(|archive| archive.index_for_name(&name).is_some())
        {
            Some(a) => {
                drop(placeholder);
                let archive = &mut parts[a];
                let p = archive.index_for_name(&name).expect("found above");
                zip.raw_copy_file(archive.by_index_raw(p)?)?;
            }
            None => zip.raw_copy_file(placeholder)?,
        }
    }
    zip.finish()
}

/// The zip entry of the workbook's `index`th sheet (from 0), as
/// rust_xlsxwriter names it.
pub(super) fn sheet_entry(index: usize) -> String {
    format!("xl/worksheets/sheet{}.xml", index + 1)
}

/// A column's letters: 0 → A, 25 → Z, 26 → AA.
pub(super) fn column_letters(mut col: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// The start of a sheet part with a frozen, bold header row of inline
/// strings (`bold` is the header format's index in the workbook's styles)
/// and a width for each column, as rust_xlsxwriter writes one; `selected`
/// for the sheet the workbook opens on.
pub(super) fn part_start(headers: &[String], widths: &[f64], bold: u32, selected: bool) -> Vec<u8> {
    let mut xml = Vec::with_capacity(1024);
    xml.extend_from_slice(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
<sheetViews><sheetView ",
    );
    if selected {
        xml.extend_from_slice(b"tabSelected=\"1\" ");
    }
    xml.extend_from_slice(
        b"workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" \
activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\"/></sheetView>\
</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/><cols>",
    );
    // runs of columns of one width, each one <col> element
    let mut first = 0;
    for c in 0..widths.len() {
        if c + 1 < widths.len() && widths[c + 1] == widths[first] {
            continue;
        }
        // Excel's column width in characters, with its padding, as
        // rust_xlsxwriter stores it (16 → 16.7109375)
        let w = widths[first];
        let stored = ((w * 7.0 + 5.0).trunc() / 7.0 * 256.0).trunc() / 256.0;
        let _ = write!(
            xml,
            "<col min=\"{}\" max=\"{}\" width=\"{stored}\" customWidth=\"1\"/>",
            first + 1,
            c + 1
        );
        first = c + 1;
    }
    xml.extend_from_slice(b"</cols><sheetData><row r=\"1\">");
    let cell = CellRef::new(1);
    for (c, h) in headers.iter().enumerate() {
        cell.text(&mut xml, c, h, Some(bold));
    }
    xml.extend_from_slice(b"</row>");
    xml
}

/// The end of a sheet part whose last row is `last_row` (1-based, the
/// header's is 1), with an autofilter over its `columns`.
pub(super) fn part_end(xml: &mut Vec<u8>, columns: usize, last_row: u32) {
    let _ = write!(
        xml,
        "</sheetData><autoFilter ref=\"A1:{}{}\"/><pageMargins left=\"0.7\" right=\"0.7\" \
top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>",
        column_letters(columns.saturating_sub(1)),
        last_row.max(2)
    );
}

/// One row's cells: the row number's digits, written once per row.
pub(super) struct CellRef {
    row: itoa::Buffer,
    digits: [u8; 10],
    len: usize,
}

/// Column letters for the first 26 columns (every streamed sheet has fewer).
const LETTERS: &[u8; 26] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";

impl CellRef {
    pub(super) fn new(row: u32) -> Self {
        let mut r = CellRef {
            row: itoa::Buffer::new(),
            digits: [0; 10],
            len: 0,
        };
        r.set_row(row);
        r
    }

    pub(super) fn set_row(&mut self, row: u32) {
        let text = self.row.format(row).as_bytes();
        self.digits[..text.len()].copy_from_slice(text);
        self.len = text.len();
    }

    pub(super) fn row_digits(&self) -> &[u8] {
        &self.digits[..self.len]
    }

    /// `<c r="B7"` and the style attribute.
    fn open(&self, xml: &mut Vec<u8>, col: usize, style: Option<u32>) {
        debug_assert!(
            col < LETTERS.len(),
            "streamed sheets have at most 26 columns"
        );
        xml.extend_from_slice(b"<c r=\"");
        xml.push(LETTERS[col]);
        xml.extend_from_slice(self.row_digits());
        xml.push(b'"');
        if let Some(s) = style.filter(|s| *s > 0) {
            xml.extend_from_slice(b" s=\"");
            xml.extend_from_slice(itoa::Buffer::new().format(s).as_bytes());
            xml.push(b'"');
        }
    }

    /// A text cell, escaped as rust_xlsxwriter escapes it; empty text writes
    /// no cell (as rust_xlsxwriter does for an unformatted empty string).
    pub(super) fn text(&self, xml: &mut Vec<u8>, col: usize, text: &str, style: Option<u32>) {
        if text.is_empty() && style.is_none() {
            return;
        }
        self.open(xml, col, style);
        xml.extend_from_slice(b" t=\"inlineStr\"><is><t");
        if text.starts_with(['\t', '\n', ' ']) || text.ends_with(['\t', '\n', ' ']) {
            xml.extend_from_slice(b" xml:space=\"preserve\"");
        }
        xml.push(b'>');
        push_escaped(xml, text);
        xml.extend_from_slice(b"</t></is></c>");
    }

    /// A number cell: `written` is the number's text (see [`number_text`]).
    pub(super) fn number(&self, xml: &mut Vec<u8>, col: usize, written: &[u8], style: Option<u32>) {
        self.open(xml, col, style);
        xml.extend_from_slice(b"><v>");
        xml.extend_from_slice(written);
        xml.extend_from_slice(b"</v></c>");
    }

    pub(super) fn boolean(&self, xml: &mut Vec<u8>, col: usize, value: bool) {
        self.open(xml, col, None);
        xml.extend_from_slice(if value {
            b" t=\"b\"><v>1</v></c>"
        } else {
            b" t=\"b\"><v>0</v></c>"
        });
    }
}

/// A number's text in a cell, as rust_xlsxwriter writes it (the shortest
/// text that reads back as the same `f64`): the same bytes, so a reader gets
/// the same number from either writer. Not finite numbers never come here
/// (amounts are decimals).
pub(super) fn number_text(x: f64, buffer: &mut zmij::Buffer) -> &[u8] {
    debug_assert!(x.is_finite());
    buffer.format_finite(x).as_bytes()
}

/// Whether a text can be written as it is: no XML markup characters, no
/// control characters but tab and newline, no `_xHHHH_`-like sequence and
/// no U+FFFE/U+FFFF (whose UTF-8 starts with 0xEF, as do some CJK
/// punctuation marks: those take the slow path, which is still exact).
fn plain(text: &str) -> bool {
    !text
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | 0xEF) || (b < 0x20 && b != b'\t' && b != b'\n'))
        && !text.contains("_x")
}

/// Appends `text` escaped as rust_xlsxwriter's `escape_xml_escapes` then
/// `escape_xml_data` do: a literal `_xHHHH_` gets its underscore escaped
/// (`_x005F_xHHHH_`), `& < >` become entities, and control characters other
/// than tab and newline (and U+FFFE, U+FFFF) become `_xHHHH_`.
pub(super) fn push_escaped(xml: &mut Vec<u8>, text: &str) {
    if plain(text) {
        xml.extend_from_slice(text.as_bytes());
        return;
    }
    let bytes = text.as_bytes();
    let mut buf = [0u8; 4];
    for (i, ch) in text.char_indices() {
        if ch == '_' && escape_sequence_at(bytes, i) {
            xml.extend_from_slice(b"_x005F");
        }
        match ch {
            '&' => xml.extend_from_slice(b"&amp;"),
            '<' => xml.extend_from_slice(b"&lt;"),
            '>' => xml.extend_from_slice(b"&gt;"),
            '\t' | '\n' => xml.push(ch as u8),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {
                let _ = write!(xml, "_x{:04X}_", ch as u32);
            }
            _ => xml.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes()),
        }
    }
}

/// Whether `_xHHHH_` (four hex digits) starts at byte `i`.
fn escape_sequence_at(bytes: &[u8], i: usize) -> bool {
    let Some(seq) = bytes.get(i..i + 7) else {
        return false;
    };
    seq[1] == b'x' && seq[6] == b'_' && seq[2..6].iter().all(u8::is_ascii_hexdigit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut xml = Vec::new();
        push_escaped(&mut xml, text);
        String::from_utf8(xml).unwrap()
    }

    #[test]
    fn text_is_escaped_as_excel_and_rust_xlsxwriter_do() {
        assert_eq!(escaped("宜宾五粮液 BJ-01"), "宜宾五粮液 BJ-01");
        assert_eq!(escaped("A&B <x>"), "A&amp;B &lt;x&gt;");
        // tab and newline stay, other controls become _xHHHH_
        assert_eq!(escaped("a\tb\nc\rd\u{1}"), "a\tb\nc_x000D_d_x0001_");
        // a literal escape sequence keeps its text: its underscore escaped
        assert_eq!(escaped("id_x0041_z"), "id_x005F_x0041_z");
        // not a sequence: too short, not hex, not closed
        assert_eq!(escaped("_x004"), "_x004");
        assert_eq!(escaped("_xZZZZ_"), "_xZZZZ_");
        assert_eq!(escaped("_x0041-"), "_x0041-");
        assert_eq!(escaped("\u{FFFE}，"), "_xFFFE_，");
    }

    #[test]
    fn columns_are_lettered_as_excel_does() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(17), "R");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn a_row_of_cells_is_the_xml_rust_xlsxwriter_writes() {
        let mut xml = Vec::new();
        let cell = CellRef::new(151_521);
        let mut b = zmij::Buffer::new();
        cell.text(&mut xml, 0, "BJ00001", None);
        cell.number(&mut xml, 1, number_text(2020.0, &mut b), None);
        cell.number(&mut xml, 6, number_text(267.5632692857143, &mut b), Some(2));
        cell.text(&mut xml, 10, "", None);
        cell.boolean(&mut xml, 12, true);
        cell.text(&mut xml, 14, " padded", None);
        assert_eq!(
            String::from_utf8(xml).unwrap(),
            "<c r=\"A151521\" t=\"inlineStr\"><is><t>BJ00001</t></is></c>\
<c r=\"B151521\"><v>2020.0</v></c>\
<c r=\"G151521\" s=\"2\"><v>267.5632692857143</v></c>\
<c r=\"M151521\" t=\"b\"><v>1</v></c>\
<c r=\"O151521\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> padded</t></is></c>"
        );
    }

    #[test]
    fn the_column_width_is_stored_as_rust_xlsxwriter_stores_it() {
        let start = String::from_utf8(part_start(
            &["a".into(), "b".into()],
            &[16.0, 16.0],
            1,
            false,
        ))
        .unwrap();
        assert!(start.contains("<col min=\"1\" max=\"2\" width=\"16.7109375\" customWidth=\"1\"/>"));
        assert!(start.contains("<sheetView workbookViewId=\"0\">"));
        // a wide last column (the warnings' messages), on the selected sheet
        let start = part_start(
            &["a".into(), "b".into(), "c".into()],
            &[16.0, 16.0, 100.0],
            1,
            true,
        );
        let start = String::from_utf8(start).unwrap();
        assert!(start.contains(
            "<cols><col min=\"1\" max=\"2\" width=\"16.7109375\" customWidth=\"1\"/>\
<col min=\"3\" max=\"3\" width=\"100.7109375\" customWidth=\"1\"/></cols>"
        ));
        assert!(start.contains("<sheetView tabSelected=\"1\" workbookViewId=\"0\">"));
        assert!(start.ends_with(
            "<row r=\"1\"><c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>a</t></is></c>\
<c r=\"B1\" s=\"1\" t=\"inlineStr\"><is><t>b</t></is></c>\
<c r=\"C1\" s=\"1\" t=\"inlineStr\"><is><t>c</t></is></c></row>"
        ));
    }
}
