#!/usr/bin/env python3
"""A load test of `coreduce serve` on the loopback address, bounded in time
and count.

N concurrent users (default 20) each upload the same workbook, wait for its
validation, run the inventory (xlsx, CSV and JSON) and download the CSV,
which must equal the command line's CSV of the same workbook byte for byte.
Among them, a zip bomb (an xlsx whose sheet inflates past the 1 GiB limit)
and a file past the upload limit (201 MiB) must be refused with the CLI's
messages, without disturbing the others. The server's memory (its own
resident set, and with its child runs) is sampled every 0.2 s.

Usage: scripts/load-serve.py BINARY WORKBOOK [N] [TIME_LIMIT_S]
Prints one line of figures; exits 1 on any wrong or missing result.
"""
import concurrent.futures
import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zipfile
import zlib

BINARY, WORKBOOK = sys.argv[1], sys.argv[2]
N = int(sys.argv[3]) if len(sys.argv) > 3 else 20
TIME_LIMIT = float(sys.argv[4]) if len(sys.argv) > 4 else 900


def fail(message):
    print(f"load-serve: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid):
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(name))
            except (OSError, ValueError, IndexError):
                pass
    return out


class Sampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.stop, self.server_peak, self.total_peak = pid, False, 0, 0

    def run(self):
        while not self.stop:
            own = rss_kb(self.pid)
            total = own + sum(rss_kb(c) for c in children(self.pid))
            self.server_peak = max(self.server_peak, own)
            self.total_peak = max(self.total_peak, total)
            time.sleep(0.2)


def request(host, port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(host, port, timeout=TIME_LIMIT)
    h = {"X-Coreduce": "1", **(headers or {})}
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
        h["Content-Type"] = "application/json"
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, data


def upload_raw(host, port, name, size_declared, chunks):
    """Sends an upload by hand, so a refusal mid-body is read, not lost."""
    s = socket.create_connection((host, port), timeout=120)
    path = "/api/studies?name=" + urllib.parse.quote(name)
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nX-Coreduce: 1\r\n"
            f"Content-Length: {size_declared}\r\nConnection: close\r\n\r\n")
    s.sendall(head.encode())
    try:
        for c in chunks:
            s.sendall(c)
    except (BrokenPipeError, ConnectionResetError):
        pass
    data = b""
    try:
        while True:
            part = s.recv(65536)
            if not part:
                break
            data += part
    except (ConnectionResetError, socket.timeout):
        pass
    s.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0
    body = data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""
    return status, body


def zip_bomb(path):
    """A well-formed xlsx whose one sheet inflates to 1.1 GiB of spaces."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            block = b" " * (1 << 20)
            for _ in range(1100):
                f.write(block)


def main():
    host = "127.0.0.1"
    work = tempfile.mkdtemp(prefix="load-serve-")
    cli_csv = os.path.join(work, "cli.csv")
    subprocess.run([BINARY, "inventory", WORKBOOK, "--out", cli_csv], check=True, capture_output=True)
    want = hashlib.sha256(open(cli_csv, "rb").read()).hexdigest()
    cli_check = json.loads(subprocess.run([BINARY, "validate", WORKBOOK, "--json"],
                                          capture_output=True, text=True).stdout)
    bomb = os.path.join(work, "bomb.xlsx")
    zip_bomb(bomb)
    book = open(WORKBOOK, "rb").read()

    server = subprocess.Popen([BINARY, "serve", "--bind", f"{host}:0", "--jobs", "2"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = server.stdout.readline().strip().split(": ", 1)[1]
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    sampler = Sampler(server.pid)
    sampler.start()
    start = time.time()

    def user(i):
        t0 = time.time()
        status, data = request(host, port, "POST", "/api/studies?name=" + urllib.parse.quote(f"study-{i}.xlsx"), book)
        if status != 200:
            return f"user {i}: upload answered {status} {data[:200]!r}"
        answer = json.loads(data)
        v = answer["validation"]["result"] or {}
        if v.get("status") != cli_check["status"] or v.get("facility_years") != cli_check["facility_years"]:
            return f"user {i}: validation {v.get('status')} {v.get('facility_years')} != CLI {cli_check['status']} {cli_check['facility_years']}"
        sid = answer["study"]
        status, data = request(host, port, "POST", f"/api/studies/{sid}/runs", {"command": "inventory", "lang": "en"})
        job = json.loads(data)["id"]
        while True:
            status, data = request(host, port, "GET", f"/api/studies/{sid}/runs/{job}")
            view = json.loads(data)
            if view["phase"] in ("done", "failed"):
                break
            if time.time() - start > TIME_LIMIT:
                return f"user {i}: not done within {TIME_LIMIT} s"
            time.sleep(1)
        if view["phase"] != "done":
            return f"user {i}: run failed: {view['error']}"
        status, data = request(host, port, "GET", f"/api/studies/{sid}/runs/{job}/files/inventory.csv")
        if hashlib.sha256(data).hexdigest() != want:
            return f"user {i}: inventory.csv differs from the command line's"
        request(host, port, "DELETE", f"/api/studies/{sid}")
        return ("ok", time.time() - t0)

    def bomb_user():
        status, data = request(host, port, "POST", "/api/studies?name=bomb.xlsx", open(bomb, "rb").read())
        r = json.loads(data)
        v = (r.get("validation") or {}).get("result") or {}
        text = json.dumps(v, ensure_ascii=False)
        if v.get("status") != "unreadable" or "decompresses to more than" not in text:
            return f"zip bomb not refused as the CLI refuses it: {text[:300]}"
        request(host, port, "DELETE", f"/api/studies/{r['study']}")
        return ("bomb refused", 0)

    def big_user():
        size = 201 * 1024 * 1024
        block = os.urandom(1 << 20)
        status, body = upload_raw(host, port, "big.xlsx", size, (block for _ in range(201)))
        if status != 413 or b"the limit is 209715200 bytes" not in body:
            return f"201 MiB upload: answered {status} {body[:200]!r}"
        return ("big refused", 0)

    with concurrent.futures.ThreadPoolExecutor(max_workers=N + 2) as pool:
        futures = [pool.submit(user, i) for i in range(N)]
        futures.insert(N // 2, pool.submit(bomb_user))
        futures.insert(N // 3, pool.submit(big_user))
        results = [f.result() for f in futures]
    elapsed = time.time() - start
    sampler.stop = True
    sampler.join()
    server.terminate()
    server.wait(timeout=10)
    problems = [r for r in results if isinstance(r, str)]
    if problems:
        fail("; ".join(problems))
    times = sorted(r[1] for r in results if r[0] == "ok")
    if len(times) != N:
        fail(f"{len(times)} of {N} users completed")
    if elapsed > TIME_LIMIT:
        fail(f"took {elapsed:.0f} s, over the {TIME_LIMIT:.0f} s bound")
    print(f"load-serve: ok: {N} users with {os.path.basename(WORKBOOK)} ({cli_check['facility_years']} facility-years) "
          f"+ a zip bomb + a 201 MiB file, all answered in {elapsed:.1f} s; per user (upload, check, inventory "
          f"xlsx+CSV+JSON, download) median {times[len(times)//2]:.1f} s, slowest {times[-1]:.1f} s; "
          f"server's own peak RSS {sampler.server_peak/1024:.0f} MB, with its runs {sampler.total_peak/1024:.0f} MB")


if __name__ == "__main__":
    main()
