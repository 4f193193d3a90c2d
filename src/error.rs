//! Shared error pieces: where a problem is ([`Location`]), one located finding
//! ([`DataError`]), the crate-wide [`Error`], and the did-you-mean helper.
//!
//! Every data error names its place (`factors/grid/factors.csv:12`,
//! `sectors/baijiu.toml:40`, `activity!D7`) so a user can go straight to it.
//! This module owns no domain logic.

use crate::text::{Lang, Text};
use std::fmt;

/// Where a piece of user or library data sits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    /// A line of a text file (1-based); `line` is `None` for the file as a whole.
    File {
        path: std::sync::Arc<str>,
        line: Option<u32>,
    },
    /// A cell of a workbook sheet by zero-based row and column, shown as
    /// `activity!D7`. The sheet name is shared (every activity value carries
    /// its cell, so a study of a million rows holds a million of these).
    Cell {
        sheet: std::sync::Arc<str>,
        row0: u32,
        col0: u32,
    },
    /// A field of a delimited text file (an activity CSV): its 1-based line
    /// and zero-based column, shown as `activity.csv:7 (column D)`, which
    /// is the line in an editor and the cell when the file is opened in a
    /// spreadsheet. The file name is shared like a sheet name.
    Field {
        file: std::sync::Arc<str>,
        line: u32,
        col0: u32,
    },
    /// A whole sheet of a workbook.
    Sheet { sheet: String },
    /// Built in code (a library API call, a facility-year of the engine):
    /// there is no file to point at. Boxed, like the file's path shared:
    /// every activity row holds a location, and the largest variant sets
    /// the size of all (32 bytes instead of 48).
    Api { what: Box<Text> },
}

impl Location {
    /// A line in a file.
    pub fn line(path: impl AsRef<str>, line: usize) -> Self {
        Location::File {
            path: path.as_ref().into(),
            line: Some(u32::try_from(line).unwrap_or(u32::MAX)),
        }
    }
    /// A file as a whole.
    pub fn file(path: impl AsRef<str>) -> Self {
        Location::File {
            path: path.as_ref().into(),
            line: None,
        }
    }
    /// A place built in code ([`Location::Api`]).
    pub fn api(what: impl Into<Text>) -> Self {
        Location::Api {
            what: Box::new(what.into()),
        }
    }
    /// A cell given by zero-based row and column, shown as `sheet!B7`.
    pub fn cell(sheet: impl Into<std::sync::Arc<str>>, row0: u32, col0: u32) -> Self {
        Location::Cell {
            sheet: sheet.into(),
            row0,
            col0,
        }
    }
}

impl Location {
    /// The same row or line as `self`, in the column of `other` (where a
    /// finding about one cell points at another cell of the same row).
    pub fn with_column(&self, other: &Location) -> Location {
        match (self, other) {
            (Location::Cell { sheet, row0, .. }, Location::Cell { col0, .. }) => Location::Cell {
                sheet: sheet.clone(),
                row0: *row0,
                col0: *col0,
            },
            (Location::Field { file, line, .. }, Location::Field { col0, .. }) => Location::Field {
                file: file.clone(),
                line: *line,
                col0: *col0,
            },
            _ => self.clone(),
        }
    }

    /// The place in `lang`: a sheet as a whole is `工作表“x”` in Chinese;
    /// cells, lines and files read the same in both.
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Location::Sheet { sheet }, Lang::Zh) => format!("工作表“{sheet}”"),
            (Location::Field { file, line, col0 }, Lang::Zh) => {
                format!("{file}:{line}（{} 列）", column_letters(*col0))
            }
            (Location::Api { what }, lang) => what.get(lang).to_string(),
            _ => self.to_string(),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File {
                path,
                line: Some(l),
            } => write!(f, "{path}:{l}"),
            Location::File { path, line: None } => write!(f, "{path}"),
            Location::Cell { sheet, row0, col0 } => {
                write!(f, "{sheet}!{}", cell_name(*row0, *col0))
            }
            Location::Field { file, line, col0 } => {
                write!(f, "{file}:{line} (column {})", column_letters(*col0))
            }
            Location::Sheet { sheet } => write!(f, "sheet '{sheet}'"),
            Location::Api { what } => write!(f, "{}", what.en),
        }
    }
}

/// A place as a text in both languages (where a warning stands).
impl From<&Location> for Text {
    fn from(location: &Location) -> Self {
        Text {
            en: location.to_string(),
            zh: Some(location.text(Lang::Zh)),
        }
    }
}

impl From<Location> for Text {
    fn from(location: Location) -> Self {
        Text::from(&location)
    }
}

/// 1-based line number of a byte offset in a text.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    let end = (0..=end)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    text[..end].matches('\n').count() + 1
}

/// Excel-style name of a zero-based (row, column): (6, 3) -> `D7`.
pub fn cell_name(row0: u32, col0: u32) -> String {
    format!("{}{}", column_letters(col0), row0 + 1)
}

/// Excel column letters of a zero-based column: 0 -> `A`, 26 -> `AA`.
pub fn column_letters(col0: u32) -> String {
    let mut n = col0 + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// One problem found in data, with its location and, where it helps, a hint.
/// `message` and `hint` are English (what JSON and tests read); their Chinese
/// comes from the same [`crate::tr!`] call and is shown by [`DataError::text`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DataError {
    pub location: Location,
    pub message: String,
    /// e.g. `did you mean 'grid.sc.avg.2022'?`
    pub hint: Option<String>,
    /// The Chinese of `message` and `hint`, boxed: findings travel in
    /// `Result`s everywhere, and an error type should stay small.
    pub zh: Option<Box<ZhText>>,
}

/// The Chinese of a finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct ZhText {
    pub message: Option<String>,
    pub hint: Option<String>,
}

impl DataError {
    pub fn new(location: Location, message: impl Into<Text>) -> Self {
        let mut e = DataError {
            location,
            message: String::new(),
            hint: None,
            zh: None,
        };
        e.set_message(message.into());
        e
    }
    pub fn with_hint(mut self, hint: Option<impl Into<Text>>) -> Self {
        let hint = hint.map(Into::into);
        let zh = hint.as_ref().and_then(|h| h.zh.clone());
        self.hint = hint.map(|h| h.en);
        self.zh_mut().hint = zh;
        self.drop_empty_zh();
        self
    }

    /// Replaces the message (both languages).
    pub fn set_message(&mut self, message: Text) {
        self.message = message.en;
        self.zh_mut().message = message.zh;
        self.drop_empty_zh();
    }

    fn zh_mut(&mut self) -> &mut ZhText {
        self.zh.get_or_insert_with(Default::default)
    }

    fn drop_empty_zh(&mut self) {
        if self
            .zh
            .as_ref()
            .is_some_and(|z| z.message.is_none() && z.hint.is_none())
        {
            self.zh = None;
        }
    }

    /// The message in `lang` (English where it has no Chinese).
    pub fn message_in(&self, lang: Lang) -> &str {
        match (lang, self.zh.as_ref().and_then(|z| z.message.as_ref())) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.message,
        }
    }

    /// `place: message (hint)` in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let mut out = format!(
            "{}{}{}",
            self.location.text(lang),
            // a full-width colon carries its own space
            if lang == Lang::Zh { "：" } else { ": " },
            self.message_in(lang)
        );
        let hint = match (lang, self.zh.as_ref().and_then(|z| z.hint.as_ref())) {
            (Lang::Zh, Some(zh)) => Some(zh),
            _ => self.hint.as_ref(),
        };
        if let Some(h) = hint {
            if lang == Lang::Zh {
                out.push_str(&format!("（{h}）"));
            } else {
                out.push_str(&format!(" ({h})"));
            }
        }
        out
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for DataError {}

/// The crate-wide error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A unit could not be parsed or converted.
    #[error(transparent)]
    Unit(#[from] crate::units::UnitError),
    /// One located problem in data.
    #[error(transparent)]
    Data(#[from] DataError),
    /// Several located problems, all collected in one run.
    #[error("{}", findings_text(.0, Lang::En))]
    Invalid(Vec<DataError>),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// An output file could not be written in its format.
    #[error("cannot write {path} ({format}): {reason}")]
    Write {
        path: String,
        format: &'static str,
        reason: String,
    },
    /// An output path whose extension names no format coreduce writes.
    #[error("unknown output format '.{extension}' for {path}: use {supported}")]
    UnknownFormat {
        path: String,
        extension: String,
        supported: &'static str,
    },
    /// A request that cannot be met (e.g. a factor id that does not exist).
    #[error("{0}")]
    Request(Text),
}

/// "N problems found:" and the list, in `lang`.
pub fn findings_text(findings: &[DataError], lang: Lang) -> String {
    let items = findings
        .iter()
        .map(|e| format!("  - {}", e.text(lang)))
        .collect::<Vec<_>>()
        .join("\n");
    match lang {
        Lang::Zh => format!("发现 {} 个问题：\n{items}", findings.len()),
        Lang::En => format!(
            "{} problem{} found:\n{items}",
            findings.len(),
            if findings.len() == 1 { "" } else { "s" }
        ),
    }
}

impl Error {
    /// The error in `lang`, as one readable message.
    pub fn text(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            Error::Unit(e) => e.text(lang),
            Error::Data(e) => e.text(lang),
            Error::Invalid(findings) => findings_text(findings, lang),
            Error::Io { path, source } => format!("{path}：无法读写（{source}）"),
            Error::Write {
                path,
                format,
                reason,
            } => format!("无法写入 {path}（{format}）：{reason}"),
            Error::UnknownFormat {
                path,
                extension,
                supported,
            } => format!("{path}：coreduce 不写“.{extension}”格式的文件，可用 {supported}"),
            Error::Request(t) => t.get(lang).to_string(),
        }
    }

    /// A request that cannot be met, from its text.
    pub fn request(text: impl Into<Text>) -> Self {
        Error::Request(text.into())
    }

    /// Wraps a list of findings; one finding becomes a plain data error.
    pub fn from_findings(mut findings: Vec<DataError>) -> Self {
        if findings.len() == 1 {
            Error::Data(findings.remove(0))
        } else {
            Error::Invalid(findings)
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

// Suggestions sit below every module that reports unknown names (units
// among them), so that errors and units do not import each other.
pub use crate::suggest::did_you_mean;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names_follow_excel() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 3), "D7");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(9, 701), "ZZ10");
        assert_eq!(cell_name(0, 702), "AAA1");
    }
}
