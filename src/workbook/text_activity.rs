//! The activity table as a delimited text file beside the workbook (setting
//! `activity_file`): for studies past Excel's 1,048,576 rows (about 120,000
//! facility-years in one activity sheet). The file has the activity sheet's
//! columns, in English or Chinese, and goes through the very same row
//! checks: it is read in chunks of lines, each chunk a [`Table`] of its own
//! lines, so every finding says `activity.csv:7 (column D)`. UTF-8 (with or
//! without a byte-order mark) and GB18030/GBK, the encoding of a CSV saved
//! by Excel or WPS on a Chinese system, are both read, field by field;
//! commas, tabs or semicolons, whichever the header line uses.

use super::*;
use std::sync::Arc;

/// Lines read into one table at a time: large enough that the per-chunk
/// work is negligible, small enough that a chunk's cells stay a few MB.
const CHUNK_LINES: usize = 32_768;

/// Reads `path` (the `activity_file` setting, resolved beside the workbook)
/// into the study's facility-years; `at` is the setting's cell, where a
/// file that cannot be opened is reported.
pub(super) fn read_activity_file(
    path: &Path,
    at: &Location,
    study: &mut Study,
    sectors: &SectorLibrary,
    unusable: &std::collections::BTreeSet<String>,
    limits: &Limits,
    findings: &mut Vec<DataError>,
) {
    let shown = path.display().to_string();
    let file = match std::fs::File::open(path) {
        Ok(f) if f.metadata().is_ok_and(|m| m.is_file()) => f,
        Ok(_) => {
            findings.push(DataError::new(
                at.clone(),
                tr!(
                    "activity_file '{shown}' is not a regular file",
                    "activity_file“{shown}”不是普通文件"
                ),
            ));
            return;
        }
        Err(e) => {
            let reason = e.to_string();
            findings.push(DataError::new(
                at.clone(),
                tr!(
                    "activity_file '{shown}' cannot be opened ({reason}): give its path relative to the workbook's folder, or an absolute path",
                    "无法打开 activity_file“{shown}”（{reason}）：请填写相对于工作簿所在文件夹的路径，或绝对路径"
                ),
            ));
            return;
        }
    };
    let name: Arc<str> = Arc::from(
        path.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or(shown),
    );
    let mut input = std::io::BufReader::with_capacity(1 << 20, LineFeeds::new(file));
    let delimiter = match sniff_delimiter(&mut input) {
        Ok(d) => d,
        Err(e) => {
            findings.push(io_finding(&name, 1, &e));
            return;
        }
    };
    let mut csv = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(input);
    let mut records = csv.byte_records();
    let Some(header) = read_header(&name, &mut records, limits, findings) else {
        return;
    };
    let mut reader = ActivityReader::new(study, sectors, unusable);
    let mut chunk: Vec<(u32, Vec<Data>)> = Vec::with_capacity(CHUNK_LINES);
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as u32);
                findings.push(csv_finding(&name, line, &e));
                break;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as u32);
        let cells = record
            .iter()
            .take(header.width)
            .enumerate()
            .map(|(c, field)| field_data(field, &name, line, c as u32, findings))
            .collect();
        chunk.push((line, cells));
        if chunk.len() == CHUNK_LINES {
            read_chunk(&mut reader, &header, &name, &chunk, findings);
            chunk.clear();
        }
    }
    if !chunk.is_empty() {
        read_chunk(&mut reader, &header, &name, &chunk, findings);
    }
    reader.finish(study);
}

/// The header line mapped to the activity columns, and its width.
struct Header {
    cols: BTreeMap<&'static str, usize>,
    width: usize,
}

/// Reads and checks the header line with the sheet's own header check
/// (names in English or Chinese, required columns, a second column for the
/// same field); its findings are given the file's places.
fn read_header(
    name: &Arc<str>,
    records: &mut ::csv::ByteRecordsIter<'_, std::io::BufReader<LineFeeds<std::fs::File>>>,
    limits: &Limits,
    findings: &mut Vec<DataError>,
) -> Option<Header> {
    let first = match records.next() {
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            findings.push(csv_finding(name, 1, &e));
            return None;
        }
        None => {
            findings.push(DataError::new(
                Location::line(name, 1),
                tr!(
                    "the activity file is empty: it needs a header line (facility_id, year, item, value, unit)",
                    "活动数据文件为空：须有表头行（facility_id、year、item、value、unit）"
                ),
            ));
            return None;
        }
    };
    let line = first.position().map_or(1, |p| p.line() as u32);
    let width = first.len().max(1);
    let mut range = Grid::new((line - 1, 0), (line - 1, width as u32 - 1));
    for (c, field) in first.iter().enumerate() {
        let text = decode(field).trim_start_matches('\u{feff}').to_string();
        range.set_value((line - 1, c as u32), Data::String(text));
    }
    let mut own = Vec::new();
    let table = table("activity", name, &range, None, limits, &mut own);
    findings.extend(own.into_iter().map(|mut f| {
        f.location = as_field(&f.location, name);
        f
    }));
    table.map(|t| Header {
        cols: t.cols,
        width,
    })
}

/// Reads one chunk of lines as a table: its cells at their lines, an empty
/// row above the first standing for the header.
fn read_chunk(
    reader: &mut ActivityReader<'_>,
    header: &Header,
    name: &Arc<str>,
    chunk: &[(u32, Vec<Data>)],
    findings: &mut Vec<DataError>,
) {
    let (Some(first), Some(last)) = (chunk.first(), chunk.last()) else {
        return;
    };
    // line L sits at row L − 1; the header stand-in one row above the first
    let top = first.0.saturating_sub(2);
    let mut range = Grid::new((top, 0), (last.0 - 1, header.width as u32 - 1));
    for (line, cells) in chunk {
        for (c, d) in cells.iter().enumerate() {
            if !matches!(d, Data::Empty) {
                range.set_value((line - 1, c as u32), d.clone());
            }
        }
    }
    let t = Table {
        sheet: name.clone(),
        range: &range,
        start: (top, 0),
        cols: header.cols.clone(),
        header_row: 0,
        percent: None,
        text_file: true,
    };
    reader.read(&t, findings);
}

/// A field's text: UTF-8 where it is, else GB18030 (which includes GBK and
/// GB2312), so a file saved as "CSV" on a Chinese system reads as written.
fn decode(field: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(field) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => encoding_rs::GB18030.decode_without_bom_handling(field).0,
    }
}

/// One field as a cell: empty, or its text (numbers stay text, read exactly
/// by the row checks); text longer than a spreadsheet cell holds is a
/// finding, as it is in a workbook.
fn field_data(
    field: &[u8],
    name: &Arc<str>,
    line: u32,
    col0: u32,
    findings: &mut Vec<DataError>,
) -> Data {
    let text = decode(field);
    let text = text.trim();
    if text.is_empty() {
        return Data::Empty;
    }
    if text.chars().count() > MAX_CELL_CHARS {
        findings.push(DataError::new(
            Location::Field {
                file: name.clone(),
                line,
                col0,
            },
            tr!(
                "the field is longer than {MAX_CELL_CHARS} characters",
                "该字段超过 {MAX_CELL_CHARS} 个字符"
            ),
        ));
        return Data::Empty;
    }
    Data::String(text.to_string())
}

/// The delimiter the header line uses: the most frequent of comma, tab and
/// semicolon (comma when none).
fn sniff_delimiter(input: &mut impl std::io::BufRead) -> std::io::Result<u8> {
    let buf = input.fill_buf()?;
    let line = buf.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let count = |d: u8| line.iter().filter(|&&b| b == d).count();
    let best = [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|&d| (count(d), d == b','))
        .unwrap_or(b',');
    Ok(if count(best) == 0 { b',' } else { best })
}

/// A header finding made at a sheet cell, moved to the file's line.
fn as_field(l: &Location, name: &Arc<str>) -> Location {
    match l {
        Location::Cell { row0, col0, .. } => Location::Field {
            file: name.clone(),
            line: row0 + 1,
            col0: *col0,
        },
        other => other.clone(),
    }
}

fn io_finding(name: &Arc<str>, line: u32, e: &std::io::Error) -> DataError {
    let reason = e.to_string();
    DataError::new(
        Location::line(name, line as usize),
        tr!(
            "the activity file cannot be read: {reason}",
            "无法读取活动数据文件：{reason}"
        ),
    )
}

fn csv_finding(name: &Arc<str>, line: u32, e: &::csv::Error) -> DataError {
    let reason = e.to_string();
    DataError::new(
        Location::line(name, line.max(1) as usize),
        tr!(
            "the activity file cannot be read past this line: {reason} (check the quotes on this line)",
            "活动数据文件在此行之后无法读取：{reason}（请检查此行的引号）"
        ),
    )
}

/// A reader that turns CRLF line ends into LF. The csv crate reports the
/// line of a record that follows a CRLF one line too early (the `\n` of the
/// CRLF is taken as the start of the next record), and Excel on Windows
/// writes CRLF: without this every place would point at the line above.
pub(super) struct LineFeeds<R> {
    inner: R,
    /// a `\r` that ended the last read, held until the next byte is known
    pending_cr: bool,
}

impl<R> LineFeeds<R> {
    pub(super) fn new(inner: R) -> Self {
        LineFeeds {
            inner,
            pending_cr: false,
        }
    }
}

impl<R: std::io::Read> std::io::Read for LineFeeds<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.len() < 2 {
            return self.inner.read(out);
        }
        loop {
            let start = usize::from(self.pending_cr);
            if self.pending_cr {
                out[0] = b'\r';
            }
            let n = self.inner.read(&mut out[start..])?;
            let total = start + n;
            self.pending_cr = false;
            if n == 0 {
                // the end: a held `\r` is given as it is
                return Ok(total);
            }
            let mut w = 0;
            let mut i = 0;
            while i < total {
                let b = out[i];
                if b == b'\r' {
                    if i + 1 == total {
                        self.pending_cr = true;
                        break;
                    }
                    if out[i + 1] == b'\n' {
                        i += 1;
                        continue;
                    }
                }
                out[w] = b;
                w += 1;
                i += 1;
            }
            if w > 0 {
                return Ok(w);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// A reader that hands out one byte at a time, so every CRLF straddles
    /// two reads.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), out.first_mut()) {
                (Some((b, rest)), Some(o)) => {
                    *o = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn crlf_becomes_lf_across_reads_and_lone_cr_stays() {
        let text = b"a,b\r\n1,2\r\n3,\"x\ry\"\r\n4,5\r";
        let mut whole = String::new();
        LineFeeds::new(&text[..])
            .read_to_string(&mut whole)
            .unwrap();
        assert_eq!(whole, "a,b\n1,2\n3,\"x\ry\"\n4,5\r");
        let mut small = Vec::new();
        let mut r = LineFeeds::new(Trickle(text));
        let mut buf = [0u8; 2];
        loop {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            small.extend_from_slice(&buf[..n]);
        }
        assert_eq!(String::from_utf8(small).unwrap(), whole);
    }

    #[test]
    fn records_after_crlf_lines_are_at_their_own_lines() {
        let text = b"a,b\r\n1,2\r\n3,\"x\r\ny\"\r\n5,6\r\n";
        let mut csv = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(LineFeeds::new(&text[..]));
        let lines: Vec<u64> = csv
            .byte_records()
            .map(|r| r.unwrap().position().unwrap().line())
            .collect();
        assert_eq!(lines, [1, 2, 3, 5]);
    }
}
