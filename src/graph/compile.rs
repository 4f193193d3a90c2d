//! The graph compiler: a sector TOML file checked against the factor library
//! and turned into a [`Sector`], every problem named by file and line.

use super::*;
use crate::text::Text;
use crate::tr;

pub(super) fn toml_error(path: &str, text: &str, e: &toml::de::Error) -> DataError {
    let line = e
        .span()
        .map(|s| crate::error::line_of(text, s.start))
        .unwrap_or(1);
    DataError::new(Location::line(path, line), e.message().trim().to_string())
}

pub(super) struct Spans<'a> {
    pub(super) path: &'a str,
    pub(super) text: &'a str,
}

impl Spans<'_> {
    pub(super) fn at<T>(&self, s: &Spanned<T>) -> Location {
        Location::line(self.path, crate::error::line_of(self.text, s.span().start))
    }
}

pub(super) fn compile(
    file: SectorFile,
    path: &str,
    text: &str,
    fuels: &[&str],
) -> std::result::Result<Sector, Vec<DataError>> {
    let sp = Spans { path, text };
    let mut errs = Vec::new();
    let meta = &file.sector;
    let output_unit = Unit::parse(meta.output_unit.get_ref()).unwrap_or_else(|e| {
        errs.push(DataError::new(sp.at(&meta.output_unit), Text::from(&e)));
        Unit::one()
    });
    let mut nodes = Vec::new();
    let mut seen = BTreeSet::new();
    for n in &file.node {
        if !seen.insert(n.id.get_ref().clone()) {
            let id = n.id.get_ref();
            errs.push(DataError::new(
                sp.at(&n.id),
                tr!("duplicate node '{id}'", "节点“{id}”重复"),
            ));
        }
        let unit = Unit::parse(n.unit.get_ref()).unwrap_or_else(|e| {
            errs.push(DataError::new(sp.at(&n.unit), Text::from(&e)));
            Unit::one()
        });
        nodes.push(Node {
            id: n.id.get_ref().clone(),
            name_en: n.name_en.clone(),
            name_zh: n.name_zh.clone(),
            product: n.product.clone(),
            unit,
        });
    }
    let node_ids: Vec<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    let check_node = |s: &Spanned<String>, errs: &mut Vec<DataError>| {
        if !node_ids.contains(&s.get_ref().as_str()) {
            let node = s.get_ref();
            errs.push(
                DataError::new(sp.at(s), tr!("unknown node '{node}'", "未知节点“{node}”"))
                    .with_hint(did_you_mean(s.get_ref(), node_ids.iter().copied())),
            );
        }
    };
    check_node(&meta.reference_node, &mut errs);
    check_node(&meta.default_node, &mut errs);
    let technologies: Vec<Technology> = file
        .technology
        .iter()
        .map(|t| Technology {
            id: t.id.get_ref().clone(),
            name_en: t.name_en.clone(),
            name_zh: t.name_zh.clone(),
            aliases: t.aliases.clone(),
            infer_from_fuels: t.infer_from_fuels.clone(),
            cell: t.cell.clone(),
            anode: t.anode.clone(),
        })
        .collect();
    let tech_ids: Vec<&str> = technologies.iter().map(|t| t.id.as_str()).collect();
    let check_techs = |v: &[Spanned<String>], errs: &mut Vec<DataError>| -> Vec<String> {
        v.iter()
            .map(|t| {
                if !tech_ids.contains(&t.get_ref().as_str()) {
                    let tech = t.get_ref();
                    errs.push(
                        DataError::new(
                            sp.at(t),
                            tr!("unknown technology '{tech}'", "未知技术“{tech}”"),
                        )
                        .with_hint(did_you_mean(t.get_ref(), tech_ids.iter().copied())),
                    );
                }
                t.get_ref().clone()
            })
            .collect()
    };
    if !tech_ids.contains(&meta.default_technology.get_ref().as_str()) {
        let tech = meta.default_technology.get_ref();
        errs.push(DataError::new(
            sp.at(&meta.default_technology),
            tr!(
                "default technology '{tech}' is not declared",
                "缺省技术“{tech}”未声明"
            ),
        ));
    }
    if !meta.edition.contains_key(meta.default_edition.get_ref()) {
        let edition = meta.default_edition.get_ref();
        errs.push(DataError::new(
            sp.at(&meta.default_edition),
            tr!(
                "default edition '{edition}' is not declared",
                "缺省版本“{edition}”未声明"
            ),
        ));
    }
    let editions = meta
        .edition
        .iter()
        .map(|(id, e)| {
            (
                id.clone(),
                Edition {
                    id: id.clone(),
                    name: e.name.clone(),
                    gwp: e.gwp.clone(),
                    fuel_tables: e.fuel_tables.iter().map(|t| t.get_ref().clone()).collect(),
                    note: e.note.clone(),
                },
            )
        })
        .collect();
    let amount = |a: &AmountDef, at: Location, errs: &mut Vec<DataError>| -> Amount {
        let value = a.value.as_ref().map(|v| {
            parse_decimal(v.get_ref()).unwrap_or_else(|| {
                let text = v.get_ref();
                errs.push(DataError::new(
                    sp.at(v),
                    tr!("'{text}' is not a decimal number", "“{text}”不是十进制数"),
                ));
                Decimal::ZERO
            })
        });
        if value.is_some() == (!a.factors.is_empty() || !a.divide_by.is_empty()) {
            errs.push(DataError::new(
                at.clone(),
                tr!(
                    "an amount needs either `factors` or `value` (with `unit` and `note`), not both",
                    "数量须在 `factors` 与 `value`（附 `unit` 和 `note`）中择一给出"
                ),
            ));
        }
        if value.is_some() && (a.unit.is_none() || a.note.trim().is_empty()) {
            errs.push(DataError::new(
                at.clone(),
                tr!(
                    "a literal amount needs a `unit` and a `note` saying why it holds",
                    "直接给定数值的数量须有 `unit`，并以 `note` 说明其依据"
                ),
            ));
        }
        if let Some(u) = &a.unit {
            if let Err(e) = Unit::parse(u.get_ref()) {
                errs.push(DataError::new(sp.at(u), Text::from(&e)));
            }
        }
        Amount {
            factors: a.factors.iter().map(|f| f.get_ref().clone()).collect(),
            divide_by: a.divide_by.iter().map(|f| f.get_ref().clone()).collect(),
            value,
            unit: a.unit.as_ref().map(|u| u.get_ref().clone()),
            note: a.note.clone(),
            location: at,
        }
    };
    let mut flows = Vec::new();
    for f in &file.flow {
        check_node(&f.from, &mut errs);
        check_node(&f.to, &mut errs);
        if f.from.get_ref() == f.to.get_ref() {
            errs.push(DataError::new(
                sp.at(&f.from),
                tr!(
                    "a flow cannot go from a node to itself",
                    "流的起点和终点不能是同一节点"
                ),
            ));
        }
        let technology = check_techs(&f.technology, &mut errs);
        flows.push(Flow {
            from: f.from.get_ref().clone(),
            to: f.to.get_ref().clone(),
            label: f.label.clone(),
            label_zh: f.label_zh.clone(),
            kind: f.kind,
            amount: amount(&f.amount, sp.at(&f.from), &mut errs),
            technology,
        });
    }
    let mut inputs = Vec::new();
    for i in &file.input {
        check_node(&i.node, &mut errs);
        if items::item_spec(i.item.get_ref(), fuels).is_none() {
            let item = i.item.get_ref();
            errs.push(
                DataError::new(
                    sp.at(&i.item),
                    tr!("unknown item '{item}'", "未知数据项“{item}”"),
                )
                .with_hint(did_you_mean(
                    i.item.get_ref(),
                    items::item_examples(fuels).iter().map(String::as_str),
                )),
            );
        }
        let technology = check_techs(&i.technology, &mut errs);
        inputs.push(Input {
            node: i.node.get_ref().clone(),
            item: i.item.get_ref().clone(),
            amount: amount(&i.amount, sp.at(&i.item), &mut errs),
            technology,
        });
    }
    let mut default_controls = Vec::new();
    for c in &file.default_control {
        check_node(&c.node, &mut errs);
        let technology = check_techs(&c.technology, &mut errs);
        let Some(substance) = Substance::parse(c.substance.get_ref()) else {
            let sub = c.substance.get_ref();
            errs.push(DataError::new(
                sp.at(&c.substance),
                tr!("unknown substance '{sub}'", "未知物质“{sub}”"),
            ));
            continue;
        };
        default_controls.push(DefaultControl {
            substance,
            node: c.node.get_ref().clone(),
            efficiency: c.efficiency.get_ref().clone(),
            technology,
            limit: c.limit.as_ref().map(|l| l.get_ref().clone()),
            location: sp.at(&c.substance),
        });
    }
    let mut sources = Vec::new();
    let mut source_ids = BTreeSet::new();
    for s in &file.source {
        check_node(&s.node, &mut errs);
        if !source_ids.insert(s.id.get_ref().clone()) {
            let id = s.id.get_ref();
            errs.push(DataError::new(
                sp.at(&s.id),
                tr!("duplicate source '{id}'", "排放源“{id}”重复"),
            ));
        }
        let method = Method::parse(s.method.get_ref());
        if method.is_none() {
            let name = s.method.get_ref();
            errs.push(
                DataError::new(
                    sp.at(&s.method),
                    tr!("unknown method '{name}'", "未知核算方法“{name}”"),
                )
                .with_hint(did_you_mean(s.method.get_ref(), Method::NAMES)),
            );
        }
        let mut substances = Vec::new();
        for x in &s.substances {
            match Substance::parse(x.get_ref()) {
                Some(sub) => substances.push(sub),
                None => {
                    let sub = x.get_ref();
                    errs.push(
                        DataError::new(
                            sp.at(x),
                            tr!("unknown substance '{sub}'", "未知物质“{sub}”"),
                        )
                        .with_hint(did_you_mean(sub, Substance::codes())),
                    )
                }
            }
        }
        let fuel_table = |tables: &BTreeMap<String, BTreeMap<String, Spanned<String>>>,
                          errs: &mut Vec<DataError>| {
            let mut out = BTreeMap::new();
            for (fuel, table) in tables {
                if !fuels.contains(&fuel.as_str()) {
                    errs.push(
                        DataError::new(
                            sp.at(&s.id),
                            tr!(
                                "unknown fuel '{fuel}' in pollutants",
                                "pollutants 中有未知燃料“{fuel}”"
                            ),
                        )
                        .with_hint(did_you_mean(fuel, fuels.iter().copied())),
                    );
                }
                let mut t = BTreeMap::new();
                for (sub, id) in table {
                    match Substance::parse(sub) {
                        Some(x) => {
                            t.insert(x, id.get_ref().clone());
                        }
                        None => errs.push(DataError::new(
                            sp.at(id),
                            tr!("unknown substance '{sub}'", "未知物质“{sub}”"),
                        )),
                    }
                }
                out.insert(fuel.clone(), t);
            }
            out
        };
        let pollutants = fuel_table(&s.pollutants, &mut errs);
        let mut pollutants_by_node = BTreeMap::new();
        for (node, tables) in &s.pollutants_by_node {
            if !node_ids.contains(&node.as_str()) {
                errs.push(DataError::new(
                    sp.at(&s.id),
                    tr!(
                        "unknown node '{node}' in pollutants_by_node",
                        "pollutants_by_node 中有未知节点“{node}”"
                    ),
                ));
            }
            pollutants_by_node.insert(node.clone(), fuel_table(tables, &mut errs));
        }
        for item in s
            .items
            .keys()
            .chain(s.items_by_edition.values().flat_map(|m| m.keys()))
        {
            if items::item_spec(item, fuels).is_none() {
                errs.push(DataError::new(
                    sp.at(&s.id),
                    tr!("unknown item '{item}'", "未知数据项“{item}”"),
                ));
            }
        }
        sources.push(Source {
            id: s.id.get_ref().clone(),
            node: s.node.get_ref().clone(),
            name_en: s.name_en.clone(),
            name_zh: s.name_zh.clone(),
            method: method.unwrap_or(Method::Factor),
            substances,
            params: plain(&s.params),
            params_by_edition: by_key(&s.params_by_edition),
            pollutants,
            pollutants_by_node,
            items: plain(&s.items),
            items_by_edition: by_key(&s.items_by_edition),
            scope: s.scope,
            in_compliance: s.in_compliance,
            location: sp.at(&s.id),
        });
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let mut graph = DiGraph::new();
    let idx: BTreeMap<&str, NodeIndex> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), graph.add_node(i)))
        .collect();
    for (i, f) in flows.iter().enumerate() {
        graph.add_edge(idx[f.from.as_str()], idx[f.to.as_str()], i);
    }
    Ok(Sector {
        id: meta.id.clone(),
        name_en: meta.name_en.clone(),
        name_zh: meta.name_zh.clone(),
        aliases: meta.aliases.clone(),
        output_unit,
        output_label: meta.output_label.clone(),
        reference_node: meta.reference_node.get_ref().clone(),
        default_node: meta.default_node.get_ref().clone(),
        default_technology: meta.default_technology.get_ref().clone(),
        default_edition: meta.default_edition.get_ref().clone(),
        editions,
        technologies,
        nodes,
        flows,
        inputs,
        sources,
        default_controls,
        graph,
        path: path.to_string(),
    })
}

/// A table of spanned strings as plain strings (the spans served the errors).
fn plain(m: &BTreeMap<String, Spanned<String>>) -> BTreeMap<String, String> {
    m.iter()
        .map(|(k, v)| (k.clone(), v.get_ref().clone()))
        .collect()
}

/// `plain` for each table of a keyed set (by edition).
fn by_key(
    m: &BTreeMap<String, BTreeMap<String, Spanned<String>>>,
) -> BTreeMap<String, BTreeMap<String, String>> {
    m.iter().map(|(k, t)| (k.clone(), plain(t))).collect()
}
