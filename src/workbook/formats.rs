//! Which cells of an xlsx/xlsm or ods workbook carry a percent number format.
//!
//! Typing `2%` in Excel (or writing 0.02 with openpyxl's `number_format =
//! '0%'`) stores the number 0.02 with a percent format; calamine gives the
//! 0.02 but not the format. This module reads the format from the archive
//! itself: `xl/styles.xml` (the cell styles whose number format is built-in 9
//! or 10, or a custom code with `%` outside quotes and brackets) and each
//! sheet's cell style indices, streaming the sheet XML so that memory stays
//! small. An ods marks the percentage on the cell (`office:value-type`). Where
//! the formats cannot be read (xls, or an archive laid out otherwise) the
//! answer is `None` and the reader falls back to asking.

use quick_xml::events::Event;
use std::collections::{BTreeMap, HashSet};
use std::io::{BufReader, Read, Seek};
use std::path::Path;

/// Absolute (row, column), 0-based, of the percent-formatted cells per sheet name.
pub type PercentCells = BTreeMap<String, HashSet<(u32, u32)>>;

/// The percent-formatted cells of the named sheets; `None` when the file's
/// formats cannot be read.
pub fn percent_cells(path: &Path, sheets: &[String]) -> Option<PercentCells> {
    let file = std::fs::File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(file).ok()?;
    // xlsx/xlsm have xl/workbook.xml; an ods has content.xml
    let Some(workbook) = read_entry(&mut zip, "xl/workbook.xml") else {
        let reader = BufReader::new(zip.by_name("content.xml").ok()?);
        return ods_percent_cells(reader, sheets);
    };
    let styles = read_entry(&mut zip, "xl/styles.xml").unwrap_or_default();
    let percent_styles = percent_styles(&styles)?;
    let mut out = PercentCells::new();
    if percent_styles.is_empty() {
        for s in sheets {
            out.insert(s.clone(), HashSet::new());
        }
        return Some(out);
    }
    let rels = read_entry(&mut zip, "xl/_rels/workbook.xml.rels")?;
    let targets = relationships(&rels)?;
    for (name, rid) in sheet_ids(&workbook)? {
        if !sheets.contains(&name) {
            continue;
        }
        let target = targets.get(&rid)?;
        let entry = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        let reader = BufReader::new(zip.by_name(&entry).ok()?);
        out.insert(name, sheet_percent_cells(reader, &percent_styles)?);
    }
    Some(out)
}

/// An OpenDocument spreadsheet marks a percentage on the cell itself
/// (`office:value-type="percentage"`, LibreOffice's `2%`): the cells of the
/// named tables, with repeated rows and columns expanded.
fn ods_percent_cells<R: std::io::BufRead>(reader: R, sheets: &[String]) -> Option<PercentCells> {
    let mut xml = quick_xml::Reader::from_reader(reader);
    let mut buf = Vec::new();
    let mut out = PercentCells::new();
    let mut table: Option<String> = None;
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_repeat = 1u32;
    // Repeats are capped: LibreOffice pads a sheet with a million empty rows.
    let repeat = |e: &quick_xml::events::BytesStart<'_>, key: &[u8]| {
        attr(e, key)
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(1)
            .clamp(1, 1 << 20)
    };
    loop {
        let event = xml.read_event_into(&mut buf).ok()?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"table:table" => {
                    table = attr(&e, b"table:name").filter(|n| sheets.contains(n));
                    if let Some(t) = &table {
                        out.entry(t.clone()).or_default();
                    }
                    row = 0;
                }
                b"table:table-row" => {
                    col = 0;
                    row_repeat = repeat(&e, b"table:number-rows-repeated");
                    if empty {
                        row = row.saturating_add(row_repeat);
                    }
                }
                b"table:table-cell" | b"table:covered-table-cell" => {
                    let n = repeat(&e, b"table:number-columns-repeated");
                    if let Some(t) = &table {
                        if attr(&e, b"office:value-type").as_deref() == Some("percentage") {
                            let cells = out.entry(t.clone()).or_default();
                            for r in row..row.saturating_add(row_repeat.min(1 << 10)) {
                                for c in col..col.saturating_add(n.min(1 << 10)) {
                                    cells.insert((r, c));
                                }
                            }
                        }
                    }
                    col = col.saturating_add(n);
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                b"table:table-row" => row = row.saturating_add(row_repeat),
                b"table:table" => table = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Some(out)
}

fn read_entry<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<String> {
    let mut s = String::new();
    // bounded: these entries are small metadata files
    zip.by_name(name)
        .ok()?
        .take(64 * 1024 * 1024)
        .read_to_string(&mut s)
        .ok()?;
    Some(s)
}

fn attr(e: &quick_xml::events::BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key || a.key.local_name().as_ref() == key)
        .map(|a| {
            let raw = String::from_utf8_lossy(&a.value).into_owned();
            quick_xml::escape::unescape(&raw)
                .map(|v| v.into_owned())
                .unwrap_or(raw)
        })
}

/// True for a number format code that shows a percentage: `%` outside quoted
/// text, `[...]` sections and backslash escapes, in its first section.
pub fn is_percent_code(code: &str) -> bool {
    let (mut quoted, mut bracket, mut escaped) = (false, false, false);
    for c in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if !quoted => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            ';' if !quoted && !bracket => return false,
            '%' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
}

/// Indices into `cellXfs` whose number format is a percentage.
fn percent_styles(styles: &str) -> Option<HashSet<u32>> {
    let mut r = quick_xml::Reader::from_str(styles);
    let mut custom: HashSet<u32> = HashSet::new();
    let mut out = HashSet::new();
    let mut in_xfs = false;
    let mut index = 0u32;
    loop {
        match r.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"numFmt" => {
                    let id = attr(&e, b"numFmtId").and_then(|v| v.parse().ok());
                    let code = attr(&e, b"formatCode").unwrap_or_default();
                    if let (Some(id), true) = (id, is_percent_code(&code)) {
                        custom.insert(id);
                    }
                }
                b"cellXfs" => in_xfs = true,
                b"xf" if in_xfs => {
                    let id: u32 = attr(&e, b"numFmtId")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    if id == 9 || id == 10 || custom.contains(&id) {
                        out.insert(index);
                    }
                    index += 1;
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"cellXfs" => in_xfs = false,
            Event::Eof => break,
            _ => {}
        }
    }
    Some(out)
}

/// relationship id → target
fn relationships(rels: &str) -> Option<BTreeMap<String, String>> {
    let mut r = quick_xml::Reader::from_str(rels);
    let mut out = BTreeMap::new();
    loop {
        match r.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Relationship" => {
                if let (Some(id), Some(t)) = (attr(&e, b"Id"), attr(&e, b"Target")) {
                    out.insert(id, t);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Some(out)
}

/// (sheet name, relationship id) in workbook order
fn sheet_ids(workbook: &str) -> Option<Vec<(String, String)>> {
    let mut r = quick_xml::Reader::from_str(workbook);
    let mut out = Vec::new();
    loop {
        match r.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"sheet" => {
                if let (Some(n), Some(id)) = (attr(&e, b"name"), attr(&e, b"id")) {
                    out.push((n, id));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Some(out)
}

/// `D5` → (4, 3)
fn cell_ref(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    let mut col = 0u32;
    for c in letters.chars() {
        if !c.is_ascii_uppercase() {
            return None;
        }
        col = col * 26 + (c as u32 - 'A' as u32 + 1);
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

fn sheet_percent_cells<R: std::io::BufRead>(
    reader: R,
    styles: &HashSet<u32>,
) -> Option<HashSet<(u32, u32)>> {
    let mut r = quick_xml::Reader::from_reader(reader);
    let mut buf = Vec::new();
    let mut out = HashSet::new();
    // rows and cells may omit their `r`: count them then
    let (mut row, mut col) = (0u32, 0u32);
    let mut first_row = true;
    loop {
        match r.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"row" => {
                    row = match attr(&e, b"r").and_then(|v| v.parse::<u32>().ok()) {
                        Some(n) if n > 0 => n - 1,
                        _ if first_row => 0,
                        _ => row + 1,
                    };
                    first_row = false;
                    col = 0;
                }
                b"c" => {
                    let at = attr(&e, b"r").and_then(|v| cell_ref(&v));
                    let (rr, cc) = at.unwrap_or((row, col));
                    col = cc + 1;
                    if let Some(s) = attr(&e, b"s").and_then(|v| v.parse::<u32>().ok()) {
                        if styles.contains(&s) {
                            out.insert((rr, cc));
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_codes() {
        for c in ["0%", "0.00%", "#,##0.0%", "0%;-0%"] {
            assert!(is_percent_code(c), "{c}");
        }
        for c in ["General", "0.00", "\"%\"0", "0\\%", "[Red]0.0", "0.0;\"%\""] {
            assert!(!is_percent_code(c), "{c}");
        }
    }

    #[test]
    fn cell_refs() {
        assert_eq!(cell_ref("A1"), Some((0, 0)));
        assert_eq!(cell_ref("D5"), Some((4, 3)));
        assert_eq!(cell_ref("AA10"), Some((9, 26)));
    }
}
