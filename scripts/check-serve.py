#!/usr/bin/env python3
"""`coreduce serve` in a real browser: headless Chromium (Debian's), driven
by Playwright for Python pointed at it (no browser download).

It starts the server on a free loopback port with a store folder, then, in
a browser whose language is Chinese:
  1. the page opens in Chinese (it follows the browser's language);
  2. the Chinese template downloads and is a workbook;
  3. a broken workbook (the sample with a bad number, an unknown sector and
     an unknown facility) shows its findings with the sheet and cell of each;
  4. the corrected workbook, dropped on the same page, is clean;
  5. the roadmap runs, its report shows in the page, and roadmap.xlsx
     downloads and holds the roadmap's sheets;
  6. the inventory runs and its CSV matches the command line's byte for byte;
  7. two studies compare side by side;
  8. the study is kept in the store and listed;
  9. the language switch turns the page into English and back.
Screenshots of each step in both languages go to OUT (default
target/serve-check). Fails on any console error or page error.

Usage: scripts/check-serve.py [BINARY] [OUT]
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

from playwright.sync_api import sync_playwright

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/coreduce")
OUT = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "target/serve-check"))
SAMPLE = os.path.join(ROOT, "examples/sichuan-sample.xlsx")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def fail(message):
    print(f"check-serve: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def broken_copy(path):
    """The sample with three mistakes a person makes, at known cells."""
    import openpyxl

    wb = openpyxl.load_workbook(SAMPLE)
    act = wb["activity"]
    act["D9"] = "3,OOO"  # letters O for zeros
    fac = wb["facilities"]
    fac["C2"] = "alumnium"  # a misspelt sector
    act["A13"] = "TB-LS-99"  # a facility not in the facilities sheet
    wb.save(path)


def press(page, selector):
    """Activates a button from the keyboard (focus, Enter), as a keyboard
    user does. In this script a mouse click on the buttons below the report
    frame, after the two downloads, sometimes never reached the page (no
    request sent; the same clicks work in a shorter script): the keyboard
    keeps the check about the page, not about pointer delivery."""
    page.focus(selector)
    page.keyboard.press("Enter")


def start_server(store):
    proc = subprocess.Popen(
        [BINARY, "serve", "--bind", "127.0.0.1:0", "--store", store],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line = proc.stdout.readline().strip()
    if not line.startswith("coreduce serve: "):
        proc.kill()
        fail(f"the server did not start: {line!r} {proc.stderr.read()}")
    return proc, line.split(": ", 1)[1]


def main():
    if not CHROMIUM:
        fail("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    work = tempfile.mkdtemp(prefix="check-serve-")
    broken = os.path.join(work, "study.xlsx")
    broken_copy(broken)
    fixed = os.path.join(work, "fixed", "study.xlsx")
    os.makedirs(os.path.dirname(fixed))
    shutil.copy(SAMPLE, fixed)
    cli_csv = os.path.join(work, "cli", "inventory.csv")
    subprocess.run([BINARY, "inventory", SAMPLE, "--out", cli_csv], check=True, capture_output=True)
    server, url = start_server(os.path.join(work, "store"))
    errors = []
    shots = []
    calls = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            context = browser.new_context(locale="zh-CN", accept_downloads=True, bypass_csp=bool(os.environ.get("BYPASS")),
                                          viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("response", lambda r: calls.append(f"{r.request.method} {r.url} {r.status}"))
            page.on("request", lambda r: calls.append(f"sent {r.method} {r.url}"))

            def shot(name):
                path = os.path.join(OUT, name + ".png")
                page.screenshot(path=path, full_page=True)
                shots.append(path)

            def appears(selector, timeout, name, why):
                """Waits for `selector`; else a screenshot `failed-<name>` and
                the failure, with `why()` (built only then)."""
                try:
                    page.wait_for_selector(selector, timeout=timeout)
                except Exception:
                    shot("failed-" + name)
                    fail(why())

            # 1. the browser's language
            page.goto(url)
            page.wait_for_selector("#lang-switch")
            if "您的研究" not in page.inner_text("#start h2"):
                fail("the page did not open in the browser's language (Chinese)")
            shot("01-start-zh")

            # 2. the template
            with page.expect_download() as d:
                page.click("#template-zh")
            template = os.path.join(work, "template.xlsx")
            d.value.save_as(template)
            with zipfile.ZipFile(template) as z:
                if "xl/workbook.xml" not in z.namelist():
                    fail("the template is not a workbook")

            # 3. findings of a broken workbook, with their cells
            page.set_input_files("#file-input", broken)
            page.wait_for_selector("#study-state.findings", timeout=60_000)
            cells = page.locator("#finding-rows td.where").all_inner_texts()
            for want in ["activity!D9", "facilities!C2", "activity!A13"]:
                if not any(want in c for c in cells):
                    fail(f"finding at {want} not shown; shown: {cells}")
            shot("02-findings-zh")

            # 4. fixed and dropped again on the same page
            page.set_input_files("#file-input", fixed)
            page.wait_for_selector("#study-state.clean", timeout=60_000)
            if page.locator("#finding-rows tr").count() != 0:
                fail("a clean workbook still shows findings")
            shot("03-clean-zh")

            # 5. the roadmap, its report in the page, its workbook downloaded
            page.click("button.run[data-command=roadmap]")
            row = page.locator("#job-rows tr", has_text="路线图")
            row.locator(".badge.done").wait_for(timeout=300_000)
            page.wait_for_selector("#report:not([hidden])")
            frame = page.frame_locator("#report-frame")
            frame.locator("h1").first.wait_for(timeout=30_000)
            with page.expect_download() as d:
                row.locator("a", has_text="roadmap.xlsx").click()
            xlsx = os.path.join(work, "roadmap.xlsx")
            d.value.save_as(xlsx)
            with zipfile.ZipFile(xlsx) as z:
                book = z.read("xl/workbook.xml").decode()
            sheets = re.findall(r'<sheet name="([^"]+)"', book)
            if len(sheets) < 3:
                fail(f"roadmap.xlsx holds {sheets}, not the roadmap's sheets")
            shot("04-roadmap-zh")

            # 6. the inventory's CSV is the command line's
            page.click("button.run[data-command=inventory]")
            row = page.locator("#job-rows tr", has_text="排放清单")
            row.locator(".badge.done").wait_for(timeout=300_000)
            with page.expect_download() as d:
                row.locator("a", has_text="inventory.csv").click()
            web_csv = os.path.join(work, "web.csv")
            d.value.save_as(web_csv)
            if open(web_csv, "rb").read() != open(cli_csv, "rb").read():
                fail("the page's inventory.csv differs from the command line's")

            # 7. two studies side by side (the broken one fixed, again)
            page.set_input_files("#file-input", SAMPLE)
            # (the page's policy forbids evaluated strings, so poll from here)
            for _ in range(600):
                if page.inner_text("#study-name") == "sichuan-sample.xlsx" and \
                        "clean" in (page.get_attribute("#study-state", "class") or ""):
                    break
                page.wait_for_timeout(100)
            else:
                fail("the third upload did not become the current, clean study")
            press(page, "#compare-go")
            appears("#compare-table:not([hidden])", 120_000, "compare",
                    lambda: "no comparison: " + page.input_value("#compare-a") + " " + page.input_value("#compare-b") + " " + page.inner_text("#compare-status") + " / " + "; ".join(errors) + "\n" + "\n".join(calls[-8:]))
            if page.locator("#compare-rows tr").count() == 0:
                fail("the comparison shows no rows")
            shot("05-compare-zh")

            # 8. keep the study
            press(page, "#keep")
            appears("#kept:not([hidden])", 30_000, "keep",
                    lambda: "not kept: " + page.inner_text("#study") + " / " + "; ".join(errors))
            if page.locator("#kept-rows tr").count() < 1:
                fail("the kept study is not listed")

            # 9. the language switch
            page.click("#lang-switch")
            if "Your study" not in page.inner_text("#start h2"):
                fail("the switch did not turn the page into English")
            if page.locator("#study-state").inner_text() != "clean":
                fail("the study's state is not shown in English after the switch")
            page.evaluate("window.scrollTo(0, 0)")
            shot("06-all-en")
            page.set_input_files("#file-input", broken)
            page.wait_for_selector("#study-state.findings", timeout=60_000)
            shot("07-findings-en")
            if not any("not a number" in t or "number" in t
                       for t in page.locator("#finding-rows td").all_inner_texts()):
                fail("the findings are not in English after the switch")
            page.click("#lang-switch")
            if "您的研究" not in page.inner_text("#start h2"):
                fail("the switch did not turn the page back into Chinese")
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    if errors:
        fail("console errors: " + "; ".join(errors) + " " + "; ".join(c for c in calls if c.endswith(" 404")))
    print(f"check-serve: ok ({len(shots)} screenshots in {OUT})")


if __name__ == "__main__":
    main()
