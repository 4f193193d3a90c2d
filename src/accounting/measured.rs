//! Measured emissions: concentration × flue-gas volume at a stack (with the
//! O2 correction), and CEMS totals that replace the computed rows of their
//! substance.

use super::*;

impl<'a> Work<'a> {
    /// Concentration × flue-gas volume: where a node has `stack.flow` and a
    /// `stack.<SUB>.concentration` (at measured O2) or
    /// `stack.<SUB>.concentration_ref` (at the reference O2, converted back with
    /// C = C_ref × (21 − O2)/(21 − O2_ref)), the measured mass replaces the
    /// computed rows of that substance at that node (tier 3).
    pub(super) fn apply_stack_measurements(&mut self) -> crate::Result<()> {
        let flows: Vec<(String, Entry)> = self.entries("stack.flow");
        let twenty_one = dec!(0.21);
        for (node, flow) in flows {
            let subs: BTreeSet<Substance> = self
                .props
                .keys()
                .filter(|(i, n)| i.starts_with("stack.") && (n == &node || n.is_empty()))
                .filter_map(|(i, _)| {
                    let rest = i.strip_prefix("stack.")?;
                    let (sub, which) = rest.rsplit_once('.')?;
                    which
                        .starts_with("concentration")
                        .then(|| Substance::parse(sub))?
                })
                .collect();
            for sub in subs {
                let mut inputs = vec![InputUsed {
                    item: "stack.flow".into(),
                    value: flow.value,
                    unit: "Nm3".into(),
                    origin: flow.origin.clone(),
                    from: flow.from.clone(),
                }];
                let mut ids = Vec::new();
                let c_item = format!("stack.{}.concentration", sub.code());
                let conc = match self.prop(&c_item, &node) {
                    Some((c, at)) => {
                        inputs.push(InputUsed {
                            item: c_item,
                            value: c,
                            unit: "mg/m3".into(),
                            origin: InputOrigin::Measured,
                            from: at,
                        });
                        c
                    }
                    None => {
                        let r_item = format!("stack.{}.concentration_ref", sub.code());
                        let Some((c_ref, at)) = self.prop(&r_item, &node) else {
                            continue;
                        };
                        inputs.push(InputUsed {
                            item: r_item,
                            value: c_ref,
                            unit: "mg/m3".into(),
                            origin: InputOrigin::Measured,
                            from: at,
                        });
                        let Some((o2, at)) = self.prop("stack.o2", &node) else {
                            let code = sub.code();
                            return Err(Error::Data(DataError::new(
                                self.here(),
                                tr!(
                                    "stack.{code}.concentration_ref at '{node}' needs the measured stack.o2 to convert it back",
                                    "“{node}”的 stack.{code}.concentration_ref 需要实测的 stack.o2 才能换算回实测含氧量下的浓度"
                                ),
                            )));
                        };
                        inputs.push(InputUsed {
                            item: "stack.o2".into(),
                            value: o2,
                            unit: "fraction".into(),
                            origin: InputOrigin::Measured,
                            from: at,
                        });
                        let o2_ref = match self.prop("stack.o2_ref", &node) {
                            Some((v, at)) => {
                                inputs.push(InputUsed {
                                    item: "stack.o2_ref".into(),
                                    value: v,
                                    unit: "fraction".into(),
                                    origin: InputOrigin::Measured,
                                    from: at,
                                });
                                v
                            }
                            // The ceramics standard's reference O2 is the default there;
                            // elsewhere the reference must be given.
                            None if self.sector.id == "ceramics" => {
                                let (v, id) =
                                    self.factor_in("cer.std.gb25464_amended.o2_ref", "fraction")?;
                                ids.push(id);
                                v
                            }
                            None => {
                                let code = sub.code();
                                return Err(Error::Data(DataError::new(
                                    self.here(),
                                    tr!(
                                        "stack.{code}.concentration_ref at '{node}' needs stack.o2_ref (the reference O2 of the standard)",
                                        "“{node}”的 stack.{code}.concentration_ref 需要 stack.o2_ref（排放标准规定的基准含氧量）"
                                    ),
                                )));
                            }
                        };
                        if o2_ref >= twenty_one || o2 >= twenty_one {
                            return Err(Error::Data(DataError::new(
                                self.here(),
                                tr!(
                                    "oxygen contents must be below 21 % for the O2 correction",
                                    "进行含氧量折算时，含氧量必须低于 21 %"
                                ),
                            )));
                        }
                        let what = "O2-corrected concentration = C_ref × (21 − O2) / (21 − O2_ref)";
                        let c = self.mul(what, c_ref, twenty_one - o2)?;
                        self.div(what, c, twenty_one - o2_ref)?
                    }
                };
                // mg/m3 × m3 = mg; 10^9 mg = 1 t
                let what = format!("stack {} = concentration × flow", sub.code());
                let mg = self.mul(&what, conc, flow.value)?;
                let amount = self.div(&what, mg, dec!(1000000000))?;
                let before = self.rows.len();
                self.rows
                    .retain(|r| !(r.substance == sub.code() && r.node == node));
                if self.rows.len() != before {
                    let (code, replaced) = (sub.code(), before - self.rows.len());
                    self.warnings.push(Warning::new(
                        flow.from.clone(),
                        tr!(
                            "the stack measurement of {code} at '{node}' replaces {replaced} computed row(s)",
                            "“{node}”处 {code} 的烟囱实测值替代了 {replaced} 行计算结果"
                        ),
                    ));
                }
                let memo = sub.category() == Category::Memo;
                self.rows.push(Row {
                    node: node.clone(),
                    source: "stack".into(),
                    method: "concentration".into(),
                    substance: sub.code().into(),
                    amount,
                    unit: "t".into(),
                    tier: 3,
                    scope: if memo { 0 } else { 1 },
                    in_view: !memo,
                    factor_ids: ids,
                    inputs,
                });
            }
        }
        Ok(())
    }

    /// `emission.<SUB>` replaces the computed rows of that substance (at its
    /// node, or everywhere when given for the facility).
    pub(super) fn apply_measured_emissions(&mut self) {
        let measured: Vec<((String, String), Entry)> = self
            .amounts
            .iter()
            .filter(|((i, _), _)| i.starts_with("emission."))
            .map(|(k, e)| (k.clone(), e.clone()))
            .collect();
        for ((item, node), e) in measured {
            let Some(sub) = Substance::parse(&item["emission.".len()..]) else {
                continue;
            };
            let before = self.rows.len();
            // A stack measurement replaces the direct emissions it measures,
            // never purchased electricity or heat (scope 2).
            self.rows.retain(|r| {
                !(r.substance == sub.code() && r.scope != 2 && (node.is_empty() || r.node == node))
            });
            if self.rows.len() != before {
                let replaced = before - self.rows.len();
                self.warnings.push(Warning::new(
                    e.from.clone(),
                    tr!(
                        "measured {item} replaces {replaced} computed row(s)",
                        "实测的 {item} 替代了 {replaced} 行计算结果"
                    ),
                ));
            }
            let memo = sub.category() == Category::Memo;
            self.rows.push(Row {
                node: if node.is_empty() {
                    "facility".into()
                } else {
                    node.clone()
                },
                source: "measured".into(),
                method: "measured".into(),
                substance: sub.code().into(),
                amount: e.value,
                unit: "t".into(),
                tier: 3,
                scope: if memo { 0 } else { 1 },
                in_view: !memo,
                factor_ids: vec![],
                inputs: vec![InputUsed {
                    item: item.clone(),
                    value: e.value,
                    unit: "t".into(),
                    origin: InputOrigin::Measured,
                    from: e.from.clone(),
                }],
            });
        }
    }
}
