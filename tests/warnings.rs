//! Warnings a person can read: a run's warnings grouped by message with a
//! count and the first facility-years, at most a screenful on the terminal;
//! `--warnings all` lists every one.

fn validate(extra: &[&str]) -> String {
    let out = crate::common::coreduce_command()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["validate", "tests/golden/province-400-codes.xlsx"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_province_gets_one_line_per_distinct_warning() {
    let text = validate(&[]);
    // 400 facility-years give 530 warnings of seven kinds: seven lines, not
    // 530 (GWP set ×2 editions, default coal NCV, raw coal's defaults from
    // another table ×2 editions, default controls assumed ×2 sectors: 75
    // coal-spray ceramics and 30 coal-boiler distillery facility-years).
    assert_eq!(text.lines().count(), 8, "{text}");
    let counts: usize = text
        .lines()
        .skip(1)
        .map(|l| {
            let n = l.split('(').nth(1).unwrap().split('×').next().unwrap();
            n.parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(counts, 530);
    insta::assert_snapshot!(text);
}

#[test]
fn warnings_all_lists_every_one() {
    let text = validate(&["--warnings", "all"]);
    assert_eq!(text.lines().count(), 1 + 530);
}
