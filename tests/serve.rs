//! `coreduce serve` over plain HTTP on the loopback address (the browser
//! tests are scripts/check-serve.py): the guards, the limits, the studies'
//! isolation and removal, and that a run on the page is the command line's
//! run. Each test starts its own server on a free port.

use crate::common::{coreduce_command, Book};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};

/// A server on a free port, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = coreduce_command()
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Server { child, port }
    }

    /// One request; the status and the body.
    fn ask(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, Vec<u8>) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        for (k, v) in headers {
            head += &format!("{k}: {v}\r\n");
        }
        head += "\r\n";
        s.write_all(head.as_bytes()).unwrap();
        let _ = s.write_all(body);
        let mut answer = Vec::new();
        let _ = s.read_to_end(&mut answer);
        let split = answer
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response");
        let status = std::str::from_utf8(&answer[9..12])
            .unwrap()
            .parse()
            .unwrap();
        let head = String::from_utf8_lossy(&answer[..split]).to_lowercase();
        let mut body = answer[split + 4..].to_vec();
        if head.contains("transfer-encoding: chunked") {
            body = unchunk(&body);
        }
        (status, body)
    }

    fn post(&self, path: &str, body: &[u8]) -> (u16, serde_json::Value) {
        let json = [("X-Coreduce", "1"), ("Content-Type", "application/json")];
        let headers = if body.starts_with(b"{") {
            &json[..]
        } else {
            &json[..1]
        };
        let (status, body) = self.ask("POST", path, headers, body);
        (
            status,
            serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
        )
    }

    fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let (status, body) = self.ask("GET", path, &[], b"");
        (
            status,
            serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Polls a run until it ends.
    fn wait(&self, study: &str, job: &str) -> serde_json::Value {
        for _ in 0..600 {
            let (_, v) = self.get_json(&format!("/api/studies/{study}/runs/{job}"));
            if v["phase"] == "done" || v["phase"] == "failed" {
                return v;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("run {job} did not end");
    }
}

impl Drop for Server {
    /// SIGTERM, as a user's Ctrl-C or a service manager stops it: the server
    /// then removes its studies' folder (a SIGKILL would leave it behind).
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        for _ in 0..50 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn unchunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = body.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(std::str::from_utf8(&body[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 4 + size..];
    }
}

const FACILITIES: &str = "facilities";
const FACILITY_COLUMNS: [&str; 5] = ["facility_id", "name", "sector", "technology", "city"];

/// One heat-pump tobacco barn: the facility of the workbooks built here.
fn barn() -> Vec<crate::common::Cell<'static>> {
    row!["TB-1", "Barn", "tobacco", "heat_pump_barn", "Liangshan"]
}

fn sample() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/sichuan-sample.xlsx"
    ))
    .unwrap()
}

#[test]
fn the_page_and_its_files_come_from_the_server_alone() {
    let server = Server::start(&[]);
    let (status, page) = server.ask("GET", "/", &[], b"");
    assert_eq!(status, 200);
    let page = String::from_utf8(page).unwrap();
    // nothing from another host: no CDN, no external fonts or scripts
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "{page}"
    );
    for asset in ["/app.js", "/app.css"] {
        let (status, body) = server.ask("GET", asset, &[], b"");
        assert_eq!(status, 200);
        let text = String::from_utf8(body).unwrap();
        assert!(
            !text.contains("http://") && !text.contains("https://"),
            "{asset}"
        );
    }
}

#[test]
fn an_upload_is_checked_and_its_inventory_is_the_command_line_s() {
    let server = Server::start(&[]);
    let (status, answer) = server.post("/api/studies?name=sample.xlsx", &sample());
    assert_eq!(status, 200, "{answer}");
    let study = answer["study"].as_str().unwrap().to_string();
    assert_eq!(
        answer["validation"]["result"]["status"], "clean",
        "{answer}"
    );
    assert_eq!(answer["validation"]["result"]["facility_years"], 4);
    let (status, job) = server.post(
        &format!("/api/studies/{study}/runs"),
        br#"{"command":"inventory","lang":"en"}"#,
    );
    assert_eq!(status, 200, "{job}");
    let done = server.wait(&study, job["id"].as_str().unwrap());
    assert_eq!(done["phase"], "done", "{done}");
    let files: Vec<&str> = done["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "inventory.csv",
            "inventory.json",
            "inventory.xlsx",
            "report.html"
        ]
    );
    let (status, csv) = server.ask(
        "GET",
        &format!(
            "/api/studies/{study}/runs/{}/files/inventory.csv",
            done["id"].as_str().unwrap()
        ),
        &[],
        b"",
    );
    assert_eq!(status, 200);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("inventory.csv");
    let cli = coreduce_command()
        .arg("inventory")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/sichuan-sample.xlsx"
        ))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(cli.status.success());
    assert_eq!(
        csv,
        std::fs::read(&out).unwrap(),
        "the page's CSV is the command line's"
    );
    // a name the run did not write, or a path, is not served
    for name in [
        "..%2Fin%2Fsample.xlsx",
        "inventory.xlsx.bak",
        "..",
        "%2Fetc%2Fpasswd",
    ] {
        let (status, _) = server.ask(
            "GET",
            &format!(
                "/api/studies/{study}/runs/{}/files/{name}",
                done["id"].as_str().unwrap()
            ),
            &[],
            b"",
        );
        assert_eq!(status, 404, "{name}");
    }
    // closing the study removes it: its files are gone with it
    let (status, _) = server.ask(
        "DELETE",
        &format!("/api/studies/{study}"),
        &[("X-Coreduce", "1")],
        b"",
    );
    assert_eq!(status, 204);
    let (status, _) = server.get_json(&format!("/api/studies/{study}"));
    assert_eq!(status, 404);
}

#[test]
fn findings_come_back_with_their_cells_in_both_languages() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.xlsx");
    Book::new()
        .settings()
        .sheet(FACILITIES, &FACILITY_COLUMNS, &[barn()])
        .sheet(
            "activity",
            &["facility_id", "year", "item", "value", "unit"],
            &[row!["TB-1", 2022, "output", "ten", "t"]],
        )
        .save(&path);
    let (status, answer) = server.post(
        "/api/studies?name=broken.xlsx",
        &std::fs::read(&path).unwrap(),
    );
    assert_eq!(status, 200, "{answer}");
    let result = &answer["validation"]["result"];
    assert_eq!(result["status"], "findings", "{answer}");
    let finding = &result["findings"][0];
    assert_eq!(finding["where"]["en"], "activity!D2", "{finding}");
    assert!(finding["message"]["zh"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
}

#[test]
fn uploads_past_the_limit_and_foreign_requests_are_refused() {
    let server = Server::start(&["--max-upload-mb", "1"]);
    // past the limit: the command line's message, nothing kept
    let big = vec![b'x'; 1_048_577];
    let (status, answer) = server.post("/api/studies?name=big.xlsx", &big);
    assert_eq!(status, 413);
    assert_eq!(
        answer["error"]["en"],
        "the file is 1048577 bytes; the limit is 1048576 bytes (1 MB)"
    );
    // a file that is not a workbook or a CSV
    let (status, _) = server.post("/api/studies?name=run.sh", b"echo hi");
    assert_eq!(status, 400);
    // a request that changes something without the page's header
    let (status, _) = server.ask("POST", "/api/builtin", &[], b"");
    assert_eq!(status, 403);
    // another host name (DNS rebinding) is refused on a loopback server
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.write_all(b"GET /api/info HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    // a made-up study id finds nothing
    let (status, _) = server.get_json("/api/studies/0123456789abcdef0123456789abcdef");
    assert_eq!(status, 404);
}

#[test]
fn a_token_guards_every_request_and_becomes_a_cookie() {
    let server = Server::start(&["--token", "s3cret-token"]);
    let (status, _) = server.get_json("/api/info");
    assert_eq!(status, 401);
    let (status, _) = server.ask(
        "GET",
        "/api/info",
        &[("Authorization", "Bearer wrong")],
        b"",
    );
    assert_eq!(status, 401);
    let (status, _) = server.ask(
        "GET",
        "/api/info",
        &[("Authorization", "Bearer s3cret-token")],
        b"",
    );
    assert_eq!(status, 200);
    let (status, _) = server.ask("GET", "/?token=s3cret-token", &[], b"");
    assert_eq!(status, 303);
    let (status, _) = server.ask(
        "GET",
        "/api/info",
        &[("Cookie", "coreduce_token=s3cret-token")],
        b"",
    );
    assert_eq!(status, 200);
}

#[test]
fn a_server_beyond_loopback_needs_a_token() {
    let out = coreduce_command()
        .args(["serve", "--bind", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--token"), "{err}");
}

/// A workbook whose `activity_file` points out of its folder reads nothing
/// there: the server's runs are confined to the study's own folder.
#[test]
fn an_uploaded_workbook_cannot_read_outside_its_folder() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("escape.xlsx");
    Book::new()
        .sheet(
            "settings",
            &["key", "value"],
            &[
                row!["gwp", "AR5"],
                row!["activity_file", "../../../../../../etc/hostname"],
            ],
        )
        .sheet(FACILITIES, &FACILITY_COLUMNS, &[barn()])
        .save(&path);
    let (_, answer) = server.post(
        "/api/studies?name=escape.xlsx",
        &std::fs::read(&path).unwrap(),
    );
    let result = &answer["validation"]["result"];
    assert_eq!(result["status"], "findings", "{answer}");
    let text = result["findings"].to_string();
    assert!(text.contains("outside the workbook's folder"), "{text}");
}

/// A Monte Carlo run says how far it is: the command line writes about 50
/// `progress: n/m` lines to stderr for the server (and no others there),
/// and the page's run ends with all runs counted.
#[test]
fn a_monte_carlo_run_reports_its_progress() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/sichuan-sample.xlsx");
    let out = coreduce_command()
        .args(["uncertainty", sample, "--runs", "500", "--seed", "3"])
        .env("COREDUCE_PROGRESS", "lines")
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("progress: "))
        .collect();
    assert_eq!(lines.len(), 50, "{err}");
    assert!(lines.contains(&"progress: 500/500"), "{err}");
    let server = Server::start(&[]);
    let (_, answer) = server.post("/api/studies?name=sample.xlsx", &self::sample());
    let study = answer["study"].as_str().unwrap().to_string();
    let (_, job) = server.post(
        &format!("/api/studies/{study}/runs"),
        br#"{"command":"uncertainty","runs":300,"seed":1,"lang":"zh"}"#,
    );
    let done = server.wait(&study, job["id"].as_str().unwrap());
    assert_eq!(done["phase"], "done", "{done}");
    assert_eq!(done["progress"], serde_json::json!([300, 300]));
    assert!(done["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "uncertainty.csv"));
}
