#!/usr/bin/env python3
"""Writes the synthetic province of ../shared/bench/make_province.py with its
activity table as a CSV beside the workbook (coreduce's `activity_file`
setting), for studies past a sheet's 1,048,576 rows: the same facilities and
values as the workbook generator would write, with the settings naming the
file. Usage (from the repository root, with the peer's environment):

    target/peer/bin/python scripts/make-province-csv.py 1000000 target/bench-data/province-1m.xlsx [--codes]

writes province-1m.xlsx and province-1m-activity.csv.
"""
import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "shared" / "bench"))
import make_province  # noqa: E402


class CsvSheet:
    """Stands in for the write-only activity sheet: rows go to the CSV."""

    def __init__(self, path):
        self.fh = open(path, "w", newline="", encoding="utf-8")
        self.w = csv.writer(self.fh)

    def append(self, row):
        self.w.writerow(["" if c is None else c for c in row])


class Settings:
    """The settings sheet, with the activity_file row after the header."""

    def __init__(self, ws):
        self.ws, self.rows = ws, 0

    def append(self, row):
        self.ws.append(row)
        self.rows += 1
        if self.rows == 1:
            self.ws.append(["activity_file", CSV_PATH.name, None])


class Book:
    """openpyxl's write-only workbook, with the activity sheet diverted."""

    def __init__(self, *a, **k):
        self.wb = make_province.__dict__["_Workbook"](*a, **k)
        self.csv = None

    def create_sheet(self, name, *a, **k):
        if name in ("activity", "活动数据"):
            self.csv = CsvSheet(CSV_PATH)
            return self.csv
        ws = self.wb.create_sheet(name, *a, **k)
        if name in ("settings", "设置"):
            return Settings(ws)
        return ws

    def save(self, path):
        if self.csv:
            self.csv.fh.close()
        self.wb.save(path)

    def __getattr__(self, name):
        return getattr(self.wb, name)


if __name__ == "__main__":
    n, out = int(sys.argv[1]), Path(sys.argv[2])
    codes = "--codes" in sys.argv
    CSV_PATH = out.with_name(out.stem + "-activity.csv")
    make_province.__dict__["_Workbook"] = make_province.Workbook
    make_province.Workbook = Book
    make_province.EXCEL_MAX_ROWS = 1 << 62
    info = make_province.make(n, 5, 20260101, out, "en", codes=codes)
    print(f"{out} and {CSV_PATH}: {info['facility_years']} facility-years, "
          f"{info['activity_rows']} activity rows, written in {info['write_s']} s")
