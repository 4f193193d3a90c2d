//! The routes: the page (embedded, nothing fetched from elsewhere), the
//! JSON API it calls, uploads streamed to disk under a size limit, and
//! downloads of the files a run wrote. Every request passes the guard
//! first: the token where one is set, the Host header on a loopback server
//! (no DNS rebinding), and a header of our own on every request that
//! changes something (another site's page cannot send it without asking).

use super::jobs::{self, Job, Step};
use super::studies::{is_id, safe_file_name, App, MAX_FILES};
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use coreduce::{tr, Lang, Text};
use http_body_util::BodyExt as _;
use serde::Deserialize;
use serde_json::json;
use std::ffi::OsString;
use std::sync::Arc;
use tokio::io::AsyncWriteExt as _;

const INDEX: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/app.css");
/// The header the page sends with every request that changes something.
const OUR_HEADER: &str = "x-coreduce";
const TOKEN_COOKIE: &str = "coreduce_token";
const PAGE_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'none'; base-uri 'none'";
/// report.html is inline CSS and SVG, no script: shown in a frame with nothing else allowed.
const REPORT_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox";

type AppState = State<Arc<App>>;

pub(super) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/app.js", get(script))
        .route("/app.css", get(style))
        .route("/api/info", get(info))
        .route("/api/template", get(template))
        .route("/api/studies", post(upload_study))
        .route("/api/builtin", post(builtin))
        .route(
            "/api/studies/{id}",
            get(study_view).delete(close_study).post(close_study),
        )
        .route("/api/studies/{id}/files", post(upload_file))
        .route("/api/studies/{id}/runs", post(start_run))
        .route("/api/studies/{id}/runs/{job}", get(run_view))
        .route("/api/studies/{id}/runs/{job}/files/{name}", get(download))
        .route("/api/studies/{id}/keep", post(keep))
        .route("/api/compare", post(compare))
        .route("/api/kept", get(kept_list))
        .route("/api/kept/{n}", axum::routing::delete(kept_delete))
        .route("/api/kept/{n}/open", post(kept_open))
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// An error for the page: its status and the message in both languages.
struct ApiError(StatusCode, Text);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let ApiError(status, text) = self;
        let zh = text.zh.clone().unwrap_or_else(|| text.en.clone());
        (status, Json(json!({"error": {"en": text.en, "zh": zh}}))).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

fn not_found() -> ApiError {
    ApiError(
        StatusCode::NOT_FOUND,
        tr!(
            "this study is no longer open on the server (closed, idle too long, or the server restarted): upload the workbook again",
            "该研究已不在服务器上（已关闭、闲置过久或服务器已重启）：请重新上传工作簿"
        ),
    )
}

fn bad(text: Text) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, text)
}

async fn guard(State(app): AppState, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let loopback = app.opts.bind.ip().is_loopback();
    if loopback && !host_is_loopback(headers, app.opts.bind.port()) {
        return ApiError(
            StatusCode::FORBIDDEN,
            tr!(
                "this server answers only to its own address (127.0.0.1 or localhost)",
                "本服务只响应其本机地址（127.0.0.1 或 localhost）"
            ),
        )
        .into_response();
    }
    if let Some(token) = &app.opts.token {
        let query_token = req.uri().query().and_then(|q| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("token="))
                .map(|t| t.to_string())
        });
        if req.uri().path() == "/" {
            if let Some(given) = query_token {
                if same(&given, token) {
                    // Into a cookie the page's script cannot read, then a
                    // clean address (the token leaves the address bar).
                    let cookie =
                        format!("{TOKEN_COOKIE}={given}; HttpOnly; SameSite=Strict; Path=/");
                    return Response::builder()
                        .status(StatusCode::SEE_OTHER)
                        .header(header::LOCATION, "/")
                        .header(header::SET_COOKIE, cookie)
                        .body(Body::empty())
                        .unwrap_or_default();
                }
            }
        }
        if !has_token(headers, token) {
            return ApiError(
                StatusCode::UNAUTHORIZED,
                tr!(
                    "this server needs its token: open the address you were given, with ?token=… at its end",
                    "本服务需要令牌：请打开管理员提供的、末尾带 ?token=… 的地址"
                ),
            )
            .into_response();
        }
    }
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD);
    if changes && !headers.contains_key(OUR_HEADER) {
        return ApiError(
            StatusCode::FORBIDDEN,
            tr!(
                "requests that change something must come from coreduce's own page",
                "修改类请求只能来自 coreduce 自己的页面"
            ),
        )
        .into_response();
    }
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(PAGE_POLICY));
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

fn host_is_loopback(headers: &HeaderMap, port: u16) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host == *name || host == format!("{name}:{port}"))
}

fn has_token(headers: &HeaderMap, token: &str) -> bool {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer.is_some_and(|b| same(b.trim(), token)) {
        return true;
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().strip_prefix(&format!("{TOKEN_COOKIE}=")))
        .any(|t| same(t, token))
}

/// Equal strings, compared in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

async fn page() -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], INDEX).into_response()
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

async fn info(State(app): AppState) -> Json<serde_json::Value> {
    Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "keep": app.store.is_some(),
        "max_upload_bytes": app.opts.max_upload_bytes,
        "max_run_seconds": app.opts.max_run.as_secs(),
        "jobs": app.opts.jobs,
    }))
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

fn lang_of(given: Option<&str>) -> Lang {
    Lang::of_setting(given.unwrap_or("en"))
}

/// A blank template from the CLI's `template`, in a throwaway folder.
async fn template(State(app): AppState, Query(q): Query<LangQuery>) -> ApiResult<Response> {
    let lang = lang_of(q.lang.as_deref());
    let name = if lang == Lang::Zh {
        "coreduce-模板.xlsx"
    } else {
        "coreduce-template.xlsx"
    };
    let dir = tempfile::Builder::new()
        .prefix("template-")
        .tempdir_in(app.root())
        .map_err(|e| server_error(&e.to_string()))?;
    let job = Arc::new(Job::new("t".into(), "template", dir.path().into(), 1));
    let step = Step {
        args: vec!["template".into(), "--out".into(), name.into()],
        cwd: dir.path().into(),
        results: &[],
    };
    jobs::run(app.clone(), job.clone(), vec![step], lang).await;
    let view = job.view();
    if let Some(e) = view.error {
        return Err(server_error(&e));
    }
    let bytes = tokio::fs::read(dir.path().join(name))
        .await
        .map_err(|e| server_error(&e.to_string()))?;
    Ok(attachment(name, bytes, XLSX))
}

fn server_error(reason: &str) -> ApiError {
    ApiError(
        StatusCode::INTERNAL_SERVER_ERROR,
        tr!("the server failed: {reason}", "服务器出错：{reason}"),
    )
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn attachment(name: &str, bytes: Vec<u8>, mime: &str) -> Response {
    // RFC 6266/5987: the UTF-8 name for browsers, an ASCII one for the rest.
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    Response::builder()
        .header(header::CONTENT_TYPE, mime)
        .header(header::CONTENT_DISPOSITION, disposition)
        .body(Body::from(bytes))
        .unwrap_or_default()
}

#[derive(Deserialize)]
struct UploadQuery {
    name: String,
    lang: Option<String>,
}

/// A new study from one uploaded workbook, validated.
async fn upload_study(
    State(app): AppState,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<serde_json::Value>> {
    let name = safe_file_name(&q.name).map_err(bad)?;
    let id = app
        .open_study(false)
        .map_err(|t| ApiError(StatusCode::SERVICE_UNAVAILABLE, t))?;
    match receive(&app, &id, &name, &headers, body).await {
        Ok(()) => validated(app, id, lang_of(q.lang.as_deref())).await,
        Err(e) => {
            app.close_study(&id);
            Err(e)
        }
    }
}

/// Another file for an open study (the activity CSV its workbook names, or
/// a corrected workbook), then the study validated again.
async fn upload_file(
    State(app): AppState,
    Path(id): Path<String>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<serde_json::Value>> {
    let name = safe_file_name(&q.name).map_err(bad)?;
    let count = app
        .with_study(&id, |s| s.files.len())
        .ok_or_else(not_found)?;
    if count >= MAX_FILES {
        return Err(bad(tr!(
            "a study holds at most {MAX_FILES} files: start a new study",
            "一个研究最多包含 {MAX_FILES} 个文件：请新建研究"
        )));
    }
    receive(&app, &id, &name, &headers, body).await?;
    validated(app, id, lang_of(q.lang.as_deref())).await
}

/// Streams an upload into the study's `in/` folder, stopping at the limit.
async fn receive(
    app: &App,
    id: &str,
    name: &str,
    headers: &HeaderMap,
    body: Body,
) -> ApiResult<()> {
    let limit = app.opts.max_upload_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = |size: u64| {
        ApiError(
            StatusCode::PAYLOAD_TOO_LARGE,
            coreduce::workbook::too_large(size, limit),
        )
    };
    if let Some(size) = declared.filter(|&s| s > limit) {
        return Err(too_large(size));
    }
    let path = app.folder(id).join("in").join(name);
    let mut file = tokio::fs::File::create(&path)
        .await
        .map_err(|e| server_error(&e.to_string()))?;
    let mut body = body;
    let mut seen: u64 = 0;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            let reason = e.to_string();
            bad(tr!(
                "the upload broke off ({reason}): upload the file again",
                "上传中断（{reason}）：请重新上传"
            ))
        })?;
        if let Ok(data) = frame.into_data() {
            seen += data.len() as u64;
            if seen > limit {
                drop(file);
                let _ = tokio::fs::remove_file(&path).await;
                return Err(too_large(declared.unwrap_or(seen)));
            }
            file.write_all(&data)
                .await
                .map_err(|e| server_error(&e.to_string()))?;
        }
    }
    file.flush()
        .await
        .map_err(|e| server_error(&e.to_string()))?;
    app.with_study(id, |s| {
        s.files.retain(|f| f != name);
        s.files.push(name.to_string());
    })
    .ok_or_else(not_found)?;
    Ok(())
}

/// Runs `validate --json` on the study and answers with the study and its findings.
async fn validated(app: Arc<App>, id: String, lang: Lang) -> ApiResult<Json<serde_json::Value>> {
    let (workbook, files) = app
        .with_study(&id, |s| {
            (s.workbook().map(|w| w.to_string()), s.files.clone())
        })
        .ok_or_else(not_found)?;
    let Some(workbook) = workbook else {
        return Ok(Json(json!({
            "study": id, "files": files, "validation": null,
            "note": Text::new(
                "a CSV alone is not a study: upload the workbook whose activity_file names it",
                "仅有 CSV 不构成研究：请上传在 activity_file 中指定它的工作簿",
            ),
        })));
    };
    let job = new_job(&app, &id, "validate", 1)?;
    let step = Step {
        args: vec!["validate".into(), workbook.into(), "--json".into()],
        cwd: app.folder(&id).join("in"),
        results: &[1, 2],
    };
    jobs::run(app.clone(), job.clone(), vec![step], lang).await;
    Ok(Json(
        json!({"study": id, "files": files, "validation": job.view()}),
    ))
}

/// A job of `study`, registered so the page can poll it and closing the study cancels it.
fn new_job(app: &App, study: &str, command: &str, steps: usize) -> ApiResult<Arc<Job>> {
    let folder = app.folder(study).join("out");
    app.with_study(study, |s| {
        let id = format!("{}{}", &command[..1], s.jobs.len() + 1);
        let out = folder.join(&id);
        let _ = std::fs::create_dir_all(&out);
        let job = Arc::new(Job::new(id, command, out, steps));
        s.jobs.push(job.clone());
        job
    })
    .ok_or_else(not_found)
}

async fn builtin(State(app): AppState) -> ApiResult<Json<serde_json::Value>> {
    let id = app
        .open_study(true)
        .map_err(|t| ApiError(StatusCode::SERVICE_UNAVAILABLE, t))?;
    Ok(Json(json!({"study": id, "builtin": true})))
}

fn checked(id: &str) -> ApiResult<()> {
    if is_id(id) {
        Ok(())
    } else {
        Err(not_found())
    }
}

async fn study_view(
    State(app): AppState,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    checked(&id)?;
    app.with_study(&id, |s| {
        Json(json!({
            "study": id,
            "files": s.files,
            "builtin": s.builtin,
            "runs": s.jobs.iter().map(|j| j.view()).collect::<Vec<_>>(),
        }))
    })
    .ok_or_else(not_found)
}

async fn close_study(State(app): AppState, Path(id): Path<String>) -> StatusCode {
    if is_id(&id) && app.close_study(&id) {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

#[derive(Deserialize)]
struct RunRequest {
    command: String,
    runs: Option<u64>,
    seed: Option<u64>,
    lang: Option<String>,
}

/// Starts a command on the study; the page polls the run.
async fn start_run(
    State(app): AppState,
    Path(id): Path<String>,
    Json(r): Json<RunRequest>,
) -> ApiResult<Json<jobs::JobView>> {
    checked(&id)?;
    let lang = lang_of(r.lang.as_deref());
    let (workbook, builtin) = app
        .with_study(&id, |s| (s.workbook().map(|w| w.to_string()), s.builtin))
        .ok_or_else(not_found)?;
    let runs = r.runs.map(|n| n.clamp(1, 100_000).to_string());
    let seed = r.seed.unwrap_or(42).to_string();
    let input = app.folder(&id).join("in");
    let needs_workbook = || {
        bad(tr!(
            "this command needs a workbook: upload one (the built-in study runs the roadmap only)",
            "此命令需要工作簿：请上传（内置研究只能运行路线图）"
        ))
    };
    let command = r.command.as_str();
    let outputs: Vec<Vec<OsString>> = match (command, &workbook) {
        ("roadmap", _) => {
            let mut args: Vec<OsString> = vec!["roadmap".into()];
            if let Some(w) = &workbook {
                args.push(w.into());
            } else if !builtin {
                return Err(needs_workbook());
            }
            args.extend(["--out".into(), OsString::from("OUT")]);
            if let Some(n) = &runs {
                args.extend([
                    "--runs".into(),
                    n.into(),
                    "--seed".into(),
                    seed.clone().into(),
                ]);
            }
            vec![args]
        }
        ("inventory" | "measures", Some(w)) => ["xlsx", "csv", "json"]
            .iter()
            .map(|ext| {
                vec![
                    command.into(),
                    w.into(),
                    "--out".into(),
                    OsString::from(format!("OUT/{command}.{ext}")),
                ]
            })
            .collect(),
        ("uncertainty", Some(w)) => ["csv", "json"]
            .iter()
            .map(|ext| {
                vec![
                    "uncertainty".into(),
                    w.into(),
                    "--runs".into(),
                    runs.clone().unwrap_or_else(|| "1000".into()).into(),
                    "--seed".into(),
                    seed.clone().into(),
                    "--out".into(),
                    OsString::from(format!("OUT/uncertainty.{ext}")),
                ]
            })
            .collect(),
        ("inventory" | "measures" | "uncertainty", None) => return Err(needs_workbook()),
        (other, _) => {
            let other = other.to_string();
            return Err(bad(tr!(
                "unknown command '{other}': inventory, measures, roadmap or uncertainty",
                "未知命令“{other}”：可用 inventory、measures、roadmap 或 uncertainty"
            )));
        }
    };
    let job = new_job(&app, &id, command, outputs.len())?;
    // The output folder, relative to the inputs (the child runs in `in/`).
    let out = format!("../out/{}", job.id);
    let steps = outputs
        .into_iter()
        .map(|args| Step {
            args: args
                .into_iter()
                .map(|a| match a.to_str() {
                    Some("OUT") => OsString::from(&out),
                    Some(s) if s.starts_with("OUT/") => {
                        OsString::from(format!("{out}/{}", &s[4..]))
                    }
                    _ => a,
                })
                .collect(),
            cwd: input.clone(),
            results: &[],
        })
        .collect();
    let view = job.view();
    tokio::spawn(jobs::run(app.clone(), job, steps, lang));
    Ok(Json(view))
}

async fn run_view(
    State(app): AppState,
    Path((id, job)): Path<(String, String)>,
) -> ApiResult<Json<jobs::JobView>> {
    checked(&id)?;
    app.with_study(&id, |s| {
        s.jobs.iter().find(|j| j.id == job).map(|j| j.view())
    })
    .flatten()
    .map(Json)
    .ok_or_else(not_found)
}

#[derive(Deserialize)]
struct DownloadQuery {
    inline: Option<u8>,
}

/// A file a run wrote: only names the run listed, never a path.
async fn download(
    State(app): AppState,
    Path((id, job, name)): Path<(String, String, String)>,
    Query(q): Query<DownloadQuery>,
) -> ApiResult<Response> {
    checked(&id)?;
    let job = app
        .with_study(&id, |s| s.jobs.iter().find(|j| j.id == job).cloned())
        .flatten()
        .ok_or_else(not_found)?;
    if !job.has_file(&name) {
        return Err(not_found());
    }
    let bytes = tokio::fs::read(job.out.join(&name))
        .await
        .map_err(|e| server_error(&e.to_string()))?;
    let lower = name.to_lowercase();
    let mime = match lower.rsplit('.').next().unwrap_or("") {
        "xlsx" => XLSX,
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        "html" => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    };
    if q.inline == Some(1) && lower.ends_with(".html") {
        return Ok(Response::builder()
            .header(header::CONTENT_TYPE, mime)
            .header(header::CONTENT_SECURITY_POLICY, REPORT_POLICY)
            .body(Body::from(bytes))
            .unwrap_or_default());
    }
    Ok(attachment(&name, bytes, mime))
}

#[derive(Deserialize)]
struct CompareRequest {
    a: String,
    b: String,
    lang: Option<String>,
}

/// Two open studies side by side (the CLI's `compare`), as a run of the first.
async fn compare(
    State(app): AppState,
    Json(r): Json<CompareRequest>,
) -> ApiResult<Json<jobs::JobView>> {
    checked(&r.a)?;
    checked(&r.b)?;
    let lang = lang_of(r.lang.as_deref());
    let workbook_of = |id: &str| {
        app.with_study(id, |s| s.workbook().map(|w| w.to_string()))
            .ok_or_else(not_found)?
            .ok_or_else(|| {
                bad(tr!(
                    "both studies need a workbook to compare",
                    "两个研究都需要工作簿才能比较"
                ))
            })
    };
    let (wa, wb) = (workbook_of(&r.a)?, workbook_of(&r.b)?);
    let job = new_job(&app, &r.a, "compare", 1)?;
    // Run in the server's folder so both studies' paths are relative.
    let rel = |id: &str, w: &str| OsString::from(format!("{id}/in/{w}"));
    let out = format!("{}/out/{}/compare.json", r.a, job.id);
    let step = Step {
        args: vec![
            "compare".into(),
            rel(&r.a, &wa),
            rel(&r.b, &wb),
            "--out".into(),
            out.into(),
        ],
        cwd: app.root().to_path_buf(),
        results: &[],
    };
    jobs::result_from(&job, "compare.json");
    let view = job.view();
    tokio::spawn(jobs::run(app.clone(), job, vec![step], lang));
    Ok(Json(view))
}

#[derive(Deserialize)]
struct KeepRequest {
    name: Option<String>,
}

fn store(app: &App) -> ApiResult<&super::store::Store> {
    app.store.as_ref().ok_or_else(|| {
        bad(tr!(
            "this server keeps no studies: start it with --store FOLDER to keep studies there",
            "本服务不保存研究：请用 --store 文件夹 启动服务，研究将保存在该文件夹中"
        ))
    })
}

/// Keeps a study's files in the SQLite store, at the user's request.
async fn keep(
    State(app): AppState,
    Path(id): Path<String>,
    Json(r): Json<KeepRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    checked(&id)?;
    let files = app
        .with_study(&id, |s| s.files.clone())
        .ok_or_else(not_found)?;
    let name = r
        .name
        .filter(|n| !n.trim().is_empty())
        .or_else(|| files.first().cloned())
        .unwrap_or_else(|| "study".into());
    let folder = app.folder(&id).join("in");
    let app2 = app.clone();
    let kept =
        tokio::task::spawn_blocking(move || store(&app2).map(|s| s.keep(&name, &folder, &files)))
            .await
            .map_err(|e| server_error(&e.to_string()))??
            .map_err(|e| server_error(&e.to_string()))?;
    Ok(Json(json!({"kept": kept})))
}

async fn kept_list(State(app): AppState) -> ApiResult<Json<serde_json::Value>> {
    let list = store(&app)?
        .list()
        .map_err(|e| server_error(&e.to_string()))?;
    Ok(Json(json!({"kept": list})))
}

async fn kept_delete(State(app): AppState, Path(n): Path<i64>) -> ApiResult<StatusCode> {
    match store(&app)?.delete(n) {
        Ok(true) => Ok(StatusCode::NO_CONTENT),
        Ok(false) => Err(not_found()),
        Err(e) => Err(server_error(&e.to_string())),
    }
}

/// A kept study opened again: its files in a new study, validated.
async fn kept_open(
    State(app): AppState,
    Path(n): Path<i64>,
    Query(q): Query<LangQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    store(&app)?;
    let id = app
        .open_study(false)
        .map_err(|t| ApiError(StatusCode::SERVICE_UNAVAILABLE, t))?;
    let folder = app.folder(&id).join("in");
    let restored = store(&app)?.restore(n, &folder);
    let names = match restored {
        Ok(Some(names)) => names,
        Ok(None) => {
            app.close_study(&id);
            return Err(not_found());
        }
        Err(e) => {
            app.close_study(&id);
            return Err(server_error(&e.to_string()));
        }
    };
    app.with_study(&id, |s| s.files = names);
    validated(app, id, lang_of(q.lang.as_deref())).await
}
