// coreduce serve: the page. Plain script, no framework, nothing fetched from
// elsewhere. Every number shown comes from the server's runs of coreduce.
'use strict';

const TEXT = {
  en: {
    tagline: 'Carbon and pollution co-reduction accounting for baijiu, aluminium, tobacco and ceramics',
    switch: '中文',
    start: '1. Your study',
    start_help: 'Download a blank template, fill it in, and drop it below. Nothing you upload is kept after you close this page unless you ask to keep it.',
    template_zh: 'Template (Chinese)',
    template_en: 'Template (English)',
    builtin: 'Built-in Sichuan study (no data needed)',
    drop: 'Drop your workbook here (with the activity CSV its activity_file names, if any), or choose the files',
    uploading: 'Uploading and checking {0}…',
    kept: 'Kept studies',
    open: 'Open',
    delete: 'Delete',
    study: 'Study:',
    builtin_name: 'built-in Sichuan study',
    builtin_summary: 'The built-in study: 16 representative units of the four sectors, with scenarios to 2060. Run the roadmap to see it.',
    findings: 'Findings',
    findings_help: 'Correct these cells in your workbook and drop it again: this page stays as it is.',
    where: 'Where', problem: 'Problem', hint: 'What to do',
    warnings: 'Warnings', warning: 'Warning', count: 'Facility-years', first: 'First of them',
    keep: 'Keep this study on the server',
    kept_ok: 'Kept (number {0}).',
    clean: 'clean', findings_state: 'findings', unreadable: 'unreadable',
    summary: '{0} facility-years, {1} warnings.',
    run: '2. Run',
    inventory: 'Inventory', measures: 'Measures', roadmap: 'Roadmap', uncertainty: 'Uncertainty', compare_cmd: 'Compare', validate: 'Check',
    runs: 'Monte Carlo runs', seed: 'Seed',
    runs_help: 'Uncertainty uses the runs and seed; the roadmap uses them too when "with Monte Carlo" is ticked. The same seed gives the same numbers.',
    with_mc: 'with Monte Carlo',
    command: 'Run', state: 'State', time: 'Time', files: 'Files (download)',
    queued: 'waiting for a free slot', running: 'running', done: 'done', failed: 'failed',
    step: 'step {0} of {1}',
    progress: '({0} of {1} runs)',
    show_report: 'show report',
    report: '3. Report',
    compare: '4. Compare two studies',
    compare_help: 'Upload two workbooks (last year and this year, or your measured data and Tier 1 defaults): each one’s base year, side by side by facility, source and substance.',
    compare_go: 'Compare',
    compare_need: 'Upload a second workbook to compare.',
    facility: 'Facility', substance: 'Substance', source: 'Source', change: 'Change (t)', change_pct: 'Change %',
    by_source: 'By process and source',
    footer: 'coreduce serve runs on this machine; the page loads nothing from the internet.',
    error: 'Error: {0}',
  },
  zh: {
    tagline: '白酒、电解铝、烤烟、陶瓷行业减污降碳协同核算',
    switch: 'English',
    start: '1. 您的研究',
    start_help: '下载空白模板，填写后拖放到下方。关闭本页面后，上传的内容不会保留，除非您选择保存。',
    template_zh: '模板（中文）',
    template_en: '模板（英文）',
    builtin: '内置四川研究（无需数据）',
    drop: '将工作簿拖放到此处（若其 activity_file 指定了活动数据 CSV，一并拖入），或选择文件',
    uploading: '正在上传并检查 {0}…',
    kept: '已保存的研究',
    open: '打开',
    delete: '删除',
    study: '研究：',
    builtin_name: '内置四川研究',
    builtin_summary: '内置研究：四个行业的 16 个代表性单元，含至 2060 年的情景。运行路线图即可查看。',
    findings: '检查发现的问题',
    findings_help: '请在工作簿中更正这些单元格后重新拖入：本页面保持不变。',
    where: '位置', problem: '问题', hint: '处理建议',
    warnings: '警告', warning: '警告', count: '设施年份数', first: '前几个',
    keep: '在服务器上保存此研究',
    kept_ok: '已保存（编号 {0}）。',
    clean: '无错误', findings_state: '有问题', unreadable: '无法读取',
    summary: '{0} 个设施年份，{1} 条警告。',
    run: '2. 运行',
    inventory: '排放清单', measures: '减排措施', roadmap: '路线图', uncertainty: '不确定性', compare_cmd: '比较', validate: '检查',
    runs: '蒙特卡洛次数', seed: '随机种子',
    runs_help: '不确定性分析使用次数与种子；勾选“含蒙特卡洛”时路线图也使用。相同种子给出相同结果。',
    with_mc: '含蒙特卡洛',
    command: '运行', state: '状态', time: '用时', files: '文件（下载）',
    queued: '排队等候', running: '运行中', done: '完成', failed: '失败',
    step: '第 {0} / {1} 步',
    progress: '（已完成 {0} / {1} 次）',
    show_report: '查看报告',
    report: '3. 报告',
    compare: '4. 比较两个研究',
    compare_help: '上传两个工作簿（去年与今年，或实测数据与 Tier 1 缺省值）：按设施、排放源与物质并排比较各自的基准年。',
    compare_go: '比较',
    compare_need: '请再上传一个工作簿以进行比较。',
    facility: '设施', substance: '物质', source: '排放源', change: '变化（吨）', change_pct: '变化 %',
    by_source: '按工序与排放源',
    footer: 'coreduce serve 在本机运行；页面不从互联网加载任何内容。',
    error: '错误：{0}',
  },
};

let lang = localStorage.getItem('coreduce.lang') ||
  ((navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en');
const page = { info: null, current: null, studies: [], compareJob: null };
const $ = (id) => document.getElementById(id);

function t(key, ...args) {
  let s = (TEXT[lang] && TEXT[lang][key]) || TEXT.en[key] || key;
  args.forEach((a, i) => { s = s.replace('{' + i + '}', a); });
  return s;
}
// A text the server gave in both languages.
function both(x) {
  if (x === null || x === undefined) return '';
  if (typeof x === 'string') return x;
  return x[lang] || x.en || '';
}
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

async function api(method, url, body, raw) {
  const opts = { method, headers: { 'X-Coreduce': '1' } };
  if (raw) {
    opts.body = raw;
  } else if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(url, opts);
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
  if (!r.ok) {
    const message = data && data.error ? both(data.error) : (text || r.statusText);
    throw new Error(message);
  }
  return data;
}

function applyLang() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-t]').forEach((e) => { e.textContent = t(e.dataset.t); });
  $('lang-switch').textContent = t('switch');
  $('mc-label').textContent = t('with_mc');
  renderStudy();
  renderJobs();
  renderCompare();
  renderKept();
}

function setStatus(id, text, isError) {
  const e = $(id);
  e.textContent = text;
  e.classList.toggle('error', !!isError);
}

// ---- uploads ---------------------------------------------------------

const TABLE_EXT = /\.(csv|tsv|txt)$/i;

async function uploadFiles(files) {
  const list = Array.from(files);
  const books = list.filter((f) => !TABLE_EXT.test(f.name));
  const tables = list.filter((f) => TABLE_EXT.test(f.name));
  try {
    let study = page.current && !page.current.builtin ? page.current : null;
    if (books.length > 0) {
      setStatus('upload-status', t('uploading', books[0].name));
      const answer = await api('POST', '/api/studies?name=' + encodeURIComponent(books[0].name) + '&lang=' + lang, undefined, books[0]);
      study = { id: answer.study, builtin: false, files: answer.files, validation: answer.validation, jobs: [] };
      page.studies.push(study);
      page.current = study;
    }
    for (const f of tables.concat(books.slice(1))) {
      if (!study) break;
      setStatus('upload-status', t('uploading', f.name));
      const answer = await api('POST', '/api/studies/' + study.id + '/files?name=' + encodeURIComponent(f.name) + '&lang=' + lang, undefined, f);
      study.files = answer.files;
      if (answer.validation) study.validation = answer.validation;
    }
    setStatus('upload-status', '');
  } catch (e) {
    setStatus('upload-status', t('error', e.message), true);
  }
  showStudy();
}

async function openBuiltin() {
  try {
    const answer = await api('POST', '/api/builtin');
    const study = { id: answer.study, builtin: true, files: [], validation: null, jobs: [] };
    page.studies.push(study);
    page.current = study;
    showStudy();
    startRun('roadmap');
  } catch (e) {
    setStatus('upload-status', t('error', e.message), true);
  }
}

function studyName(s) {
  if (s.builtin) return t('builtin_name');
  return (s.files.find((f) => !TABLE_EXT.test(f)) || s.files[0] || '?');
}

function showStudy() {
  const has = !!page.current;
  // the report shown is the current study's latest, or none
  const withReport = has ? page.current.jobs.filter((j) => (j.files || []).includes('report.html')) : [];
  if (withReport.length > 0) {
    showReport(page.current, withReport[withReport.length - 1]);
  } else {
    $('report').hidden = true;
    $('report-frame').removeAttribute('src');
  }
  setStatus('keep-status', '');
  $('keep-name').value = '';
  $('study').hidden = !has;
  $('run').hidden = !has;
  $('compare').hidden = page.studies.filter((s) => !s.builtin).length === 0;
  renderStudy();
  renderJobs();
  renderCompare();
}

function renderStudy() {
  const s = page.current;
  if (!s) return;
  $('study-name').textContent = studyName(s);
  const badge = $('study-state');
  const fr = $('finding-rows');
  const wr = $('warning-rows');
  const notes = $('notes');
  fr.textContent = ''; wr.textContent = ''; notes.textContent = '';
  $('findings').hidden = true; $('warnings').hidden = true;
  $('keep-row').hidden = !(page.info && page.info.keep) || s.builtin;
  if (!$('keep-name').value) $('keep-name').value = studyName(s);
  document.querySelectorAll('button.run').forEach((b) => {
    b.disabled = s.builtin && b.dataset.command !== 'roadmap';
  });
  if (s.builtin) {
    badge.textContent = ''; badge.className = 'badge';
    $('study-summary').textContent = t('builtin_summary');
    return;
  }
  const v = s.validation;
  const result = v && v.result;
  if (!result) {
    badge.textContent = v ? t(v.phase) : '';
    badge.className = 'badge ' + (v ? v.phase : '');
    $('study-summary').textContent = v && v.error ? v.error : '';
    return;
  }
  const status = result.status;
  badge.textContent = t(status === 'findings' ? 'findings_state' : status);
  badge.className = 'badge ' + status;
  $('study-summary').textContent = result.facility_years !== null && result.facility_years !== undefined
    ? t('summary', result.facility_years, result.warnings || 0) : '';
  const findings = result.findings || [];
  $('findings').hidden = findings.length === 0;
  findings.forEach((f) => {
    const tr = el('tr');
    tr.append(el('td', both(f.where), 'where'), el('td', both(f.message)), el('td', both(f.hint)));
    fr.append(tr);
  });
  const groups = result.warning_groups || [];
  $('warnings').hidden = groups.length === 0;
  groups.forEach((g) => {
    const tr = el('tr');
    tr.append(el('td', both(g.message)), el('td', String(g.count), 'num'), el('td', (g.first || []).join(', ')));
    wr.append(tr);
  });
  (result.notes || []).forEach((n) => notes.append(el('li', both(n))));
}

// ---- runs ---------------------------------------------------------------

async function startRun(command) {
  const s = page.current;
  if (!s) return;
  const body = { command, lang, seed: Number($('seed').value) || 42 };
  if (command === 'uncertainty' || (command === 'roadmap' && $('with-mc').checked)) {
    body.runs = Number($('runs').value) || 1000;
  }
  try {
    const job = await api('POST', '/api/studies/' + s.id + '/runs', body);
    s.jobs.push(job);
    renderJobs();
    poll(s, job.id);
  } catch (e) {
    setStatus('upload-status', t('error', e.message), true);
  }
}

function poll(study, jobId, then) {
  const tick = async () => {
    let job;
    try {
      job = await api('GET', '/api/studies/' + study.id + '/runs/' + jobId);
    } catch (e) {
      setStatus('upload-status', t('error', e.message), true);
      return;
    }
    const i = study.jobs.findIndex((j) => j.id === jobId);
    if (i >= 0) study.jobs[i] = job;
    if (study === page.current) renderJobs();
    if (job.phase === 'queued' || job.phase === 'running') {
      setTimeout(tick, 1000);
    } else {
      if (then) then(job);
      if (job.phase === 'done' && job.files.includes('report.html') && study === page.current) {
        showReport(study, job);
      }
    }
  };
  setTimeout(tick, 500);
}

function fileUrl(study, job, name) {
  return '/api/studies/' + study.id + '/runs/' + job.id + '/files/' + encodeURIComponent(name);
}

function showReport(study, job) {
  $('report').hidden = false;
  $('report-frame').src = fileUrl(study, job, 'report.html') + '?inline=1';
}

function renderJobs() {
  const s = page.current;
  const rows = $('job-rows');
  rows.textContent = '';
  if (!s) return;
  let log = '';
  s.jobs.filter((j) => j.command !== 'compare').forEach((j) => {
    const tr = el('tr');
    tr.dataset.job = j.id;
    tr.append(el('td', t(j.command)));
    const state = el('td');
    const badge = el('span', t(j.phase), 'badge ' + j.phase);
    state.append(badge);
    if (j.phase === 'running' && j.steps > 1) state.append(' ' + t('step', j.step, j.steps));
    if (j.phase === 'running' && j.progress) state.append(' ' + t('progress', j.progress[0], j.progress[1]));
    if (j.error) state.append(el('div', j.error, 'status error'));  // the CLI's own message
    tr.append(state, el('td', Number(j.seconds).toFixed(1) + ' s', 'num'));
    const files = el('td', null, 'files');
    (j.files || []).forEach((name) => {
      const a = el('a', name);
      a.href = fileUrl(s, j, name);
      a.setAttribute('download', name);
      files.append(a);
      if (name === 'report.html') {
        const show = el('button', t('show_report'));
        show.type = 'button';
        show.addEventListener('click', () => showReport(s, j));
        files.append(show);
      }
    });
    tr.append(files);
    rows.append(tr);
    if (j.log) log = j.log;
  });
  $('job-log').hidden = !log;
  $('job-log').textContent = log;
}

// ---- compare ------------------------------------------------------------

function renderCompare() {
  const books = page.studies.filter((s) => !s.builtin);
  ['compare-a', 'compare-b'].forEach((id, k) => {
    const sel = $(id);
    const keep = sel.value;
    sel.textContent = '';
    books.forEach((s, i) => {
      const o = el('option', (i + 1) + '. ' + studyName(s));
      o.value = s.id;
      sel.append(o);
    });
    // the user's choice stays; otherwise the two latest studies, older as A
    if (sel.dataset.chosen && books.some((s) => s.id === keep)) sel.value = keep;
    else if (books.length > 1) sel.value = books[books.length - 2 + k].id;
  });
  const job = page.compareJob;
  const table = $('compare-table');
  const rows = $('compare-rows');
  const srows = $('compare-source-rows');
  rows.textContent = ''; srows.textContent = '';
  table.hidden = true; $('compare-detail').hidden = true;
  if (!job) return;
  // a failed run's message is the command line's, with its own "error:" label
  if (job.phase === 'failed') { setStatus('compare-status', job.error, true); return; }
  if (!job.result) { setStatus('compare-status', t(job.phase)); return; }
  setStatus('compare-status', '');
  const num = (x) => (x === null || x === undefined ? '–' : String(x));
  (job.result.facility_totals || []).forEach((r) => {
    const tr = el('tr');
    tr.append(el('td', r.facility_id + (r.facility_name ? ' ' + r.facility_name : '')), el('td', r.substance),
      el('td', num(r.a), 'num'), el('td', num(r.b), 'num'), el('td', num(r.change), 'num'), el('td', num(r.change_pct), 'num'));
    rows.append(tr);
  });
  (job.result.rows || []).forEach((r) => {
    const tr = el('tr');
    tr.append(el('td', r.facility_id), el('td', r.node + ' / ' + r.source), el('td', r.substance),
      el('td', num(r.a), 'num'), el('td', num(r.b), 'num'), el('td', num(r.change), 'num'), el('td', num(r.change_pct), 'num'));
    srows.append(tr);
  });
  table.hidden = false;
  $('compare-detail').hidden = false;
}

async function runCompare() {
  const a = $('compare-a').value;
  const b = $('compare-b').value;
  if (!a || !b || a === b) { setStatus('compare-status', t('compare_need'), true); return; }
  try {
    const job = await api('POST', '/api/compare', { a, b, lang });
    page.compareJob = job;
    renderCompare();
    const study = page.studies.find((s) => s.id === a);
    study.jobs.push(job);
    poll(study, job.id, (done) => { page.compareJob = done; renderCompare(); });
  } catch (e) {
    setStatus('compare-status', t('error', e.message), true);
  }
}

// ---- kept studies -------------------------------------------------------

let kept = [];
async function loadKept() {
  if (!page.info || !page.info.keep) return;
  try { kept = (await api('GET', '/api/kept')).kept; } catch (_) { kept = []; }
  renderKept();
}

function renderKept() {
  $('kept').hidden = !(page.info && page.info.keep) || kept.length === 0;
  const rows = $('kept-rows');
  rows.textContent = '';
  kept.forEach((k) => {
    const tr = el('tr');
    const open = el('button', t('open')); open.type = 'button';
    open.addEventListener('click', async () => {
      try {
        const answer = await api('POST', '/api/kept/' + k.id + '/open?lang=' + lang);
        const study = { id: answer.study, builtin: false, files: answer.files, validation: answer.validation, jobs: [] };
        page.studies.push(study);
        page.current = study;
        showStudy();
      } catch (e) { setStatus('upload-status', t('error', e.message), true); }
    });
    const del = el('button', t('delete')); del.type = 'button';
    del.addEventListener('click', async () => {
      try { await api('DELETE', '/api/kept/' + k.id); } catch (_) { /* listed again below */ }
      loadKept();
    });
    const actions = el('td'); actions.append(open, ' ', del);
    tr.append(el('td', k.name), el('td', k.saved), el('td', Math.round(k.bytes / 1024) + ' KB', 'num'), actions);
    rows.append(tr);
  });
}

async function keepStudy() {
  const s = page.current;
  if (!s) return;
  try {
    const answer = await api('POST', '/api/studies/' + s.id + '/keep', { name: $('keep-name').value });
    setStatus('keep-status', t('kept_ok', answer.kept));
    loadKept();
  } catch (e) {
    setStatus('keep-status', t('error', e.message), true);
  }
}

// ---- start ----------------------------------------------------------------

function wire() {
  // the roadmap's Monte Carlo switch sits beside the runs field
  const mc = el('label');
  const box = el('input'); box.type = 'checkbox'; box.id = 'with-mc';
  mc.append(box, ' ', el('span', t('with_mc')));
  mc.lastChild.id = 'mc-label';
  $('seed').parentElement.after(mc);

  $('lang-switch').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('coreduce.lang', lang);
    applyLang();
  });
  $('builtin').addEventListener('click', openBuiltin);
  $('file-input').addEventListener('change', (e) => { uploadFiles(e.target.files); e.target.value = ''; });
  const drop = $('drop');
  ['dragenter', 'dragover'].forEach((ev) => drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add('over'); }));
  ['dragleave', 'drop'].forEach((ev) => drop.addEventListener(ev, () => drop.classList.remove('over')));
  drop.addEventListener('drop', (e) => { e.preventDefault(); uploadFiles(e.dataTransfer.files); });
  document.querySelectorAll('button.run').forEach((b) => b.addEventListener('click', () => startRun(b.dataset.command)));
  $('compare-go').addEventListener('click', runCompare);
  ['compare-a', 'compare-b'].forEach((id) => $(id).addEventListener('change', (e) => { e.target.dataset.chosen = '1'; }));
  $('keep').addEventListener('click', keepStudy);
  // Closing the page closes its studies: nothing uploaded stays behind.
  window.addEventListener('pagehide', () => {
    page.studies.forEach((s) => {
      fetch('/api/studies/' + s.id, { method: 'DELETE', headers: { 'X-Coreduce': '1' }, keepalive: true });
    });
  });
}

document.addEventListener('DOMContentLoaded', async () => {
  wire();
  try { page.info = await api('GET', '/api/info'); } catch (e) { setStatus('upload-status', t('error', e.message), true); }
  applyLang();
  loadKept();
});
