//! `validate --json`: the same checks and exit codes as `validate` (0 clean,
//! 1 findings, 2 unreadable), said as one JSON object on one line of stdout,
//! every text in English and Chinese, for a program that runs coreduce (a
//! local web page): `{"format": "coreduce-validate-v1", "file", "status",
//! "language", "facility_years", "warnings", "findings", "warning_groups",
//! "notes"}`.

use super::*;
use coreduce::{DataError, Lang, Location};
use serde::Serialize;

/// The value of the object's `format` field.
pub(crate) const VALIDATE_FORMAT: &str = "coreduce-validate-v1";

/// Facility-years named with each warning group, as the text shows them.
const FIRST_SHOWN: usize = 3;

/// A text in both languages; English where it has no Chinese.
#[derive(Serialize)]
struct Both {
    en: String,
    zh: String,
}

impl Both {
    fn of(text: &Text) -> Both {
        Both {
            en: text.en.clone(),
            zh: text.get(Lang::Zh).to_string(),
        }
    }
}

#[derive(Serialize)]
struct Finding {
    #[serde(rename = "where")]
    place: Both,
    message: Both,
    hint: Option<Both>,
}

impl Finding {
    fn of(e: &DataError) -> Finding {
        let zh_hint = e.zh.as_ref().and_then(|z| z.hint.clone());
        Finding {
            place: Both::of(&Text::from(&e.location)),
            message: Both {
                en: e.message.clone(),
                zh: e.message_in(Lang::Zh).to_string(),
            },
            hint: e.hint.as_ref().map(|h| Both {
                en: h.clone(),
                zh: zh_hint.unwrap_or_else(|| h.clone()),
            }),
        }
    }
}

#[derive(Serialize)]
struct Group {
    message: Both,
    count: usize,
    /// the first facility-years, `facility year` as the text shows them
    first: Vec<String>,
}

#[derive(Serialize)]
struct Validation {
    format: &'static str,
    file: String,
    status: &'static str,
    language: Option<&'static str>,
    facility_years: Option<usize>,
    warnings: Option<usize>,
    findings: Vec<Finding>,
    warning_groups: Vec<Group>,
    notes: Vec<Both>,
}

fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
}

impl Validation {
    fn new(path: &Path, status: &'static str) -> Validation {
        Validation {
            format: VALIDATE_FORMAT,
            file: path.display().to_string(),
            status,
            language: None,
            facility_years: None,
            warnings: None,
            findings: Vec::new(),
            warning_groups: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The counts, warnings and notes of a computed study.
    fn with_run(mut self, run: &coreduce::accounting::CheckedStudy) -> Validation {
        let invs = &run.inventories;
        self.language = Some(code(Lang::of_setting(&run.study.language)));
        self.facility_years = Some(invs.len());
        self.warnings = Some(invs.iter().map(|i| i.warnings.len()).sum());
        self.warning_groups = coreduce::accounting::group_warnings(invs, FIRST_SHOWN)
            .into_iter()
            .map(|g| Group {
                message: Both {
                    zh: g.message_zh.unwrap_or_else(|| g.message.clone()),
                    en: g.message,
                },
                count: g.count,
                first: g.examples.iter().map(|(f, y)| format!("{f} {y}")).collect(),
            })
            .collect();
        self.notes = run.study.notices.iter().map(Both::of).collect();
        self
    }
}

/// `validate FILE --json`: one JSON object on stdout whatever is found.
pub(crate) fn validate_json(
    path: &Path,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> anyhow::Result<ExitCode> {
    let (report, code_) = match check_workbook(path, lib, sectors) {
        Checked::Clean(run) => (Validation::new(path, "clean").with_run(&run), 0),
        Checked::Findings { error, run } => {
            let mut v = Validation::new(path, "findings");
            if let Some(run) = &run {
                v = v.with_run(run);
            }
            v.language = error.language().map(code);
            if let WorkbookError::Invalid { findings, .. } = &error {
                v.findings = findings.iter().map(Finding::of).collect();
            }
            (v, 1)
        }
        Checked::Unreadable(error) => {
            let mut v = Validation::new(path, "unreadable");
            if let WorkbookError::Unreadable { path, reason } = &error {
                v.findings.push(Finding {
                    place: Both::of(&Text::from(Location::file(path.clone()))),
                    message: Both::of(reason),
                    hint: None,
                });
            }
            (v, 2)
        }
    };
    let line = serde_json::to_string(&report).or_say(|| {
        tr!(
            "cannot write the validation as JSON",
            "无法以 JSON 写出校验结果"
        )
    })?;
    out!("{line}");
    Ok(ExitCode::from(code_))
}
