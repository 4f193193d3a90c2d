//! The Chinese path (#16). A firm takes `coreduce template --lang zh` and fills
//! it by code: sheet and column names as the template writes them; sectors,
//! technologies, places and items by their Chinese names (`陶瓷`,
//! `燃煤密集烤房`, `凉山彝族自治州`, `乐山市夹江县`, `外购电力`, `原煤`);
//! Chinese units (`万㎡`, `万立方米`, `万千瓦时`, `吨标准煤`); years written
//! `2023年`; and the template's own measures, scenarios and targets. It runs
//! validate, inventory, measures and roadmap. Everything the terminal says,
//! and every header and name in the workbooks and the report it gets back, is
//! Chinese.
//!
//! The snapshots hold the words, not the amounts: every run of digits is
//! written `#`. The amounts are the business of the hand-worked cases and the
//! goldens; here the language is checked, line by line. Beside the snapshots,
//! a check that fails on any English word outside the codes a user types
//! (ids, substance formulas, units, setting keys) keeps the path Chinese as
//! messages are added.

use crate::common::{coreduce_command, Book, Cell};
use calamine::{Data, Reader};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

fn run(args: &[&str], dir: &Path) -> (Output, String) {
    let o = coreduce_command()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let said = format!(
        "$ coreduce {}\n{}{}",
        args.join(" "),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o, said)
}

/// Digits written `#`, so a snapshot keeps the words and not the amounts (a
/// point or comma between digits is part of the number).
fn words_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            out.push('#');
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || ((chars[i] == '.' || chars[i] == ',')
                        && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())))
            {
                i += 1;
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Words a Chinese user sees as they are: codes they type or read in the
/// official methods (substances, units, settings, method names).
#[rustfmt::skip]
const CODES: &[&str] = &[
    // substances, units and method words as the official methods write them
    "APeq", "WPeq", "NOx", "BaP", "tce", "MWh", "kWh", "Nm", "tC", "tCO", "t", "kg", "m", "a",
    "x", "y", "I", "coreduce", "xlsx", "csv", "json", "html", "Tier",
    // setting keys and values, scenario kinds, and the English sheet names of
    // the outputs (sheet names stay English: scripts address them)
    "gwp", "view", "scope", "location", "market", "footprint", "compliance", "bau", "policy",
    "least", "cost", "settings", "warnings", "summary", "macc", "notes", "lists",
    // names and symbols: Spearman's ρ, compass points of the map, Els (the
    // elasticity), r (the discount rate)
    "Spearman", "E", "N", "Els", "r", "ha",
    // a unit users type, an edition id of the factor library, the id of the
    // package of measures and a scenario field
    "fraction", "estimate", "package", "ramp",
    // the least-cost method's symbols and solver
    "C", "F", "p", "m", "EReq", "Clarabel", "Rust",
    // the scenarios sheet's vocabulary as the built-in templates list it,
    // the marks of their notes, units, and the command and sheet they name
    "all", "grid", "growth", "horizon", "output", "enhanced", "asm", "der", "src", "Mt", "kt",
    "scenarios", "template",
];

/// The English words of `text` that are not codes. A run of letters, digits
/// and code punctuation is a code when it holds a digit, `.`, `_`, `@`, `:`
/// or `<` (`fuel.raw_coal.ncv`, `CE-01`, `roadmap/iamc.csv`); otherwise its
/// words are English unless listed in [`CODES`] or written in capitals (an
/// acronym or a user's id: `JSON`, `TB-INSULATION`). The command lines the
/// test prints (`$ coreduce …`) are not the program's words.
fn english_words(text: &str) -> BTreeSet<String> {
    // The sectors' process ids are codes too: a user attributes an item to a
    // process by its id (`天然气@kiln`), so the flow diagram shows them.
    let (_, sectors) = crate::common::libs();
    let process_ids: BTreeSet<String> = sectors
        .sectors
        .values()
        .flat_map(|s| s.nodes.iter().map(|n| n.id.clone()))
        .collect();
    let mut found = BTreeSet::new();
    let is_code_char = |c: char| c.is_ascii_alphanumeric() || "._@:<>-'^*/".contains(c);
    for line in text.lines().filter(|l| !l.starts_with("$ ")) {
        for run in line.split(|c: char| !is_code_char(c)) {
            if run
                .chars()
                .any(|c| c.is_ascii_digit() || "._@:<".contains(c))
            {
                continue;
            }
            for word in run.split(['/', '-', '\'', '>', '^', '*']) {
                let acronym = word.len() > 1 && word.chars().all(|c| c.is_ascii_uppercase());
                if word.is_empty() || acronym || CODES.contains(&word) || process_ids.contains(word)
                {
                    continue;
                }
                found.insert(word.to_string());
            }
        }
    }
    found
}

/// Every text cell of a workbook, sheet by sheet: the header row whole, then
/// the distinct texts of the other rows (names, levels, notes). Left out, by
/// design: the factor library's bibliographic columns, which quote their
/// sources as published; the English name column beside the Chinese one;
/// and the `iamc` sheet, whose variables and units are the IAMC common
/// definitions' (English by standard, for the models it is merged with).
fn workbook_texts(path: &Path) -> String {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let mut out = String::new();
    for name in book.sheet_names() {
        if name == "iamc" {
            continue;
        }
        let range = book.worksheet_range(&name).unwrap();
        let mut rows = range.rows();
        let header: Vec<String> = rows
            .next()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .unwrap_or_default();
        let quoted: Vec<bool> = header
            .iter()
            .map(|h| {
                [
                    "出处位置",
                    "来源",
                    "文献来源",
                    "说明",
                    "被替换的数值",
                    "英文名称",
                ]
                .contains(&h.as_str())
            })
            .collect();
        let mut texts = BTreeSet::new();
        for row in rows {
            for (c, cell) in row.iter().enumerate() {
                if let Data::String(s) = cell {
                    // numbers written as text (factor values) are not words
                    let number = s.parse::<f64>().is_ok();
                    if !number && !quoted.get(c).copied().unwrap_or(false) {
                        texts.insert(s.clone());
                    }
                }
            }
        }
        // (sheet names stay English: scripts address them)
        out.push_str(&format!("$ sheet {name}\n{}\n", header.join(" | ")));
        for t in texts {
            out.push_str(&format!("  {t}\n"));
        }
    }
    out
}

/// The report without the source column of its table of factors (quoted as
/// published, as in the workbook).
fn without_sources(html: &str) -> String {
    let Some(start) = html.find("<section id=\"factors\"") else {
        return html.to_string();
    };
    let end = start
        + html[start..]
            .find("</section>")
            .unwrap_or(html.len() - start);
    let section = &html[start..end];
    // header cells (`<th>`, `<th class=…>`), not `<thead>`
    let heads: Vec<&str> = section
        .split("<th")
        .skip(1)
        .filter(|h| h.starts_with(['>', ' ']))
        .collect();
    let Some(col) = heads.iter().position(|h| h.starts_with(">来源<")) else {
        return html.to_string();
    };
    let rows: Vec<String> = section
        .split("<tr>")
        .map(|row| {
            let cells: Vec<&str> = row.split("<td").collect();
            cells
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != col + 1)
                .map(|(_, c)| *c)
                .collect::<Vec<_>>()
                .join("<td")
        })
        .collect();
    format!("{}{}{}", &html[..start], rows.join("<tr>"), &html[end..])
}

/// The visible text of an HTML report: tags, styles and scripts left out.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push(' ');
        let tail = &rest[i..];
        let skip_to = if tail.starts_with("<style") {
            tail.find("</style>").map(|j| j + 8)
        } else {
            tail.find('>').map(|j| j + 1)
        };
        rest = &tail[skip_to.unwrap_or(tail.len())..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
}

/// The header row of each sheet of the template, by sheet name.
fn template_headers(path: &Path) -> Vec<(String, Vec<String>)> {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let header = range
                .rows()
                .next()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .unwrap_or_default();
            (name, header)
        })
        .collect()
}

/// The rows under the header of a template sheet, cell by cell.
fn template_rows(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    range.rows().skip(1).map(|r| r.to_vec()).collect()
}

fn cell_of(d: &Data) -> Cell<'_> {
    match d {
        Data::String(s) => Cell::from(s.as_str()),
        Data::Float(x) => Cell::Number(*x),
        Data::Int(i) => Cell::Number(*i as f64),
        _ => Cell::Empty,
    }
}

/// The firm's workbook, written by code on the template's sheet and column
/// names, with the template's measures, scenarios and targets.
fn fill_by_code(template: &Path, out: &Path) {
    fill(template, out, true);
}

/// The firm's workbook, with or without the template's measures, scenarios
/// and targets.
fn fill(template: &Path, out: &Path, plans: bool) {
    let headers = template_headers(template);
    let header = |sheet: &str| -> Vec<&str> {
        headers
            .iter()
            .find(|(n, _)| n == sheet)
            .unwrap_or_else(|| panic!("the zh template has no sheet {sheet}: {headers:?}"))
            .1
            .iter()
            .map(String::as_str)
            .collect()
    };
    let settings: &[Vec<Cell>] = &[
        row!["study", "乐山陶瓷与凉山烤烟两厂自评"],
        row!["base_year", "2023年"],
        row!["language", "zh"],
    ];
    let facilities: &[Vec<Cell>] = &[
        row![
            "CE-01",
            "夹江某陶瓷厂",
            "陶瓷",
            "燃煤喷雾干燥辊道窑",
            "乐山市夹江县"
        ],
        row![
            "TB-01",
            "会理烤烟站",
            "烤烟",
            "燃煤密集烤房",
            "凉山彝族自治州"
        ],
    ];
    let activity: &[Vec<Cell>] = &[
        row!["CE-01", "2023年", "产量", 800, "万㎡", "抛釉砖"],
        row!["CE-01", "2023年", "天然气@kiln", 560, "万立方米", ""],
        row![
            "CE-01",
            "2023年",
            "烟煤@spray_dryer",
            9000,
            "吨标准煤",
            "能源统计报表"
        ],
        row!["CE-01", "2023年", "外购电力", 4800, "万千瓦时", "", "±2%"],
        row!["CE-01", "2023年", "碳酸钙", 3800, "吨", ""],
        row![
            "CE-01",
            "2023年",
            "control.SO2.efficiency",
            "85%",
            "",
            "石灰石-石膏法"
        ],
        row!["TB-01", "2023年", "产量", 400, "吨", "干烟叶"],
        row!["TB-01", "2023年", "原煤", 500, "吨标准煤", "", "±10%"],
        row!["TB-01", "2023年", "外购电力", 16, "万千瓦时", ""],
    ];
    let copy = |sheet: &str| -> Vec<Vec<Cell<'static>>> {
        template_rows(template, sheet)
            .iter()
            .map(|r| {
                r.iter()
                    .map(|d| match cell_of(d) {
                        Cell::Text(s) => Cell::Text(Box::leak(s.to_string().into_boxed_str())),
                        Cell::Number(x) => Cell::Number(x),
                        Cell::Empty => Cell::Empty,
                    })
                    .collect()
            })
            .collect()
    };
    let book = Book::new()
        .sheet("设置", &header("设置"), settings)
        .sheet("设施", &header("设施"), facilities)
        .sheet("活动数据", &header("活动数据"), activity);
    if plans {
        book.sheet("措施", &header("措施"), &copy("措施"))
            .sheet("情景", &header("情景"), &copy("情景"))
            .sheet("目标", &header("目标"), &copy("目标"))
            .save(out);
    } else {
        book.save(out);
    }
}

/// Without a scenarios sheet the built-in scenario templates run on the
/// firm's facilities, and their assumptions are listed in Chinese, with the
/// marks and references of the notes kept as they are.
#[test]
fn a_chinese_workbook_without_scenarios_gets_the_templates_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let (o, said) = run(&["template", "--lang", "zh", "--out", "template.xlsx"], p);
    assert!(o.status.success(), "{said}");
    fill(&p.join("template.xlsx"), &p.join("study.xlsx"), false);
    let (o, said) = run(&["roadmap", "study.xlsx", "--out", "rm"], p);
    assert!(o.status.success(), "{said}");
    assert!(
        said.contains("study.xlsx 中没有情景（scenarios）工作表"),
        "{said}"
    );
    assert!(
        said.contains("0.12 tCO2/MWh [asm] 线性路径，与 2030 年非化石能源占比 43.5 % [P3]"),
        "{said}"
    );
    let terminal: String = said.lines().skip(1).collect::<Vec<_>>().join("\n");
    let english = english_words(&terminal);
    assert!(english.is_empty(), "{english:?}\n{said}");
}

#[test]
fn a_firm_fills_the_chinese_template_by_code_and_is_answered_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let (o, said) = run(&["template", "--lang", "zh", "--out", "template.xlsx"], p);
    assert!(o.status.success(), "{said}");
    let sheets: Vec<String> = template_headers(&p.join("template.xlsx"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        sheets,
        [
            "说明",
            "设置",
            "设施",
            "活动数据",
            "因子",
            "措施",
            "情景",
            "目标",
            "lists"
        ]
    );
    fill_by_code(&p.join("template.xlsx"), &p.join("study.xlsx"));

    let mut terminal = String::new();
    for args in [
        &["validate", "study.xlsx"][..],
        &["inventory", "study.xlsx"],
        &["inventory", "study.xlsx", "--out", "inventory.xlsx"],
        &["measures", "study.xlsx", "--out", "measures.xlsx"],
        &["roadmap", "study.xlsx", "--out", "roadmap"],
        &[
            "uncertainty",
            "study.xlsx",
            "--runs",
            "50",
            "--out",
            "mc.csv",
        ],
    ] {
        let (o, said) = run(args, p);
        assert!(o.status.success(), "{said}");
        terminal.push_str(&said);
        terminal.push('\n');
    }
    let mut workbooks = String::new();
    for file in ["inventory.xlsx", "measures.xlsx", "roadmap/roadmap.xlsx"] {
        workbooks.push_str(&format!("== {file}\n{}", workbook_texts(&p.join(file))));
    }
    let report = html_text(&without_sources(
        &std::fs::read_to_string(p.join("roadmap/report.html")).unwrap(),
    ));

    let english: Vec<String> = [
        ("terminal", &terminal),
        ("workbooks", &workbooks),
        ("report", &report),
    ]
    .iter()
    .filter_map(|(what, text)| {
        let words = english_words(text);
        (!words.is_empty()).then(|| format!("{what}: {words:?}"))
    })
    .collect();
    assert!(
        english.is_empty(),
        "English in a Chinese study: {english:#?}\n{terminal}\n{workbooks}"
    );
    insta::assert_snapshot!("zh_path_terminal", words_only(&terminal));
    insta::assert_snapshot!("zh_path_workbooks", words_only(&workbooks));
}

/// The English check itself: prose is found, codes are not.
#[test]
fn the_english_check_finds_prose_and_passes_codes() {
    let found = english_words(
        "警告：default NCV used for fuel.raw_coal.ncv at spray_dryer (unverified) CO2e 2030",
    );
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        ["at", "default", "for", "unverified", "used"]
    );
    assert_eq!(words_only("达峰年 2030，1,234.5 吨"), "达峰年 #，# 吨");
    assert_eq!(
        words_only("fuel.gbt2589.raw_coal 2023."),
        "fuel.gbt#.raw_coal #."
    );
}

/// Coal given in tonnes of coal equivalent (吨标准煤) is burnt by its energy:
/// 500 tce × 29.3076 GJ/tce = 14 653.8 GJ; at the gbt2589 raw-coal defaults
/// (CC 26.37 tC/TJ, OF 0.94, the edition ndrc2015 has no raw coal),
/// CO2 = 14 653.8 GJ × 0.02637 tC/GJ × 0.94 × 44/12 = 1 331.863 366 68 t.
/// The amount burnt is 14 653.8 / 20.908 GJ/t = 700.870 48… t of raw coal,
/// and the row's input says how it was converted.
#[test]
fn coal_in_tonnes_of_coal_equivalent_is_burnt_by_its_energy() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    Book::new()
        .settings()
        .sheet(
            "facilities",
            &["facility_id", "sector", "technology", "city"],
            &[row!["TB-01", "tobacco", "coal_bulk_barn", "凉山彝族自治州"]],
        )
        .sheet(
            "activity",
            &["facility_id", "year", "item", "value", "unit"],
            &[
                row!["TB-01", "2023年", "output", 400, "t"],
                row!["TB-01", "2023年", "原煤", 500, "吨标准煤"],
            ],
        )
        .save(&p.join("coal.xlsx"));
    let (o, said) = run(&["inventory", "coal.xlsx", "--out", "coal.json"], p);
    assert!(o.status.success(), "{said}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("coal.json")).unwrap()).unwrap();
    let rows = json["inventories"][0]["rows"].as_array().unwrap();
    let co2 = rows
        .iter()
        .find(|r| r["substance"] == "CO2" && r["source"] == "curing_combustion")
        .unwrap();
    assert_eq!(co2["amount"], "1331.86336668");
    let input = &co2["inputs"][0];
    assert_eq!(input["item"], "fuel.raw_coal");
    let from = input["from"].as_str().unwrap();
    assert!(
        from.contains("500 吨标准煤 = 14653.8000 GJ ÷ NCV 20.908 GJ/t (fuel.gbt2589.raw_coal.ncv) = 700.870480198966902621"),
        "{from}"
    );
    // The NCV is named once among the row's factors, though used twice.
    assert_eq!(co2["factor_ids"][0], "fuel.gbt2589.raw_coal.ncv");
    assert_eq!(co2["factor_ids"].as_array().unwrap().len(), 3);
}
