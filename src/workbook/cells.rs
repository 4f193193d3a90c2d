//! Cells in: sheet and column names (EN/ZH), a sheet read cell by cell within
//! its bounds, a header mapped to canonical columns ([`Table`]), and cell text and
//! numbers turned into exact decimals with their locations.

use super::*;

/// Sheet names accepted, English and Chinese.
pub(super) const SHEETS: &[(&str, &[&str])] = &[
    ("settings", &["settings", "设置", "参数设置"]),
    ("facilities", &["facilities", "设施", "企业", "设施清单"]),
    ("activity", &["activity", "活动数据", "活动水平"]),
    ("factors", &["factors", "因子", "排放因子"]),
    ("measures", &["measures", "措施"]),
    ("scenarios", &["scenarios", "情景"]),
    ("targets", &["targets", "目标"]),
    ("instructions", &["instructions", "说明", "填表说明"]),
];

/// Column names accepted per sheet (first = canonical English).
/// (canonical name, accepted names, required)
pub(super) type ColumnSpec = (&'static str, &'static [&'static str], bool);

pub(super) const COLUMNS: &[(&str, &[ColumnSpec])] = &[
    (
        "settings",
        &[
            ("key", &["key", "键", "参数", "名称"], true),
            ("value", &["value", "值", "数值"], true),
            ("unit", &["unit", "单位"], false),
        ],
    ),
    (
        "facilities",
        &[
            (
                "facility_id",
                &["facility_id", "设施编号", "企业编号", "编号"],
                true,
            ),
            ("name", &["name", "名称", "企业名称"], false),
            ("sector", &["sector", "行业"], true),
            ("technology", &["technology", "技术", "工艺"], false),
            ("city", &["city", "城市", "市州"], false),
            ("capacity", &["capacity", "产能"], false),
            ("capacity_unit", &["capacity_unit", "产能单位"], false),
        ],
    ),
    (
        "activity",
        &[
            (
                "facility_id",
                &["facility_id", "设施编号", "企业编号", "编号"],
                true,
            ),
            ("year", &["year", "年份", "年度"], true),
            ("item", &["item", "项目", "活动项"], true),
            ("value", &["value", "数值", "值"], true),
            ("unit", &["unit", "单位"], true),
            ("note", &["note", "备注"], false),
            ("uncertainty", &["uncertainty", "不确定性"], false),
        ],
    ),
    (
        "measures",
        &[
            ("measure_id", &["measure_id", "措施编号"], true),
            ("sector", &["sector", "行业"], true),
            ("name", &["name", "名称", "措施名称"], false),
            ("field", &["field", "字段", "类型"], true),
            ("node", &["node", "process", "工序"], false),
            ("target", &["target", "对象"], false),
            ("value", &["value", "数值", "值"], false),
            ("unit", &["unit", "单位"], false),
            ("note", &["note", "备注"], false),
        ],
    ),
    (
        "scenarios",
        &[
            ("scenario", &["scenario", "情景"], true),
            ("kind", &["kind", "类型"], false),
            ("field", &["field", "字段"], true),
            ("scope", &["scope", "范围"], false),
            ("target", &["target", "对象"], false),
            ("year", &["year", "年份"], false),
            ("value", &["value", "数值", "值"], false),
            ("unit", &["unit", "单位"], false),
            ("note", &["note", "备注"], false),
        ],
    ),
    (
        "targets",
        &[
            ("target_id", &["target_id", "目标编号"], true),
            ("year", &["year", "年份"], true),
            ("substance", &["substance", "污染物", "物质"], true),
            ("scope", &["scope", "范围"], false),
            ("cap", &["cap", "上限", "数值"], true),
            ("unit", &["unit", "单位"], true),
            ("note", &["note", "备注"], false),
        ],
    ),
    (
        "factors",
        &[
            ("factor_id", &["factor_id", "因子编号"], true),
            ("value", &["value", "数值", "值"], true),
            ("unit", &["unit", "单位"], true),
            ("source", &["source", "来源"], false),
        ],
    ),
];

pub(super) fn sheet_kind(name: &str) -> Option<&'static str> {
    let n = name.trim().to_lowercase();
    SHEETS
        .iter()
        .find(|(_, names)| names.iter().any(|x| x.to_lowercase() == n))
        .map(|(k, _)| *k)
}

/// A cell's value as a string for text columns (numbers keep their text).
pub(super) fn text(d: &Data) -> Option<String> {
    let s = match d {
        Data::Empty => return None,
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => format!("{e}"),
    };
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

/// The shortest decimal text that round-trips to this double.
pub(super) fn float_text(f: f64) -> String {
    // A whole number (years, counts, most capacities) is its digits: the
    // same text as Display's, without its general algorithm.
    if let Some(i) = whole(f) {
        return itoa::Buffer::new().format(i).to_string();
    }
    // Rust's Display for f64 is the shortest round-trip representation and
    // never uses an exponent.
    format!("{f}")
}

/// A non-zero whole double below 2^53 as an integer: exactly the number
/// (every integer there is a double), with the digits Display writes.
/// Zero is left out for its sign (`-0` is Display's text of −0.0).
fn whole(f: f64) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    (f != 0.0 && f.fract() == 0.0 && f.abs() < EXACT).then_some(f as i64)
}

/// A number cell: (value, written as a percentage).
pub(super) fn number(d: &Data, at: &Location) -> Result<Option<(Decimal, bool)>, DataError> {
    match d {
        Data::Empty => Ok(None),
        Data::Int(i) => Ok(Some((Decimal::from(*i), false))),
        Data::Float(f) => {
            if !f.is_finite() {
                return Err(DataError::new(
                    at.clone(),
                    tr!("the number is not finite", "该数值不是有限数"),
                ));
            }
            if let Some(i) = whole(*f) {
                return Ok(Some((Decimal::from(i), false)));
            }
            parse_decimal(&float_text(*f))
                .map(|v| Some((v, false)))
                .ok_or_else(|| {
                    DataError::new(
                        at.clone(),
                        tr!("number {f} is out of range", "数值 {f} 超出范围"),
                    )
                })
        }
        Data::String(s) => {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            let (body, pct) = match t.strip_suffix(['%', '％']) {
                Some(b) => (b, true),
                None => (t, false),
            };
            crate::units::parse_decimal_explained(body)
                .map(|v| Some((v, pct)))
                .map_err(|why| {
                    // Digits that a Decimal cannot hold (beyond about 7.9e28)
                    // get the words a numeric cell of that size gets.
                    let numeric = body.chars().any(|c| c.is_ascii_digit())
                        && body
                            .chars()
                            .all(|c| c.is_ascii_digit() || "+-.eE, ".contains(c));
                    if why.en.is_empty() && numeric {
                        DataError::new(
                            at.clone(),
                            tr!("number {t} is out of range", "数值 {t} 超出范围"),
                        )
                    } else {
                        DataError::new(
                            at.clone(),
                            Text::new(
                                format!("'{t}' is not a number{}", why.en),
                                format!("“{t}”不是数值{}", why.get(Lang::Zh)),
                            ),
                        )
                    }
                })
        }
        Data::Error(e) => Err(DataError::new(
            at.clone(),
            tr!(
                "the cell holds the error value {e}: fix the formula or type the value",
                "单元格中为错误值 {e}：请修改公式或直接填写数值"
            ),
        )),
        Data::Bool(b) => Err(DataError::new(
            at.clone(),
            tr!("'{b}' is not a number", "“{b}”不是数值"),
        )),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => Err(DataError::new(
            at.clone(),
            tr!(
                "the cell holds a date or time, not a number",
                "单元格中为日期或时间，而不是数值"
            ),
        )),
    }
}

/// A sheet with its header mapped to canonical column names.
pub(super) struct Table<'a> {
    /// shared by every location of the sheet's cells
    pub(super) sheet: std::sync::Arc<str>,
    pub(super) range: &'a Grid,
    pub(super) start: (u32, u32),
    pub(super) cols: BTreeMap<&'static str, usize>,
    pub(super) header_row: usize,
    /// Absolute positions of percent-formatted cells; `None` when the file's
    /// formats cannot be read.
    pub(super) percent: Option<&'a std::collections::HashSet<(u32, u32)>>,
    /// True for the lines of a delimited text file (`sheet` is then the
    /// file's name and a row is a line): places are `file:line (column D)`.
    pub(super) text_file: bool,
}

impl Table<'_> {
    pub(super) fn at(&self, row: usize, col: usize) -> Location {
        if self.text_file {
            return Location::Field {
                file: self.sheet.clone(),
                line: self.start.0 + row as u32 + 1,
                col0: self.start.1 + col as u32,
            };
        }
        Location::cell(
            self.sheet.clone(),
            self.start.0 + row as u32,
            self.start.1 + col as u32,
        )
    }
    pub(super) fn col_at(&self, row: usize, name: &str) -> Location {
        let c = self.cols.get(name).copied().unwrap_or(0);
        self.at(row, c)
    }
    pub(super) fn get(&self, row: usize, name: &str) -> &Data {
        self.cols
            .get(name)
            .and_then(|&c| self.range.get((row, c)))
            .unwrap_or(&Data::Empty)
    }
    pub(super) fn text(&self, row: usize, name: &str) -> Option<String> {
        text(self.get(row, name))
    }
    /// True when the cell has a percent number format.
    pub(super) fn is_percent_formatted(&self, row: usize, name: &str) -> bool {
        let Some(&c) = self.cols.get(name) else {
            return false;
        };
        let pos = (self.start.0 + row as u32, self.start.1 + c as u32);
        self.percent.is_some_and(|p| p.contains(&pos))
    }
    /// A number cell: (value, written as a percentage). A percent-formatted
    /// number (0.02 shown as 2%) comes back as (2, true), like the text `2%`.
    pub(super) fn number(
        &self,
        row: usize,
        name: &str,
    ) -> Result<Option<(Decimal, bool)>, DataError> {
        let at = self.col_at(row, name);
        let d = self.get(row, name);
        let n = number(d, &at)?;
        match n {
            Some((v, false))
                if matches!(d, Data::Float(_) | Data::Int(_))
                    && self.is_percent_formatted(row, name) =>
            {
                let pct = v.checked_mul(Decimal::ONE_HUNDRED).ok_or_else(|| {
                    DataError::new(at, tr!("the percentage is out of range", "百分数超出范围"))
                })?;
                Ok(Some((pct.normalize(), true)))
            }
            other => Ok(other),
        }
    }
    /// True when the file's number formats could be read.
    pub(super) fn formats_known(&self) -> bool {
        self.percent.is_some()
    }
    pub(super) fn rows(&self) -> std::ops::Range<usize> {
        self.header_row + 1..self.range.height()
    }
    pub(super) fn is_blank(&self, row: usize) -> bool {
        (0..self.range.width()).all(|c| self.range.get((row, c)).is_none_or(|d| text(d).is_none()))
    }
}

pub(super) fn table<'a>(
    kind: &str,
    sheet: &str,
    range: &'a Grid,
    percent: Option<&'a std::collections::HashSet<(u32, u32)>>,
    limits: &Limits,
    findings: &mut Vec<DataError>,
) -> Option<Table<'a>> {
    let spec = COLUMNS.iter().find(|(k, _)| *k == kind)?.1;
    let start = range.start().unwrap_or((0, 0));
    let header_row = (0..range.height()).find(|&r| {
        (0..range.width()).any(|c| range.get((r, c)).is_some_and(|d| text(d).is_some()))
    });
    let Some(header_row) = header_row else {
        findings.push(DataError::new(
            Location::Sheet {
                sheet: sheet.into(),
            },
            tr!(
                "the sheet is empty: it needs a header row",
                "工作表为空：须有表头行"
            ),
        ));
        return None;
    };
    let mut cols = BTreeMap::new();
    let mut headers = Vec::new();
    let mut duplicates = Vec::new();
    for c in 0..range.width() {
        let Some(h) = range.get((header_row, c)).and_then(text) else {
            continue;
        };
        headers.push(h.clone());
        let hn = h.to_lowercase().replace(' ', "_");
        if let Some((canon, _, _)) = spec
            .iter()
            .find(|(_, names, _)| names.iter().any(|n| n.to_lowercase() == hn))
        {
            if let Some(&first) = cols.get(canon) {
                // Descriptive text may come twice in a bilingual sheet (name
                // and 名称): the first is kept. Two columns for a field that
                // feeds a number are a question for the user, not a guess.
                if matches!(*canon, "name" | "note") {
                    continue;
                }
                let at = |col: usize| {
                    Location::cell(sheet, start.0 + header_row as u32, start.1 + col as u32)
                };
                let first_at = at(first);
                duplicates.push(DataError::new(
                    at(c),
                    tr!(
                        "a second '{canon}' column (the first is at {first_at}): keep one, or rename the other (e.g. to 'note')",
                        "第二个“{canon}”列（第一个位于 {first_at}）：请只保留一列，或将另一列改名（如改为“note”）"
                    ),
                ));
            } else {
                cols.insert(*canon, c);
            }
        }
    }
    let mut ok = duplicates.is_empty();
    findings.append(&mut duplicates);
    for (canon, names, required) in spec {
        if *required && !cols.contains_key(canon) {
            ok = false;
            let alt = names.get(1).unwrap_or(canon);
            findings.push(
                DataError::new(
                    Location::cell(sheet, start.0 + header_row as u32, start.1),
                    tr!(
                        "missing column '{canon}' (or '{alt}') in the header row",
                        "表头行中缺少“{canon}”列（或“{alt}”列）"
                    ),
                )
                .with_hint(did_you_mean(canon, headers.iter().map(String::as_str))),
            );
        }
    }
    if range.height() > limits.rows {
        let (rows, max) = (range.height(), limits.rows);
        findings.push(DataError::new(
            Location::Sheet {
                sheet: sheet.into(),
            },
            tr!(
                "the sheet has {rows} rows; at most {max} are read: split the study",
                "工作表共有 {rows} 行，最多读取 {max} 行：请拆分本研究"
            ),
        ));
        return None;
    }
    ok.then_some(Table {
        sheet: std::sync::Arc::from(sheet),
        range,
        start,
        cols,
        header_row,
        percent,
        text_file: false,
    })
}

/// Most columns read from one sheet (the widest study table has nine).
pub const MAX_COLS: u32 = 256;

/// Most cells of one sheet's used range (rows × columns) held in memory.
pub const MAX_CELLS: u64 = 20_000_000;

/// Excel's limit on the text of one cell, in characters.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Reads one sheet's cells into a [`Grid`] (see [`read_cells`]).
pub(super) fn read_sheet<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Sheets<RS>,
    name: &str,
    limits: &Limits,
    findings: &mut Vec<DataError>,
) -> Result<Grid, DataError> {
    let mut cells = GridBuilder::default();
    read_cells(wb, name, limits, findings, &mut |at, d| {
        cells.push(at, d);
        true
    })?;
    Ok(cells.finish())
}

/// Reads one sheet's non-empty cells in the file's order, handing each to
/// `sink` (which returns false to stop reading), without allocating the
/// sheet's bounding box: xlsx and xlsb sheets are streamed cell by cell, and
/// a used range beyond the row, column or cell bound (a stray value at
/// `XFD1048576`) is a finding naming the sheet and the cell, made before
/// anything large is allocated; reading stops there and the cells before it
/// have been handed on. Text longer than Excel's 32,767 characters is a
/// finding naming its cell (and the cell is not handed on).
pub(super) fn read_cells<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Sheets<RS>,
    name: &str,
    limits: &Limits,
    findings: &mut Vec<DataError>,
    sink: &mut dyn FnMut((u32, u32), Data) -> bool,
) -> Result<(), DataError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        let why = first_line(&e.to_string());
        DataError::new(
            Location::Sheet { sheet: name.into() },
            tr!("cannot read the sheet: {why}", "无法读取该工作表：{why}"),
        )
    };
    /// 1048576 → "1,048,576".
    pub(super) fn grouped(n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    }
    let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0u32, u32::MAX, 0u32);
    // Hands on one non-empty cell, checking the bounds it would extend the
    // range to; Ok(false) when the sink is done.
    let mut add = |(r, c): (u32, u32), d: Data| -> Result<bool, DataError> {
        // Built only for a finding: most cells never need their name.
        let at = || Location::cell(name, r, c);
        let too_long = match &d {
            Data::String(t) if t.len() > MAX_CELL_CHARS => t.chars().count(),
            _ => 0,
        };
        if too_long > MAX_CELL_CHARS {
            let chars = grouped(too_long as u64);
            findings.push(DataError::new(
                at(),
                tr!(
                    "the text is {chars} characters long, more than Excel's limit of 32,767 per cell: shorten it (the cell is read as empty)",
                    "文本长度为 {chars} 个字符，超过 Excel 每个单元格 32,767 个字符的上限：请缩短（该单元格按空值读取）"
                ),
            ));
            return Ok(true);
        }
        let (nr0, nr1, nc0, nc1) = (r0.min(r), r1.max(r), c0.min(c), c1.max(c));
        let rows = u64::from(nr1 - nr0) + 1;
        let cols = u64::from(nc1 - nc0) + 1;
        if rows > limits.rows as u64 {
            let (rows, max) = (grouped(rows), limits.rows);
            return Err(DataError::new(
                at(),
                tr!(
                    "a value {rows} rows from the sheet's first row; at most {max} are read: delete stray cells below the table, or split the study",
                    "有数值位于距工作表首行 {rows} 行处，最多读取 {max} 行：请删除表格下方的零散单元格，或拆分本研究"
                ),
            ));
        }
        if cols > u64::from(MAX_COLS) || rows * cols > MAX_CELLS {
            let (rows, cols, cells) = (grouped(rows), grouped(cols), grouped(MAX_CELLS));
            return Err(DataError::new(
                at(),
                tr!(
                    "a value here makes the sheet's used range {rows} rows by {cols} columns; at most {MAX_COLS} columns and {cells} cells are read: delete the stray cells outside the table",
                    "此处的数值使工作表的已用区域达到 {rows} 行 × {cols} 列，最多读取 {MAX_COLS} 列、{cells} 个单元格：请删除表格以外的零散单元格"
                ),
            ));
        }
        (r0, r1, c0, c1) = (nr0, nr1, nc0, nc1);
        Ok(sink((r, c), d))
    };
    // Past a bound: the finding, and the cells read up to it (so the rest
    // of the sheet is still checked).
    let mut beyond = None;
    let mut go_on = |at: (u32, u32), d: Data| match add(at, d) {
        Ok(go_on) => go_on,
        Err(e) => {
            beyond = Some(e);
            false
        }
    };
    match wb {
        calamine::Sheets::Xlsx(x) => {
            let mut reader = match x.worksheet_cells_reader(name) {
                Ok(reader) => reader,
                Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(()),
                Err(e) => return Err(unreadable(&e)),
            };
            while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
                if *cell.get_value() != calamine::DataRef::Empty
                    && !go_on(cell.get_position(), cell.get_value().clone().into())
                {
                    break;
                }
            }
        }
        calamine::Sheets::Xlsb(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| unreadable(&e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
                if *cell.get_value() != calamine::DataRef::Empty
                    && !go_on(cell.get_position(), cell.get_value().clone().into())
                {
                    break;
                }
            }
        }
        // xls is bounded by its format (65,536 rows by 256 columns); ods
        // sheets are read whole by calamine, then held to the same bounds.
        other => {
            let range = other.worksheet_range(name).map_err(|e| unreadable(&e))?;
            let (sr, sc) = range.start().unwrap_or((0, 0));
            for (r, c, d) in range.used_cells() {
                if !go_on((sr + r as u32, sc + c as u32), d.clone()) {
                    break;
                }
            }
        }
    }
    findings.extend(beyond);
    Ok(())
}

/// Sorts findings by sheet, then row, then column.
pub(super) fn sort_key(l: &Location) -> (String, u32, u32) {
    match l {
        Location::Cell { sheet, row0, col0 } => (sheet.to_string(), row0 + 1, *col0),
        Location::Field { file, line, col0 } => (file.to_string(), *line, *col0),
        other => (other.to_string(), 0, 0),
    }
}

pub(super) fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}

/// The row's id in `col`: an error when empty or seen before (naming the first).
pub(super) fn unique_id(
    t: &Table<'_>,
    r: usize,
    col: &str,
    what: &str,
    seen: &mut BTreeMap<String, Location>,
    findings: &mut Vec<DataError>,
) -> Option<(String, Location)> {
    let at = t.col_at(r, col);
    // The kind of row in Chinese (callers pass the English word).
    let what_zh = match what {
        "facility" => "设施",
        "factor" => "因子",
        "measure" => "措施",
        "scenario" => "情景",
        "target" => "目标",
        other => other,
    };
    let Some(id) = t.text(r, col) else {
        findings.push(DataError::new(
            at,
            Text::new(
                format!("the {what} id is empty"),
                format!("{what_zh}编号为空"),
            ),
        ));
        return None;
    };
    if let Some(first) = seen.insert(id.clone(), at.clone()) {
        let first_zh = first.text(Lang::Zh);
        findings.push(DataError::new(
            at,
            Text::new(
                format!("{what} '{id}' is repeated (first at {first})"),
                format!("{what_zh}“{id}”重复（首次出现于 {first_zh}）"),
            ),
        ));
        return None;
    }
    Some((id, at))
}

/// A required number in `col`, a percentage turned into a fraction; an error
/// when empty or not a number.
pub(super) fn required_number(
    t: &Table<'_>,
    r: usize,
    col: &str,
    findings: &mut Vec<DataError>,
) -> Option<(Decimal, Location)> {
    let at = t.col_at(r, col);
    match t.number(r, col) {
        Ok(Some((v, pct))) => Some((if pct { v / Decimal::ONE_HUNDRED } else { v }, at)),
        Ok(None) => {
            findings.push(DataError::new(at, tr!("the {col} is empty", "{col} 为空")));
            None
        }
        Err(e) => {
            findings.push(e);
            None
        }
    }
}

/// A year cell as people write it: `2023`, or `2023年`, `2023 年`, `2023年度`
/// as text (the suffix dropped before the number is read).
pub(super) fn without_year_suffix(d: &Data) -> std::borrow::Cow<'_, Data> {
    match d {
        Data::String(s) => {
            let t = s.trim();
            match t.strip_suffix("年度").or_else(|| t.strip_suffix('年')) {
                Some(body) => std::borrow::Cow::Owned(Data::String(body.trim().to_string())),
                None => std::borrow::Cow::Borrowed(d),
            }
        }
        _ => std::borrow::Cow::Borrowed(d),
    }
}

pub(super) fn year_of(d: &Data, at: &Location) -> Result<Option<i32>, DataError> {
    match number(&without_year_suffix(d), at)? {
        None => Ok(None),
        Some((y, false))
            if y.fract().is_zero() && y.to_i32().is_some_and(|y| (1990..=2100).contains(&y)) =>
        {
            Ok(y.to_i32())
        }
        Some(_) => Err(DataError::new(
            at.clone(),
            tr!(
                "the year must be a whole year between 1990 and 2100",
                "年份须为 1990 至 2100 之间的整数年份"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Display's text and the decimal read from it: what a number cell gave
    /// before whole numbers took the short way.
    fn by_display(f: f64) -> (String, Option<Decimal>) {
        let text = format!("{f}");
        let value = parse_decimal(&text);
        (text, value)
    }

    #[test]
    fn whole_numbers_take_the_short_way_to_the_same_text_and_value() {
        let at = Location::cell("activity", 1, 1);
        for f in [
            2020.0,
            -3.0,
            1e15,
            9_007_199_254_740_991.0,
            0.0,
            -0.0,
            0.5,
            1e300,
        ] {
            let (text, value) = by_display(f);
            assert_eq!(float_text(f), text, "{f}");
            let got = number(&Data::Float(f), &at).ok().flatten().map(|(v, _)| v);
            assert_eq!(
                got.map(|v| v.to_string()),
                value.map(|v| v.to_string()),
                "{f}"
            );
        }
    }

    proptest! {
        #[test]
        fn every_double_reads_as_its_display_text(bits in any::<u64>(), small in -1e7f64..1e7) {
            let at = Location::cell("activity", 1, 1);
            for f in [f64::from_bits(bits), small, small.trunc()] {
                prop_assume!(f.is_finite());
                let (text, value) = by_display(f);
                prop_assert_eq!(float_text(f), text);
                let got = number(&Data::Float(f), &at).ok().flatten().map(|(v, _)| v.to_string());
                prop_assert_eq!(got, value.map(|v| v.to_string()));
            }
        }
    }
}
