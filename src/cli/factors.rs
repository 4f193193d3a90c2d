//! `factors list`, `show` and `check`: the factor library on the terminal.

use super::*;

pub(crate) fn factors_cmd(
    cmd: FactorsCmd,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> anyhow::Result<ExitCode> {
    match cmd {
        FactorsCmd::List {
            sector,
            substance,
            edition,
        } => {
            let sector_ids = match &sector {
                Some(s) => {
                    let sec = sectors.get(s).map_err(anyhow::Error::msg)?;
                    let prefix = match sec.id.as_str() {
                        "aluminium" => "al.",
                        "ceramics" => "cer.",
                        "baijiu" => "bj.",
                        "tobacco" => "tb.",
                        _ => "\u{0}",
                    };
                    let mut ids = sec.factor_ids();
                    ids.extend(
                        lib.ids()
                            .filter(|id| id.starts_with(prefix))
                            .map(str::to_string),
                    );
                    Some(ids)
                }
                None => None,
            };
            let substance = match &substance {
                Some(s) => Some(coreduce::Substance::parse(s).ok_or_else(|| {
                    anyhow::anyhow!(
                        "unknown substance '{s}'{}",
                        coreduce::error::did_you_mean(s, coreduce::Substance::codes())
                            .map(|h| format!(" ({h})"))
                            .unwrap_or_default()
                    )
                })?),
                None => None,
            };
            let rows: Vec<&Factor> = lib
                .iter()
                .filter(|f| sector_ids.as_ref().is_none_or(|ids| ids.contains(&f.id)))
                .filter(|f| substance.is_none_or(|s| f.substance == Some(s)))
                .filter(|f| {
                    edition
                        .as_ref()
                        .is_none_or(|e| f.edition.eq_ignore_ascii_case(e))
                })
                .collect();
            out!(
                "{:<46} {:>14} {:<18} {:<16} {:<12}",
                "id",
                "value",
                "unit",
                "edition",
                "confidence"
            );
            for f in &rows {
                out!(
                    "{:<46} {:>14} {:<18} {:<16} {:<12}{}",
                    f.id,
                    f.value.to_string(),
                    f.unit.symbol(),
                    f.edition,
                    f.confidence.as_str(),
                    if f.origin.is_override() {
                        "  (override)"
                    } else {
                        ""
                    }
                );
            }
            eprintln!("{} factor(s)", rows.len());
            Ok(ExitCode::SUCCESS)
        }
        FactorsCmd::Show { id } => {
            let f = lib.get(&id).map_err(|e| {
                anyhow::anyhow!(
                    "unknown factor '{id}'{}",
                    e.hint.map(|h| format!(" ({h})")).unwrap_or_default()
                )
            })?;
            out!("{}", f.id);
            out!("  value:       {} {}", f.value, f.unit.symbol());
            if let Some(s) = f.substance {
                out!(
                    "  substance:   {} ({}, {})",
                    s.code(),
                    s.name_en(),
                    s.name_zh()
                );
            }
            out!("  edition:     {}", f.edition);
            out!("  geography:   {}", f.geography);
            out!("  confidence:  {}", f.confidence);
            out!("  source:      {}", f.source);
            if !f.locator.is_empty() {
                out!("  locator:     {}", f.locator);
            }
            if !f.alternative.is_empty() {
                out!("  alternative: {}", f.alternative);
            }
            if !f.note.is_empty() {
                out!("  note:        {}", f.note);
            }
            if let Some(u) = &f.uncertainty {
                out!(
                    "  uncertainty: {}",
                    serde_json::to_string(u).unwrap_or_default()
                );
            }
            out!("  defined at:  {}", f.location);
            if f.origin.is_override() {
                out!(
                    "  OVERRIDE:    {:?}{}",
                    f.origin,
                    f.replaced_value
                        .map(|v| format!(" (library value {v})"))
                        .unwrap_or_default()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        FactorsCmd::Check => {
            let findings = lib.check();
            print_default_bases(lib, sectors)?;
            if findings.is_empty() {
                out!(
                    "factor library: {} factors in {} datasets, no findings; {} sector graphs load and check",
                    lib.len(),
                    lib.datasets().count(),
                    sectors.sectors.len()
                );
                Ok(ExitCode::SUCCESS)
            } else {
                for f in &findings {
                    out!("{f}");
                }
                out!("{} finding(s)", findings.len());
                Ok(ExitCode::from(1))
            }
        }
    }
}

/// What each sector's default result rests on, weakest marks first: where a
/// study should bring its own measurements before a number is quoted.
fn print_default_bases(lib: &FactorLibrary, sectors: &SectorLibrary) -> coreduce::Result<()> {
    // Marks first: a mark its source cannot support misleads every reader.
    let unsupported = lib.unsupported_marks();
    if unsupported.is_empty() {
        out!("Every confidence mark is supported by its source (verified: the official text read; secondary: a faithful copy or two independent sources).");
    } else {
        out!(
            "Marks their sources cannot support ({}): lower them to unverified or record a second source (dataset.toml: seen, independent):",
            unsupported.len()
        );
        for (f, why) in &unsupported {
            out!(
                "  {:<44} {why} ('{}': {})",
                f.id,
                f.source_key,
                f.source.title
            );
        }
    }
    out!("What each sector's default result (Tier 1, one unit of output) rests on, weakest marks first:");
    for b in coreduce::accounting::default_bases(lib, sectors)? {
        out!(
            "  {} ({}, {}): {} of its {} factors are marked assumption, unverified or conflicting",
            b.sector,
            b.technology,
            b.edition,
            b.weak.len(),
            b.factor_ids.len()
        );
        for f in &b.weak {
            out!(
                "    {:<12} {:<44} {} {}",
                f.confidence.to_string(),
                f.id,
                f.value,
                f.unit
            );
        }
        if !b.no_spread.is_empty() {
            out!(
                "    without a spread ({}; Monte Carlo holds them exact): {}",
                b.no_spread.len(),
                b.no_spread
                    .iter()
                    .map(|f| f.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    print_methods_without_spreads(lib, sectors)
}

/// Every factor a sector method (any technology under any edition) uses
/// without a spread: what Monte Carlo holds exact for some study.
fn print_methods_without_spreads(
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> coreduce::Result<()> {
    let bases = coreduce::accounting::method_bases(lib, sectors)?;
    // factor id → the methods that use it without a spread
    let mut missing: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for b in &bases {
        for f in &b.no_spread {
            missing
                .entry(f.id.as_str())
                .or_default()
                .push(format!("{}/{}/{}", b.sector, b.technology, b.edition));
        }
    }
    if missing.is_empty() {
        out!(
            "Every factor of the {} sector methods (each technology under each edition) carries a spread, or is exact by definition (GWPs, constants, stoichiometry, legal pollution equivalents, defaults of zero that stand for \"none unless reported\").",
            bases.len()
        );
    } else {
        out!(
            "Factors a sector method uses without a spread ({} over {} methods; Monte Carlo holds them exact):",
            missing.len(),
            bases.len()
        );
        for (id, methods) in &missing {
            out!("  {id:<44} {}", methods.join(", "));
        }
    }
    Ok(())
}
