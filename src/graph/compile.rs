//! The graph compiler: a sector TOML file checked against the factor library
//! and turned into a [`Sector`], every problem named by file and line.

use super::def::{
    DefaultControlDef, EditionDef, FlowDef, InputDef, NodeDef, SectorMeta, SourceDef, TechnologyDef,
};
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

/// Compiles a sector file: every section is checked in file order, all
/// problems are gathered (so one run names them all), and only a clean file
/// becomes a [`Sector`].
pub(super) fn compile(
    file: SectorFile,
    path: &str,
    text: &str,
    fuels: &[&str],
) -> std::result::Result<Sector, Vec<DataError>> {
    let sp = Spans { path, text };
    let mut errs = Vec::new();
    let meta = &file.sector;
    let output_unit = parse_unit(&sp, &meta.output_unit, &mut errs);
    let nodes = compile_nodes(&sp, &file.node, &mut errs);
    let technologies: Vec<Technology> = file.technology.iter().map(technology).collect();
    let editions = editions(meta);
    let mut check = Checker {
        sp: &sp,
        fuels,
        node_ids: nodes.iter().map(|n| n.id.as_str()).collect(),
        tech_ids: technologies.iter().map(|t| t.id.as_str()).collect(),
        errs,
    };
    check.sector_defaults(meta);
    check.technology_names(&file.technology);
    let flows: Vec<Flow> = file.flow.iter().map(|f| check.flow(f)).collect();
    let inputs = file.input.iter().map(|i| check.input(i)).collect();
    let default_controls = file
        .default_control
        .iter()
        .filter_map(|c| check.default_control(c))
        .collect();
    let sources = check.sources(&file.source);
    let errs = check.errs;
    if !errs.is_empty() {
        return Err(errs);
    }
    let graph = graph_of(&nodes, &flows);
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

/// A unit as written, or the unit one (with the error noted) so the check
/// can go on and name every other problem too.
fn parse_unit(sp: &Spans<'_>, u: &Spanned<String>, errs: &mut Vec<DataError>) -> Unit {
    Unit::parse(u.get_ref()).unwrap_or_else(|e| {
        errs.push(DataError::new(sp.at(u), Text::from(&e)));
        Unit::one()
    })
}

/// The nodes, each id declared once.
fn compile_nodes(sp: &Spans<'_>, defs: &[NodeDef], errs: &mut Vec<DataError>) -> Vec<Node> {
    let mut nodes = Vec::new();
    let mut seen = BTreeSet::new();
    for n in defs {
        if !seen.insert(n.id.get_ref().clone()) {
            let id = n.id.get_ref();
            errs.push(DataError::new(
                sp.at(&n.id),
                tr!("duplicate node '{id}'", "节点“{id}”重复"),
            ));
        }
        let unit = parse_unit(sp, &n.unit, errs);
        nodes.push(Node {
            id: n.id.get_ref().clone(),
            name_en: n.name_en.clone(),
            name_zh: n.name_zh.clone(),
            product: n.product.clone(),
            unit,
        });
    }
    nodes
}

fn technology(t: &TechnologyDef) -> Technology {
    Technology {
        id: t.id.get_ref().clone(),
        name_en: t.name_en.clone(),
        name_zh: t.name_zh.clone(),
        aliases: t.aliases.clone(),
        infer_from_fuels: t.infer_from_fuels.clone(),
        cell: t.cell.clone(),
        anode: t.anode.clone(),
    }
}

fn editions(meta: &SectorMeta) -> BTreeMap<String, Edition> {
    meta.edition
        .iter()
        .map(|(id, e): (&String, &EditionDef)| {
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
        .collect()
}

/// The petgraph view of the flows: node weights index `nodes`, edge weights
/// index `flows`.
fn graph_of(nodes: &[Node], flows: &[Flow]) -> DiGraph<usize, usize> {
    let mut graph = DiGraph::new();
    let idx: BTreeMap<&str, NodeIndex> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), graph.add_node(i)))
        .collect();
    for (i, f) in flows.iter().enumerate() {
        graph.add_edge(idx[f.from.as_str()], idx[f.to.as_str()], i);
    }
    graph
}

/// The checks that need the declared nodes and technologies; it gathers the
/// errors of the whole file.
struct Checker<'a> {
    sp: &'a Spans<'a>,
    fuels: &'a [&'a str],
    node_ids: Vec<&'a str>,
    tech_ids: Vec<&'a str>,
    errs: Vec<DataError>,
}

impl Checker<'_> {
    fn push(&mut self, e: DataError) {
        self.errs.push(e);
    }

    fn check_node(&mut self, s: &Spanned<String>) {
        if !self.node_ids.contains(&s.get_ref().as_str()) {
            let node = s.get_ref();
            let e = DataError::new(
                self.sp.at(s),
                tr!("unknown node '{node}'", "未知节点“{node}”"),
            )
            .with_hint(did_you_mean(s.get_ref(), self.node_ids.iter().copied()));
            self.push(e);
        }
    }

    /// The technologies a row is limited to, each one declared.
    fn check_techs(&mut self, v: &[Spanned<String>]) -> Vec<String> {
        v.iter()
            .map(|t| {
                if !self.tech_ids.contains(&t.get_ref().as_str()) {
                    let tech = t.get_ref();
                    let e = DataError::new(
                        self.sp.at(t),
                        tr!("unknown technology '{tech}'", "未知技术“{tech}”"),
                    )
                    .with_hint(did_you_mean(t.get_ref(), self.tech_ids.iter().copied()));
                    self.push(e);
                }
                t.get_ref().clone()
            })
            .collect()
    }

    /// No two technologies answer to the same name once case, spaces and
    /// punctuation are folded (the way a workbook's text is matched): a
    /// workbook naming it could not say which it means, and the engine takes
    /// a technology's id as naming that technology.
    fn technology_names(&mut self, defs: &[TechnologyDef]) {
        let mut owner: BTreeMap<String, &str> = BTreeMap::new();
        for t in defs {
            let id = t.id.get_ref().as_str();
            let names = [id, t.name_en.as_str(), t.name_zh.as_str()]
                .into_iter()
                .chain(t.aliases.iter().map(String::as_str));
            for name in names {
                let folded = fold_name(name);
                if folded.is_empty() {
                    continue;
                }
                match owner.get(&folded) {
                    Some(&other) if other != id => self.errs.push(DataError::new(
                        self.sp.at(&t.id),
                        tr!(
                            "technologies '{other}' and '{id}' both answer to the name '{name}': a workbook writing it could not tell them apart; rename or drop one of the two",
                            "技术“{other}”与“{id}”都对应名称“{name}”：工作簿写这个名称时无法区分；请改名或删去其一"
                        ),
                    )),
                    Some(_) => {}
                    None => {
                        owner.insert(folded, id);
                    }
                }
            }
        }
    }

    /// The `[sector]` table's references: its nodes, default technology and
    /// default edition must be declared.
    fn sector_defaults(&mut self, meta: &SectorMeta) {
        self.check_node(&meta.reference_node);
        self.check_node(&meta.default_node);
        if !self
            .tech_ids
            .contains(&meta.default_technology.get_ref().as_str())
        {
            let tech = meta.default_technology.get_ref();
            let e = DataError::new(
                self.sp.at(&meta.default_technology),
                tr!(
                    "default technology '{tech}' is not declared",
                    "缺省技术“{tech}”未声明"
                ),
            );
            self.push(e);
        }
        if !meta.edition.contains_key(meta.default_edition.get_ref()) {
            let edition = meta.default_edition.get_ref();
            let e = DataError::new(
                self.sp.at(&meta.default_edition),
                tr!(
                    "default edition '{edition}' is not declared",
                    "缺省版本“{edition}”未声明"
                ),
            );
            self.push(e);
        }
    }

    /// An amount: factors (divided by others) or a literal with its unit and
    /// the note that justifies it, never both.
    fn amount(&mut self, a: &AmountDef, at: Location) -> Amount {
        let value = a.value.as_ref().map(|v| {
            parse_decimal(v.get_ref()).unwrap_or_else(|| {
                let text = v.get_ref();
                self.errs.push(DataError::new(
                    self.sp.at(v),
                    tr!("'{text}' is not a decimal number", "“{text}”不是十进制数"),
                ));
                Decimal::ZERO
            })
        });
        if value.is_some() == (!a.factors.is_empty() || !a.divide_by.is_empty()) {
            self.push(DataError::new(
                at.clone(),
                tr!(
                    "an amount needs either `factors` or `value` (with `unit` and `note`), not both",
                    "数量须在 `factors` 与 `value`（附 `unit` 和 `note`）中择一给出"
                ),
            ));
        }
        if value.is_some() && (a.unit.is_none() || a.note.trim().is_empty()) {
            self.push(DataError::new(
                at.clone(),
                tr!(
                    "a literal amount needs a `unit` and a `note` saying why it holds",
                    "直接给定数值的数量须有 `unit`，并以 `note` 说明其依据"
                ),
            ));
        }
        if let Some(u) = &a.unit {
            if let Err(e) = Unit::parse(u.get_ref()) {
                let e = DataError::new(self.sp.at(u), Text::from(&e));
                self.push(e);
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
    }

    fn flow(&mut self, f: &FlowDef) -> Flow {
        self.check_node(&f.from);
        self.check_node(&f.to);
        if f.from.get_ref() == f.to.get_ref() {
            let e = DataError::new(
                self.sp.at(&f.from),
                tr!(
                    "a flow cannot go from a node to itself",
                    "流的起点和终点不能是同一节点"
                ),
            );
            self.push(e);
        }
        let technology = self.check_techs(&f.technology);
        let at = self.sp.at(&f.from);
        Flow {
            from: f.from.get_ref().clone(),
            to: f.to.get_ref().clone(),
            label: f.label.clone(),
            label_zh: f.label_zh.clone(),
            kind: f.kind,
            amount: self.amount(&f.amount, at),
            technology,
        }
    }

    fn input(&mut self, i: &InputDef) -> Input {
        self.check_node(&i.node);
        if items::item_spec(i.item.get_ref(), self.fuels).is_none() {
            let item = i.item.get_ref();
            let e = DataError::new(
                self.sp.at(&i.item),
                tr!("unknown item '{item}'", "未知数据项“{item}”"),
            )
            .with_hint(did_you_mean(
                i.item.get_ref(),
                items::item_examples(self.fuels).iter().map(String::as_str),
            ));
            self.push(e);
        }
        let technology = self.check_techs(&i.technology);
        let at = self.sp.at(&i.item);
        Input {
            node: i.node.get_ref().clone(),
            item: i.item.get_ref().clone(),
            amount: self.amount(&i.amount, at),
            technology,
        }
    }

    /// A default control, or none when its substance is unknown (the error
    /// is noted).
    fn default_control(&mut self, c: &DefaultControlDef) -> Option<DefaultControl> {
        self.check_node(&c.node);
        let technology = self.check_techs(&c.technology);
        let Some(substance) = Substance::parse(c.substance.get_ref()) else {
            let sub = c.substance.get_ref();
            let e = DataError::new(
                self.sp.at(&c.substance),
                tr!("unknown substance '{sub}'", "未知物质“{sub}”"),
            );
            self.push(e);
            return None;
        };
        Some(DefaultControl {
            substance,
            node: c.node.get_ref().clone(),
            efficiency: c.efficiency.get_ref().clone(),
            technology,
            limit: c.limit.as_ref().map(|l| l.get_ref().clone()),
            location: self.sp.at(&c.substance),
        })
    }

    /// The emission sources, each id declared once.
    fn sources(&mut self, defs: &[SourceDef]) -> Vec<Source> {
        let mut source_ids = BTreeSet::new();
        let mut sources = Vec::new();
        for s in defs {
            self.check_node(&s.node);
            if !source_ids.insert(s.id.get_ref().clone()) {
                let id = s.id.get_ref();
                let e = DataError::new(
                    self.sp.at(&s.id),
                    tr!("duplicate source '{id}'", "排放源“{id}”重复"),
                );
                self.push(e);
            }
            sources.push(self.source(s));
        }
        sources
    }

    fn source(&mut self, s: &SourceDef) -> Source {
        let method = Method::parse(s.method.get_ref());
        if method.is_none() {
            let name = s.method.get_ref();
            let e = DataError::new(
                self.sp.at(&s.method),
                tr!("unknown method '{name}'", "未知核算方法“{name}”"),
            )
            .with_hint(did_you_mean(s.method.get_ref(), Method::NAMES));
            self.push(e);
        }
        let substances = self.substances(&s.substances);
        let pollutants = self.fuel_table(&s.id, &s.pollutants);
        let mut pollutants_by_node = BTreeMap::new();
        for (node, tables) in &s.pollutants_by_node {
            if !self.node_ids.contains(&node.as_str()) {
                let e = DataError::new(
                    self.sp.at(&s.id),
                    tr!(
                        "unknown node '{node}' in pollutants_by_node",
                        "pollutants_by_node 中有未知节点“{node}”"
                    ),
                );
                self.push(e);
            }
            let table = self.fuel_table(&s.id, tables);
            pollutants_by_node.insert(node.clone(), table);
        }
        self.source_items(s);
        Source {
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
            location: self.sp.at(&s.id),
        }
    }

    /// The substances a source emits; unknown codes are noted and left out.
    fn substances(&mut self, codes: &[Spanned<String>]) -> Vec<Substance> {
        let mut substances = Vec::new();
        for x in codes {
            match Substance::parse(x.get_ref()) {
                Some(sub) => substances.push(sub),
                None => {
                    let sub = x.get_ref();
                    let e = DataError::new(
                        self.sp.at(x),
                        tr!("unknown substance '{sub}'", "未知物质“{sub}”"),
                    )
                    .with_hint(did_you_mean(sub, Substance::codes()));
                    self.push(e)
                }
            }
        }
        substances
    }

    /// A fuel -> substance -> factor id table of a source (errors placed at
    /// the source's id, the nearest span the TOML keeps).
    fn fuel_table(
        &mut self,
        source_id: &Spanned<String>,
        tables: &BTreeMap<String, BTreeMap<String, Spanned<String>>>,
    ) -> BTreeMap<String, BTreeMap<Substance, String>> {
        let mut out = BTreeMap::new();
        for (fuel, table) in tables {
            if !self.fuels.contains(&fuel.as_str()) {
                let e = DataError::new(
                    self.sp.at(source_id),
                    tr!(
                        "unknown fuel '{fuel}' in pollutants",
                        "pollutants 中有未知燃料“{fuel}”"
                    ),
                )
                .with_hint(did_you_mean(fuel, self.fuels.iter().copied()));
                self.push(e);
            }
            let mut t = BTreeMap::new();
            for (sub, id) in table {
                match Substance::parse(sub) {
                    Some(x) => {
                        t.insert(x, id.get_ref().clone());
                    }
                    None => {
                        let e = DataError::new(
                            self.sp.at(id),
                            tr!("unknown substance '{sub}'", "未知物质“{sub}”"),
                        );
                        self.push(e)
                    }
                }
            }
            out.insert(fuel.clone(), t);
        }
        out
    }

    /// The activity items a source's factors are keyed by must be known items.
    fn source_items(&mut self, s: &SourceDef) {
        for item in s
            .items
            .keys()
            .chain(s.items_by_edition.values().flat_map(|m| m.keys()))
        {
            if items::item_spec(item, self.fuels).is_none() {
                let e = DataError::new(
                    self.sp.at(&s.id),
                    tr!("unknown item '{item}'", "未知数据项“{item}”"),
                );
                self.push(e);
            }
        }
    }
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
