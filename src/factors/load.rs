//! Reading factor datasets (`dataset.toml` + `factors.csv`) from the embedded
//! copy or from a folder, collecting every problem with its file and line.

use super::{Confidence, Dataset, Factor, Origin, Source, Uncertainty};
use crate::error::{did_you_mean, DataError, Error, Location, Result};
use crate::substance::Substance;
use crate::text::{Lang, Text};
use crate::tr;
use crate::units::{parse_decimal, Unit};
use include_dir::{include_dir, Dir};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;

/// The repository's `factors/` folder, embedded at build time.
pub static EMBEDDED_FACTORS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/factors");

/// The CSV header every `factors.csv` must have, in this order.
pub const HEADER: [&str; 12] = [
    "id",
    "value",
    "unit",
    "substance",
    "edition",
    "geography",
    "confidence",
    "source",
    "locator",
    "alternative",
    "note",
    "uncertainty",
];

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DatasetToml {
    id: String,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    sources: BTreeMap<String, Source>,
}

/// (path, contents) of every file of the embedded library.
pub(crate) fn embedded_files() -> Vec<(String, String)> {
    let mut out = Vec::new();
    collect_embedded(&EMBEDDED_FACTORS, &mut out);
    out.sort();
    out
}

fn collect_embedded(dir: &Dir<'static>, out: &mut Vec<(String, String)>) {
    for f in dir.files() {
        if let Some(text) = f.contents_utf8() {
            out.push((format!("factors/{}", f.path().display()), text.to_string()));
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

/// The largest dataset file read from a `--factors` folder: 16 MB. The
/// shipped library's largest `factors.csv` is about 100 KB; a dataset a
/// hundred times that is still far below the bound.
pub const MAX_DATASET_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A dataset file's text. Only regular files (a link is followed to what it
/// names) are read, so that a FIFO or a link to `/dev/zero` is an error, not
/// a hang or a read until memory runs out; the read stops at the bound even
/// where the file grows while it is read.
fn read_bounded(p: &Path) -> Result<String> {
    use std::io::Read;
    let refuse =
        |why: Text| Error::Data(DataError::new(Location::file(p.display().to_string()), why));
    let io = |source| Error::Io {
        path: p.display().to_string(),
        source,
    };
    let meta = std::fs::metadata(p).map_err(io)?;
    if !meta.is_file() {
        return Err(refuse(tr!(
            "not a regular file (a device, a pipe or a folder): a dataset file must be a text file",
            "不是普通文件（而是设备、管道或文件夹）：数据集文件须为文本文件"
        )));
    }
    let too_big = || {
        let mb = MAX_DATASET_FILE_BYTES / (1024 * 1024);
        refuse(tr!(
            "larger than {mb} MB, the bound for a dataset file: split the dataset",
            "大于数据集文件的上限 {mb} MB：请拆分该数据集"
        ))
    };
    if meta.len() > MAX_DATASET_FILE_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(p)
        .map_err(io)?
        .take(MAX_DATASET_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_DATASET_FILE_BYTES {
        return Err(too_big());
    }
    String::from_utf8(bytes).map_err(|e| {
        let byte = e.utf8_error().valid_up_to();
        refuse(tr!(
            "not UTF-8 text (byte {byte} is not valid): save the file as UTF-8",
            "不是 UTF-8 文本（偏移 {byte} 处的字节无效）：请将文件另存为 UTF-8 编码"
        ))
    })
}

/// (path, contents) of the dataset files under a folder.
pub(crate) fn dir_files(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let io = |path: &Path, source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let entries = std::fs::read_dir(dir).map_err(|e| io(dir, e))?;
    let mut subdirs: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    subdirs.sort();
    for sub in subdirs {
        for name in ["dataset.toml", "factors.csv"] {
            let p = sub.join(name);
            if p.exists() {
                out.push((p.display().to_string(), read_bounded(&p)?));
            }
        }
    }
    if out.is_empty() {
        return Err(Error::Data(DataError::new(
            Location::file(dir.display().to_string()),
            tr!(
                "no factor datasets found (expected <dataset>/dataset.toml and <dataset>/factors.csv)",
                "未找到排放因子数据集（应有 <dataset>/dataset.toml 和 <dataset>/factors.csv）"
            ),
        )));
    }
    Ok(out)
}

/// Parses all datasets among `files`, returning datasets, factors and findings.
pub fn load_dataset_files(
    files: &[(String, String)],
    origin: &Origin,
) -> (Vec<Dataset>, Vec<Factor>, Vec<DataError>) {
    type File<'f> = Option<&'f (String, String)>;
    let mut by_dir: BTreeMap<String, (File, File)> = BTreeMap::new();
    let mut findings = Vec::new();
    for file in files {
        let (dir, name) = match file.0.rsplit_once('/') {
            Some((d, n)) => (d.to_string(), n),
            None => (String::new(), file.0.as_str()),
        };
        match name {
            "dataset.toml" => by_dir.entry(dir).or_default().0 = Some(file),
            "factors.csv" => by_dir.entry(dir).or_default().1 = Some(file),
            _ => {}
        }
    }
    let mut datasets = Vec::new();
    let mut factors = Vec::new();
    for (dir, (toml_file, csv_file)) in by_dir {
        let (Some(toml_file), Some(csv_file)) = (toml_file, csv_file) else {
            findings.push(DataError::new(
                Location::file(dir.clone()),
                tr!(
                    "a dataset folder needs both dataset.toml and factors.csv",
                    "数据集文件夹须同时包含 dataset.toml 和 factors.csv"
                ),
            ));
            continue;
        };
        let meta: DatasetToml = match toml::from_str(&toml_file.1) {
            Ok(m) => m,
            Err(e) => {
                let line = e
                    .span()
                    .map(|s| crate::error::line_of(&toml_file.1, s.start))
                    .unwrap_or(1);
                findings.push(DataError::new(
                    Location::line(&toml_file.0, line),
                    e.message().to_string(),
                ));
                continue;
            }
        };
        let folder = dir.rsplit('/').next().unwrap_or(&dir).to_string();
        if meta.id != folder {
            let id = &meta.id;
            findings.push(DataError::new(
                Location::file(&toml_file.0),
                tr!(
                    "dataset id '{id}' differs from its folder name '{folder}'",
                    "数据集编号“{id}”与其文件夹名“{folder}”不一致"
                ),
            ));
        }
        let dataset = Dataset {
            id: meta.id.clone(),
            title: meta.title,
            description: meta.description,
            sources: meta.sources,
            path: dir.clone(),
        };
        parse_csv(csv_file, &dataset, origin, &mut factors, &mut findings);
        datasets.push(dataset);
    }
    (datasets, factors, findings)
}

/// Reads one dataset's `factors.csv`: the header must be [`HEADER`], then
/// each row is a factor or the findings that keep it out.
fn parse_csv(
    (path, text): &(String, String),
    dataset: &Dataset,
    origin: &Origin,
    factors: &mut Vec<Factor>,
    findings: &mut Vec<DataError>,
) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    if let Err(e) = check_header(&mut reader, path) {
        findings.push(e);
        return;
    }
    let mut order = IdOrder::default();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                findings.push(DataError::new(Location::line(path, line), e.to_string()));
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        let here = Location::line(path, line);
        if record.len() != HEADER.len() {
            let (want, found) = (HEADER.len(), record.len());
            findings.push(DataError::new(
                here,
                tr!(
                    "expected {want} fields, found {found}",
                    "应有 {want} 个字段，实际为 {found} 个"
                ),
            ));
            continue;
        }
        let mut row = Row {
            record: &record,
            here,
            errors: Vec::new(),
        };
        let factor = row.factor(line, &mut order, dataset, origin);
        // Every problem of the row, each a finding at its line; a row with
        // one gives no factor.
        if !row.errors.is_empty() {
            findings.extend(row.errors);
        } else if let Some(factor) = factor {
            factors.push(factor);
        }
    }
}

/// The header row must be exactly [`HEADER`]; anything else is one finding
/// on line 1 and the file is not read further.
fn check_header<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    path: &str,
) -> std::result::Result<(), DataError> {
    match reader.headers() {
        Ok(h) if h.iter().eq(HEADER.iter().copied()) => Ok(()),
        Ok(h) => {
            let want = HEADER.join(",");
            let found = h.iter().collect::<Vec<_>>().join(",");
            Err(DataError::new(
                Location::line(path, 1),
                tr!(
                    "header must be '{want}', found '{found}'",
                    "表头须为“{want}”，实际为“{found}”"
                ),
            ))
        }
        Err(e) => Err(DataError::new(Location::line(path, 1), e.to_string())),
    }
}

/// The ids seen so far in a file: each defined once, rows sorted by id (so
/// that diffs of the library stay readable).
#[derive(Default)]
struct IdOrder {
    previous_id: Option<String>,
    first_line: BTreeMap<String, usize>,
}

/// One full-width row of `factors.csv` and the problems found in it so far.
struct Row<'r> {
    record: &'r csv::StringRecord,
    here: Location,
    errors: Vec<DataError>,
}

impl Row<'_> {
    fn field(&self, i: usize) -> String {
        self.record.get(i).unwrap_or("").trim().to_string()
    }

    /// A problem of the row at its line (a [`Text`], so every message is
    /// made by `tr!`).
    fn problem(&mut self, message: Text) {
        self.errors.push(DataError::new(self.here.clone(), message));
    }

    /// The row's factor, every column checked; `None` where a column is
    /// wrong (the problem is in `errors`).
    fn factor(
        &mut self,
        line: usize,
        order: &mut IdOrder,
        dataset: &Dataset,
        origin: &Origin,
    ) -> Option<Factor> {
        let id = self.field(0);
        self.check_id(&id, line, order);
        let value = self.value();
        let unit = self.unit();
        if let (Some(v), Some(u)) = (value, &unit) {
            if let Some(problem) = super::value_problem(&id, v, u) {
                self.problem(problem);
            }
        }
        let substance = self.substance();
        let confidence = self.confidence();
        let source_key = self.field(7);
        let source = self.source(&source_key, dataset);
        if self.field(4).is_empty() {
            self.problem(tr!("edition is empty", "版本（edition）为空"));
        }
        let uncertainty = self.uncertainty(&id, value);
        let (Some(value), Some(unit), Some(confidence), Some(source)) =
            (value, unit, confidence, source)
        else {
            return None;
        };
        Some(Factor {
            id,
            value,
            unit,
            substance,
            edition: self.field(4),
            geography: self.field(5),
            confidence,
            dataset: dataset.id.clone(),
            source_key,
            source,
            locator: self.field(8),
            alternative: self.field(9),
            note: self.field(10),
            uncertainty,
            location: self.here.clone(),
            origin: origin.clone(),
            replaced_value: None,
        })
    }

    /// The id's spelling, its uniqueness in the file and the sort order.
    fn check_id(&mut self, id: &str, line: usize, order: &mut IdOrder) {
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        {
            self.problem(tr!(
                "factor id '{id}' must be lower-case letters, digits, '.', '_' or '-'",
                "排放因子编号“{id}”只能由小写字母、数字、“.”、“_”或“-”组成"
            ));
        }
        if let Some(first) = order.first_line.get(id) {
            self.problem(tr!(
                "factor id '{id}' is defined twice in this file (first on line {first}): keep one row",
                "排放因子编号“{id}”在此文件中定义了两次（首次在第 {first} 行）：请只保留一行"
            ));
        } else if let Some(prev) = &order.previous_id {
            if id < prev.as_str() {
                self.problem(tr!(
                    "rows must be sorted by id: '{id}' comes after '{prev}'",
                    "各行须按编号排序：“{id}”不应排在“{prev}”之后"
                ));
            }
        }
        order.first_line.entry(id.to_string()).or_insert(line);
        order.previous_id = Some(id.to_string());
    }

    fn value(&mut self) -> Option<Decimal> {
        let value = parse_decimal(&self.field(1));
        if value.is_none() {
            let text = self.field(1);
            self.problem(tr!(
                "value '{text}' is not a decimal number",
                "数值“{text}”不是十进制数"
            ));
        }
        value
    }

    fn unit(&mut self) -> Option<Unit> {
        match Unit::parse(&self.field(2)) {
            Ok(u) => Some(u),
            Err(e) => {
                self.problem(Text::from(&e));
                None
            }
        }
    }

    /// The substance, where the row names one (an empty cell is none).
    fn substance(&mut self) -> Option<Substance> {
        if self.field(3).is_empty() {
            return None;
        }
        match Substance::parse(&self.field(3)) {
            Some(s) => Some(s),
            None => {
                let sub = self.field(3);
                self.errors.push(
                    DataError::new(
                        self.here.clone(),
                        tr!("unknown substance '{sub}'", "未知物质“{sub}”"),
                    )
                    .with_hint(did_you_mean(&sub, Substance::codes())),
                );
                None
            }
        }
    }

    fn confidence(&mut self) -> Option<Confidence> {
        let confidence = Confidence::parse(&self.field(6));
        if confidence.is_none() {
            let mark = self.field(6);
            self.problem(tr!(
                "confidence '{mark}' is not one of verified, secondary, conflicting, derived, unverified, assumption",
                "可信度“{mark}”不是 verified、secondary、conflicting、derived、unverified、assumption 之一"
            ));
        }
        confidence
    }

    /// The source the row cites, which dataset.toml must define.
    fn source(&mut self, source_key: &str, dataset: &Dataset) -> Option<Source> {
        let source = dataset.sources.get(source_key).cloned();
        if source.is_none() {
            self.errors.push(
                DataError::new(
                    self.here.clone(),
                    tr!(
                        "source '{source_key}' is not defined in dataset.toml [sources]",
                        "来源“{source_key}”未在 dataset.toml 的 [sources] 中定义"
                    ),
                )
                .with_hint(did_you_mean(
                    source_key,
                    dataset.sources.keys().map(String::as_str),
                )),
            );
        }
        source
    }

    /// The uncertainty, read around the value (so only where the value is
    /// a number); an empty cell is none.
    fn uncertainty(&mut self, id: &str, value: Option<Decimal>) -> Option<Uncertainty> {
        match (self.field(11).as_str(), value) {
            ("", _) => None,
            (text, Some(v)) => match Uncertainty::parse(text, v) {
                Ok(u) => Some(u),
                Err(e) => {
                    self.problem(Text::new(
                        format!("factor '{id}': {}", e.en),
                        format!("排放因子“{id}”：{}", e.get(Lang::Zh)),
                    ));
                    None
                }
            },
            (_, None) => None,
        }
    }
}
