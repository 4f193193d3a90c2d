//! The HTML report: user text is escaped; the structure (sections, headings,
//! table headers) is held in an insta snapshot, not its volatile numbers.

use coreduce::measures::{all_measures, report, MeasureLibrary, MetricSettings};
use coreduce::report::{render, Lang, ReportInput};
use coreduce::workbook::{run_workbook, WorkbookRun};

use crate::common;
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
        roadmap_odds: None,
        uncertainty: None,
        factors: &run.factors,
        sectors: &s,
        factors_used: None,
        notes: &[],
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

/// The built-in study's report (its measures and roadmap computed once) in
/// each of `langs`.
fn builtin_reports(title: &str, langs: &[Lang]) -> Vec<String> {
    let (f, s, run, lib) = builtin_run();
    let measures = all_measures(&run.study, &s, &lib, &run.factors).unwrap();
    let ms = MetricSettings::defaults(&f);
    let rm = coreduce::roadmap::run(&run.study, &f, &s, &measures, &ms).unwrap();
    let mrep = report(&run, &s, &lib, &ms).unwrap();
    langs
        .iter()
        .map(|&lang| {
            render(&ReportInput {
                title: title.into(),
                lang,
                inventories: &run.inventories,
                measures: Some(&mrep),
                roadmap: Some(&rm),
                roadmap_odds: None,
                uncertainty: None,
                factors: &f,
                sectors: &s,
                factors_used: None,
                notes: &[],
            })
        })
        .collect()
}

/// The built-in study computed, with the libraries and the measure library.
fn builtin_run() -> (
    coreduce::FactorLibrary,
    coreduce::graph::SectorLibrary,
    WorkbookRun,
    MeasureLibrary,
) {
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
    (f, s, run, lib)
}

#[test]
fn report_structure_of_the_builtin_study() {
    let reports = builtin_reports("Sichuan study", &[Lang::En, Lang::Zh]);
    for (lang, html) in [Lang::En, Lang::Zh].into_iter().zip(reports) {
        assert!(html.matches("<svg").count() >= 10);
        let name = if lang == Lang::En {
            "structure_en"
        } else {
            "structure_zh"
        };
        insta::assert_snapshot!(name, structure(&html));
    }
}

/// Issue 16: the MACC is a step curve whose widths are the measures'
/// abatement on the residual, summing to the package's; the coordinate
/// plot's numbered labels overlap neither each other nor the points.
#[test]
fn macc_widths_sum_to_the_package_and_coordinate_labels_do_not_overlap() {
    use coreduce::report::svg;
    let (f, s, run, lib) = builtin_run();
    let ms = MetricSettings::defaults(&f);
    let mrep = report(&run, &s, &lib, &ms).unwrap();
    // Each potential is the cumulative reduction minus the one before it, so
    // they telescope to the reduction of all measures together.
    let steps: rust_decimal::Decimal = mrep.macc.iter().map(|x| x.potential_co2e).sum();
    let package = mrep.package.province.reduction["CO2e"];
    assert!(
        (steps - package).abs() < rust_decimal_macros::dec!(0.000001),
        "{steps} against {package}"
    );
    // The chart draws every step with a positive width and a cost.
    let bars: Vec<svg::MaccBar> = mrep
        .macc
        .iter()
        .map(|x| {
            (
                x.measure.clone(),
                x.potential_co2e,
                x.cost_per_t_co2e,
                x.mac_adjusted,
            )
        })
        .collect();
    let drawable: f64 = mrep
        .macc
        .iter()
        .filter(|x| x.potential_co2e > rust_decimal::Decimal::ZERO && x.cost_per_t_co2e.is_some())
        .map(|x| x.potential_co2e.to_string().parse::<f64>().unwrap())
        .sum();
    let (chart, drawn) = svg::macc("m", "s", &bars, ["a", "b"], "x", "n");
    assert!(
        (drawn - drawable).abs() < 1e-6 * drawable,
        "{drawn} {drawable}"
    );
    assert!(
        chart.matches("<rect").count() > mrep.macc.len() / 2,
        "{chart}"
    );
    // Coordinate plot: every pair of label boxes apart, no label on a point.
    let points: Vec<(String, rust_decimal::Decimal, rust_decimal::Decimal)> = mrep
        .alone
        .iter()
        .map(|e| {
            let er = |k: &str| e.province.reduction.get(k).copied().unwrap_or_default();
            (e.measure.clone(), er("CO2e"), er("APeq"))
        })
        .collect();
    assert!(points.len() >= 15);
    let (chart, boxes) = svg::quadrants("c", "s", &points, "x", "y", ["1", "2", "3", "4"], "n");
    let apart = |a: &svg::LabelBox, b: &svg::LabelBox| {
        a.0 + a.2 <= b.0 || b.0 + b.2 <= a.0 || a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1
    };
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            assert!(apart(a, b), "labels overlap: {a:?} {b:?}");
        }
    }
    assert_eq!(chart.matches("class=\"pt\"").count(), points.len());
}

/// Issue 16: a reader sees names, never ids, where a name exists: no
/// sector, scenario or measure id in the text of the Chinese report outside
/// the sections where ids are the point (factors, warnings, process graphs,
/// the uncertainty section's inputs). `scripts/check-report.sh` checks the
/// same in the laid-out page.
#[test]
fn the_chinese_report_shows_names_not_ids() {
    let html = builtin_reports("四川研究", &[Lang::Zh]).remove(0);
    // The ids that must not show: the study's measures, sectors, scenarios.
    let (_, s, run, lib) = builtin_run();
    let measures = all_measures(&run.study, &s, &lib, &run.factors).unwrap();
    // The visible text of the sections to check: tags and the <title> of
    // each chart (a tooltip) removed.
    let mut text = String::new();
    for sec in html.split("<section id=\"").skip(1) {
        let id = &sec[..sec.find('"').unwrap()];
        if ["factors", "warnings", "graphs", "uncertainty"].contains(&id) {
            continue;
        }
        let body = &sec[..sec.find("</section>").unwrap_or(sec.len())];
        let mut inside = false;
        for c in body.chars() {
            match c {
                '<' => inside = true,
                '>' => {
                    inside = false;
                    text.push(' ');
                }
                _ if !inside => text.push(c),
                _ => {}
            }
        }
    }
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .map(|w| w.trim_end_matches('.'))
        .collect();
    let mut ids: Vec<String> = measures.iter().map(|m| m.id.clone()).collect();
    ids.extend(s.sectors.keys().cloned());
    ids.extend(["bau", "policy", "enhanced", "least_cost"].map(String::from));
    assert!(ids.len() > 20, "{ids:?}");
    let shown: Vec<&String> = ids
        .iter()
        .filter(|id| words.contains(&id.as_str()))
        .collect();
    assert!(shown.is_empty(), "ids shown where a name exists: {shown:?}");
    // And the names are there instead.
    for name in ["电解铝", "基准情景", "最低成本情景", "燃煤锅炉改燃气"] {
        assert!(text.contains(name), "{name}");
    }
    // The notes under the tables in Chinese too: plateau, solver status,
    // co-benefit valuation, degree index.
    for zh in [
        "峰值以下 2 % 以内",
        "已求解",
        "每大气污染当量 3.9 元",
        "协同度指数为",
    ] {
        assert!(html.contains(zh), "{zh}");
    }
    for en in [
        "below the peak",
        "avoided environmental-protection tax",
        "not an official formula",
    ] {
        assert!(!html.contains(en), "{en}");
    }
}
