//! The HTML report: user text is escaped; the structure (sections, headings,
//! table headers) is held in an insta snapshot, not its volatile numbers.

use coreduce::measures::{all_measures, report, MeasureLibrary, MetricSettings};
use coreduce::report::{render, Lang, ReportInput};
use coreduce::workbook::{run_workbook, WorkbookRun};

mod common;
use common::{libs, Book};

#[test]
fn user_text_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("xss.xlsx");
    Book::new()
        .settings()
        .sheet(
            "facilities",
            &["facility_id", "name", "sector"],
            &[row!["F<1>", "<script>alert(1)</script>", "tobacco"]],
        )
        .sheet(
            "activity",
            &["facility_id", "year", "item", "value", "unit"],
            &[row!["F<1>", 2022, "output", 10, "t"]],
        )
        .save(&path);
    let (f, s) = libs();
    let run = run_workbook(&path, &f, &s).unwrap();
    let html = render(&ReportInput {
        title: "<b>study</b>".into(),
        lang: Lang::En,
        inventories: &run.inventories,
        measures: None,
        roadmap: None,
        factors: &run.factors,
        sectors: &s,
        factors_used: None,
    });
    assert!(!html.contains("<script>"), "a script tag got through");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("F&lt;1&gt;"));
    assert!(!html.contains("<b>study</b>"));
    // Self-contained: no external resources.
    assert!(!html.contains("http://") || !html.contains("src=\"http"));
    assert!(!html.contains("<link") && !html.contains("src=\""));
}

/// Headings and table headers only.
fn structure(html: &str) -> String {
    let mut out = Vec::new();
    for tag in ["h1", "h2", "h3", "th"] {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        let mut rest = html;
        while let Some(i) = rest.find(&open) {
            let after = &rest[i + open.len()..];
            let j = after.find(&close).unwrap_or(0);
            out.push((
                i + (html.len() - rest.len()),
                format!("{tag}: {}", &after[..j]),
            ));
            rest = &after[j..];
        }
    }
    out.sort();
    let mut lines: Vec<String> = out.into_iter().map(|(_, s)| s).collect();
    // Collapse repeated table-header runs so the snapshot lists each table once.
    lines.dedup();
    lines.join("\n")
}

#[test]
fn report_structure_of_the_builtin_study() {
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let inventories =
        coreduce::accounting::inventories(&study.settings, &f, &s, &study.facility_years).unwrap();
    let run = WorkbookRun {
        study,
        factors: f.clone(),
        inventories,
    };
    let lib = MeasureLibrary::embedded(&s).unwrap();
    let measures = all_measures(&run.study, &s, &lib, &run.factors).unwrap();
    let ms = MetricSettings::defaults(&f);
    let rm = coreduce::roadmap::run(&run.study, &f, &s, &measures, &ms).unwrap();
    let mrep = report(&run, &s, &lib, &ms).unwrap();
    for lang in [Lang::En, Lang::Zh] {
        let html = render(&ReportInput {
            title: "Sichuan study".into(),
            lang,
            inventories: &run.inventories,
            measures: Some(&mrep),
            roadmap: Some(&rm),
            factors: &f,
            sectors: &s,
            factors_used: None,
        });
        assert!(html.matches("<svg").count() >= 10);
        let name = if lang == Lang::En {
            "structure_en"
        } else {
            "structure_zh"
        };
        insta::assert_snapshot!(name, structure(&html));
    }
}
