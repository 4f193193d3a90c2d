//! The `coreduce` binary: exit codes (0 ok, 1 findings, 2 errors), one
//! readable error line, and the commands the README promises.

use std::path::Path;
use std::process::Output;

/// The binary in `dir`, under an English locale: messages follow the
/// terminal's language where neither `--lang` nor the workbook says one.
fn coreduce(args: &[&str], dir: &Path) -> Output {
    coreduce_in_locale(args, dir, "C")
}

fn coreduce_in_locale(args: &[&str], dir: &Path, locale: &str) -> Output {
    crate::common::coreduce_command()
        .args(args)
        .current_dir(dir)
        .env("LANG", locale)
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

#[test]
fn factors_show_prints_the_sichuan_2022_grid_factor_with_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let o = coreduce(&["factors", "show", "grid.sc.avg.2022"], dir.path());
    let (out, _) = text(&o);
    assert!(o.status.success());
    assert!(out.contains("value:       0.1404 tCO2/MWh"), "{out}");
    assert!(out.contains("source:") && out.contains("MEE"), "{out}");
    assert!(out.contains("confidence:  secondary"), "{out}");
}

#[test]
fn factors_list_for_aluminium_has_both_editions_anode_and_pfc_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let o = coreduce(&["factors", "list", "--sector", "aluminium"], dir.path());
    let (out, _) = text(&o);
    for id in [
        "al.ndrc2013.anode_nc",
        "al.ndrc2013.cf4",
        "al.ndrc2013.c2f6",
        "al.mee2024.anode_nc",
        "al.mee2024.cf4",
        "al.mee2024.c2f6",
        "al.mee2024.cf4_slope",
    ] {
        assert!(out.contains(id), "{id} missing:\n{out}");
    }
    let o = coreduce(
        &[
            "factors",
            "list",
            "--substance",
            "CH4",
            "--edition",
            "ipcc2006",
        ],
        dir.path(),
    );
    assert!(o.status.success());
}

#[test]
fn unknown_ids_get_a_suggestion_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = coreduce(&["factors", "show", "grid.sc.avg.2O22"], dir.path());
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        err.trim(),
        "error: unknown factor 'grid.sc.avg.2O22' (did you mean 'grid.sc.avg.2022'?)"
    );
    let o = coreduce(&["graph", "aluminiun"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).1.contains("did you mean 'aluminium'"),
        "{}",
        text(&o).1
    );
}

#[test]
fn factors_check_is_clean_and_a_broken_folder_gives_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let o = coreduce(&["factors", "check"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let bad = dir.path().join("extra/bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(bad.join("dataset.toml"), "id = \"bad\"\ntitle = \"t\"\n").unwrap();
    std::fs::write(bad.join("factors.csv"), "id,value\nx,1\n").unwrap();
    let o = coreduce(&["--factors", "extra", "factors", "check"], dir.path());
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    assert!(
        text(&o).0.contains("factors.csv:1: header must be"),
        "{:?}",
        text(&o)
    );
}

#[test]
fn graph_renders_all_formats() {
    let dir = tempfile::tempdir().unwrap();
    let o = coreduce(&["graph", "白酒", "--format", "mermaid"], dir.path());
    let (out, _) = text(&o);
    assert!(out.starts_with("flowchart LR"), "{out}");
    assert!(
        out.contains("wwtp ==>|\"biogas (raises steam)\"| boiler"),
        "{out}"
    );
    let o = coreduce(&["graph", "ceramics", "--format", "dot"], dir.path());
    assert!(text(&o).0.starts_with("digraph \"ceramics\""));
    let o = coreduce(&["graph", "tobacco"], dir.path());
    assert!(text(&o).0.contains("curing_combustion"));
}

#[test]
fn template_validate_inventory_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    assert!(
        coreduce(&["template", "--out", "study.xlsx", "--lang", "zh"], p)
            .status
            .success()
    );
    // A second template over it is refused: nothing the user has is overwritten.
    let o = coreduce(&["template", "--out", "study.xlsx"], p);
    assert_eq!(o.status.code(), Some(2));
    let o = coreduce(&["validate", "study.xlsx"], p);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    for out in ["r.xlsx", "r.csv", "r.json"] {
        let o = coreduce(&["inventory", "study.xlsx", "--out", out], p);
        assert!(o.status.success(), "{:?}", text(&o));
        assert!(p.join(out).exists());
    }
    let csv = std::fs::read_to_string(p.join("r.csv")).unwrap();
    assert!(csv.starts_with(
        "facility_id,year,sector,process,source,substance,amount,amount_outside_view,unit,tier,factor_ids"
    ));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("r.json")).unwrap()).unwrap();
    assert_eq!(json["inventories"].as_array().unwrap().len(), 4);
    // Never over the input; the study is Chinese, so the refusal is too,
    // and in English on request.
    let o = coreduce(&["inventory", "study.xlsx", "--out", "study.xlsx"], p);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).1.starts_with("错误：拒绝写入“study.xlsx”"),
        "{:?}",
        text(&o)
    );
    let o = coreduce(
        &[
            "inventory",
            "study.xlsx",
            "--out",
            "study.xlsx",
            "--lang",
            "en",
        ],
        p,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("refusing to write"), "{:?}", text(&o));
}

/// Issue 16: a Chinese study (the zh template) hears Chinese on the
/// terminal: the validation line, the warnings and the findings, with the
/// same cell references as in English; `--lang en` switches back, and a
/// Chinese terminal gets Chinese for a file that is not there.
#[test]
fn a_chinese_study_is_answered_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    assert!(
        coreduce(&["template", "--out", "study.xlsx", "--lang", "zh"], p)
            .status
            .success()
    );
    let o = coreduce(&["validate", "study.xlsx"], p);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.starts_with("study.xlsx：无错误（4 个设施年份，"),
        "{out}"
    );
    assert!(
        out.contains("警告（1 次）：固体燃料“raw_coal”采用缺省低位发热量"),
        "{out}"
    );
    assert!(!out.contains("warning"), "{out}");
    let o = coreduce(&["validate", "study.xlsx", "--lang", "en"], p);
    let (out, _) = text(&o);
    assert!(
        out.starts_with("study.xlsx: clean (4 facility-years, "),
        "{out}"
    );
    assert!(
        out.contains("warning (1×): default NCV used for solid fuel 'raw_coal'"),
        "{out}"
    );
    let o = coreduce(&["inventory", "study.xlsx", "--out", "r.csv"], p);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.contains("已写入 r.csv（4 个设施年份，"), "{out}");
    assert!(
        err.contains("条警告（全部列在 warnings 工作表和 JSON 输出中）"),
        "{err}"
    );
    // The CSV keeps its stable English field names.
    let csv = std::fs::read_to_string(p.join("r.csv")).unwrap();
    assert!(csv.starts_with("facility_id,year,sector,process,source,substance"));
    // The report beside it gives the warnings in Chinese.
    let html = std::fs::read_to_string(p.join("report.html")).unwrap();
    assert!(html.contains("固体燃料“raw_coal”采用缺省低位发热量"));
    assert!(!html.contains("default NCV used for solid fuel"));
    // The xlsx: Chinese headers and warnings under the same sheet names.
    let o = coreduce(&["inventory", "study.xlsx", "--out", "r.xlsx"], p);
    assert!(o.status.success(), "{:?}", text(&o));
    use calamine::Reader as _;
    let mut book = calamine::open_workbook_auto(p.join("r.xlsx")).unwrap();
    let first_row = |book: &mut calamine::Sheets<_>, sheet: &str| -> Vec<String> {
        let range = book.worksheet_range(sheet).unwrap();
        range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect()
    };
    let summary = first_row(&mut book, "summary");
    assert_eq!(&summary[..4], ["设施编号", "名称", "行业", "技术"]);
    assert!(summary.contains(&"范围二 CO2，基于市场法（吨）".to_string()));
    let by_facility = first_row(&mut book, "by-facility");
    assert!(
        by_facility.contains(&"CO2e（吨）".to_string()),
        "{by_facility:?}"
    );
    assert_eq!(
        first_row(&mut book, "warnings"),
        ["设施编号", "年份", "位置", "警告"]
    );
    let warnings = book.worksheet_range("warnings").unwrap();
    let texts: Vec<String> = warnings.rows().skip(1).map(|r| r[3].to_string()).collect();
    assert!(
        texts.iter().any(|t| t.starts_with("固体燃料“raw_coal”")),
        "{texts:?}"
    );
    let places: Vec<String> = warnings.rows().skip(1).map(|r| r[2].to_string()).collect();
    assert!(places.iter().all(|p| p.starts_with("设施“")), "{places:?}");
    // The measures: the table and the workbook in Chinese too.
    let o = coreduce(&["measures", "study.xlsx", "--out", "m.xlsx"], p);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(out.starts_with("措施"), "{out}");
    assert!(
        out.contains("协同，减污更多") && !out.contains("CoControl"),
        "{out}"
    );
    let mut book = calamine::open_workbook_auto(p.join("m.xlsx")).unwrap();
    let head = first_row(&mut book, "measures");
    assert_eq!(
        &head[..5],
        ["措施编号", "英文名称", "中文名称", "层级", "对象"]
    );
    let rows = book.worksheet_range("measures").unwrap();
    let levels: Vec<String> = rows.rows().skip(1).map(|r| r[3].to_string()).collect();
    // The roadmap: its table and workbook name the scenarios in Chinese.
    let o = coreduce(&["roadmap", "study.xlsx", "--out", "rm"], p);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        out.contains("\n基准情景 ")
            && out.contains("\n政策情景 ")
            && out.contains("（最低成本情景）"),
        "{out}"
    );
    let mut book = calamine::open_workbook_auto(p.join("rm/roadmap.xlsx")).unwrap();
    assert_eq!(
        &first_row(&mut book, "peak-targets")[..3],
        ["情景", "达峰年", "峰值 CO2e（吨）"]
    );
    assert_eq!(
        &first_row(&mut book, "CO2e")[..3],
        ["年份", "基准情景", "政策情景"]
    );
    assert!(
        levels
            .iter()
            .all(|l| ["全省", "行业", "设施"].contains(&l.as_str())),
        "{levels:?}"
    );

    // A finding in a workbook that says `language zh`: Chinese, same cell.
    ceramics_output_in_tonnes(&p.join("bad.xlsx"), &[("gwp", "AR5"), ("language", "zh")]);
    let o = coreduce(&["validate", "bad.xlsx"], p);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.starts_with("bad.xlsx："), "{out}");
    assert!(out.contains("  - activity!D2："), "{out}");
    assert!(!out.contains("output is in"), "{out}");
    let o = coreduce(&["validate", "bad.xlsx", "--lang", "en"], p);
    assert!(
        text(&o).0.contains(
            "activity!D2: output is in 't' (mass), but ceramics output is measured in 'm2' (area)"
        ),
        "{:?}",
        text(&o)
    );
    // Nothing to read the language from: the terminal's.
    let o = coreduce_in_locale(&["validate", "missing.xlsx"], p, "zh_CN.UTF-8");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).1.starts_with("错误：missing.xlsx："),
        "{:?}",
        text(&o)
    );
}

/// A one-facility workbook whose ceramics output is given in tonnes (a
/// finding at activity!D2), with these settings.
fn ceramics_output_in_tonnes(path: &Path, settings: &[(&str, &str)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("settings").unwrap();
    for (r, (k, v)) in [("key", "value")].iter().chain(settings).enumerate() {
        ws.write_string(r as u32, 0, *k).unwrap();
        ws.write_string(r as u32, 1, *v).unwrap();
    }
    let ws = wb.add_worksheet().set_name("facilities").unwrap();
    ws.write_string(0, 0, "facility_id").unwrap();
    ws.write_string(0, 1, "sector").unwrap();
    ws.write_string(1, 0, "A").unwrap();
    ws.write_string(1, 1, "ceramics").unwrap();
    let ws = wb.add_worksheet().set_name("activity").unwrap();
    for (c, h) in ["facility_id", "year", "item", "value", "unit"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "A").unwrap();
    ws.write_number(1, 1, 2022).unwrap();
    ws.write_string(1, 2, "output").unwrap();
    ws.write_number(1, 3, 1000).unwrap();
    ws.write_string(1, 4, "t").unwrap();
    wb.save(path).unwrap();
}

#[test]
fn validate_exit_codes_1_for_findings_2_for_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("notes.xlsx"), "hello").unwrap();
    let o = coreduce(&["validate", "notes.xlsx"], p);
    assert_eq!(o.status.code(), Some(2));
    let (_, err) = text(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    let o = coreduce(&["validate", "missing.xlsx"], p);
    assert_eq!(o.status.code(), Some(2));
    // A workbook with a finding: exit 1 and the cell in the message.
    ceramics_output_in_tonnes(&p.join("bad.xlsx"), &[("gwp", "AR5")]);
    let o = coreduce(&["validate", "bad.xlsx"], p);
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    assert!(
        text(&o).0.contains(
            "activity!D2: output is in 't' (mass), but ceramics output is measured in 'm2' (area)"
        ),
        "{:?}",
        text(&o)
    );
}

#[test]
fn formula_text_from_the_workbook_is_neutralised_in_csv() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("settings").unwrap();
    ws.write_string(0, 0, "key").unwrap();
    ws.write_string(0, 1, "value").unwrap();
    ws.write_string(1, 0, "gwp").unwrap();
    ws.write_string(1, 1, "AR5").unwrap();
    let ws = wb.add_worksheet().set_name("facilities").unwrap();
    for (c, h) in ["facility_id", "name", "sector", "city"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "=HYPERLINK(\"http://x\")").unwrap();
    ws.write_string(1, 1, "=1+1").unwrap();
    ws.write_string(1, 2, "tobacco").unwrap();
    ws.write_string(1, 3, "凉山").unwrap();
    let ws = wb.add_worksheet().set_name("activity").unwrap();
    for (c, h) in ["facility_id", "year", "item", "value", "unit"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "=HYPERLINK(\"http://x\")").unwrap();
    ws.write_number(1, 1, 2022).unwrap();
    ws.write_string(1, 2, "output").unwrap();
    ws.write_number(1, 3, 1).unwrap();
    ws.write_string(1, 4, "t").unwrap();
    wb.save(p.join("inj.xlsx")).unwrap();
    let o = coreduce(&["inventory", "inj.xlsx", "--out", "r.csv"], p);
    assert!(o.status.success(), "{:?}", text(&o));
    let csv = std::fs::read_to_string(p.join("r.csv")).unwrap();
    let first = csv.lines().nth(1).unwrap();
    assert!(first.starts_with("\"'=HYPERLINK"), "{first}");
    let o = coreduce(&["inventory", "inj.xlsx", "--out", "r.xlsx"], p);
    assert!(o.status.success());
    // The xlsx holds the name as text, never as a formula.
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(p.join("r.xlsx")).unwrap();
    use calamine::Reader;
    let formulas = book.worksheet_formula("summary").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
}

#[test]
fn measures_command_prints_and_writes() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    assert!(
        coreduce(&["template", "--out", "s.xlsx", "--sector", "tobacco"], p)
            .status
            .success()
    );
    let o = coreduce(
        &["measures", "s.xlsx", "--pollutant", "SO2", "--out", "m.csv"],
        p,
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        out.contains("tb.coal_to_heat_pump") && out.contains("package"),
        "{out}"
    );
    assert!(out.contains("not an official formula"), "{out}");
    let csv = std::fs::read_to_string(p.join("m.csv")).unwrap();
    assert!(csv.starts_with("measure,name_en,name_zh,level,key,delta_co2e_t"));
    for out in ["m.xlsx", "m.json"] {
        assert!(coreduce(&["measures", "s.xlsx", "--out", out], p)
            .status
            .success());
    }
    let o = coreduce(&["measures", "s.xlsx", "--pollutant", "SOX"], p);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn roadmap_without_a_workbook_runs_the_builtin_study() {
    let dir = tempfile::tempdir().unwrap();
    let o = coreduce(&["roadmap", "--out", "out"], dir.path());
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        out.contains("least-cost deployment (least_cost): solved"),
        "{out}"
    );
    for f in ["roadmap.xlsx", "iamc.csv", "iamc.xlsx", "roadmap.json"] {
        assert!(dir.path().join("out").join(f).exists(), "{f}");
    }
}

/// Issue 16: `roadmap` on a workbook without a scenarios sheet says so and
/// runs the built-in scenario templates on the user's facilities, with their
/// assumptions listed (it printed a flat BAU line and nothing else).
#[test]
fn roadmap_without_scenarios_runs_the_templates_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sichuan-sample.xlsx");
    let o = coreduce(
        &["roadmap", sample.to_str().unwrap(), "--out", "rm"],
        dir.path(),
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}{err}");
    assert!(out.contains("no scenarios sheet in"), "{out}");
    assert!(out.contains("[asm] neutrality 2060"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("rm/roadmap.json")).unwrap())
            .unwrap();
    let kinds: Vec<&str> = json["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    // BAU and its grid sensitivities (dry year, flat grid), policy, enhanced
    assert_eq!(kinds, ["bau", "bau", "bau", "policy", "enhanced"]);
    // the user's facilities, not the built-in study's
    let facilities: std::collections::BTreeSet<&str> = json["scenarios"][0]["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["facility"].as_str().unwrap())
        .collect();
    assert_eq!(facilities.len(), 4, "{facilities:?}");
    assert!(facilities.contains("AL-GY-01"));
}
