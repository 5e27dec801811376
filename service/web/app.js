// Briefs web page: plain JavaScript, no framework, no network beyond this server's own API.
// Every string it shows comes from messages.js (English and Spanish), through t().
"use strict";

(() => {
  const MESSAGES = window.BRIEFS_MESSAGES;
  const LANGUAGES = ["en", "es"];
  const MAX_FILE_BYTES = 5 * 1024 * 1024;
  const FILE_PATTERN = /\.(txt|md|markdown)$/i;
  const KEY_STORAGE = "briefs-api-key";
  const LANG_STORAGE = "briefs-lang";
  // The API's warning for the rule-based engine; the page says it in its own words.
  const LOW_QUALITY_PREFIX = "translated with the rule-based Apertium fallback";

  const $ = (id) => document.getElementById(id);

  // ---- the page's language -------------------------------------------------------------------

  /** The saved choice, else the browser's languages, else what the server chose. */
  function pickLanguage() {
    try {
      const saved = localStorage.getItem(LANG_STORAGE);
      if (LANGUAGES.includes(saved)) return saved;
    } catch (err) {
      // Storage can be disabled: follow the browser.
    }
    const wanted = navigator.languages && navigator.languages.length
      ? navigator.languages
      : [navigator.language];
    for (const tag of wanted) {
      const base = String(tag || "").toLowerCase().split("-")[0];
      if (LANGUAGES.includes(base)) return base;
    }
    const served = document.documentElement.lang;
    return LANGUAGES.includes(served) ? served : "en";
  }

  let lang = pickLanguage();
  const rerenders = []; // what to draw again when the language changes

  /** The message ``key`` in the page's language, with ``{name}`` filled from ``params``. */
  function t(key, params) {
    const table = MESSAGES[lang] || MESSAGES.en;
    let text = key in table ? table[key] : key in MESSAGES.en ? MESSAGES.en[key] : key;
    for (const [name, value] of Object.entries(params || {})) {
      text = text.split(`{${name}}`).join(String(value));
    }
    return text;
  }

  function number(value) {
    return value.toLocaleString(lang);
  }

  /** "1 character", "7,001 characters"; the plural form from the language's rules. */
  function counted(key, count) {
    const form = new Intl.PluralRules(lang).select(count) === "one" ? "one" : "other";
    return t(`${key}.${form}`, { count: number(count) });
  }

  function seconds(ms) {
    if (ms < 1000) return `${number(Math.round(ms))} ms`;
    const value = (ms / 1000).toLocaleString(lang, {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
    return `${value} s`;
  }

  function languageName(code) {
    return MESSAGES.en[`lang.${code}`] ? t(`lang.${code}`) : code;
  }

  function capitalized(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  /** Put every ``data-i18n*`` string of the page in the current language. */
  function translatePage() {
    document.documentElement.lang = lang;
    for (const node of document.querySelectorAll("[data-i18n]")) {
      node.textContent = t(node.dataset.i18n);
      // Inside a column marked with the column's language, the page's own words keep theirs.
      if (node.parentElement && node.parentElement.closest(".column")) node.lang = lang;
    }
    for (const [attribute, data] of [
      ["placeholder", "i18nPlaceholder"],
      ["aria-label", "i18nAriaLabel"],
      ["title", "i18nTitle"],
    ]) {
      const selector = `[data-${data.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}]`;
      for (const node of document.querySelectorAll(selector)) {
        node.setAttribute(attribute, t(node.dataset[data]));
      }
    }
    for (const button of document.querySelectorAll("[data-set-lang]")) {
      button.setAttribute("aria-pressed", String(button.dataset.setLang === lang));
    }
  }

  function setLanguage(next) {
    if (!LANGUAGES.includes(next)) return;
    lang = next;
    try {
      localStorage.setItem(LANG_STORAGE, next);
    } catch (err) {
      // Not remembered in this browser; the cookie below may still be.
    }
    // The server reads the cookie, so the next load is served with the right <html lang>.
    const path = window.location.pathname.replace(/[^/]*$/, "") || "/";
    document.cookie = `${LANG_STORAGE}=${next}; Path=${path}; Max-Age=31536000; SameSite=Lax`;
    translatePage();
    for (const redraw of rerenders) redraw();
  }

  function setupLanguageSwitch() {
    for (const button of document.querySelectorAll("[data-set-lang]")) {
      button.addEventListener("click", () => setLanguage(button.dataset.setLang));
    }
  }

  // ---- small helpers ---------------------------------------------------------------------

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function element(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    return node;
  }

  /** Append text with its `code` spans as <code> elements: text nodes only, never HTML. */
  function appendWithCode(node, text) {
    const parts = String(text).split(/`([^`\n]+)`/);
    parts.forEach((part, index) => {
      if (!part) return;
      node.appendChild(index % 2 ? element("code", part) : document.createTextNode(part));
    });
    return node;
  }

  function slug(text) {
    const base = String(text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/g, "");
    return base || "brief";
  }

  function download(filename, mediaType, content) {
    const url = URL.createObjectURL(new Blob([content], { type: mediaType }));
    const link = element("a", null, { href: url, download: filename });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    // Plain http on a LAN address is not a secure context: fall back to a hidden textarea.
    const area = element("textarea", null, { readonly: "", "aria-hidden": "true" });
    area.value = text;
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    if (!ok) throw new Error("copy refused");
  }

  // ---- text with marks: the sentences the checks fire on -----------------------------------

  /** Where each mark's sentence is in ``text``: the first free place, in the marks' order. */
  function placeMarks(text, marks) {
    const placed = [];
    for (const mark of marks) {
      if (!mark.needle) continue;
      for (let from = 0; ; ) {
        const start = text.indexOf(mark.needle, from);
        if (start < 0) break;
        const end = start + mark.needle.length;
        if (!placed.some((other) => other.start < end && start < other.end)) {
          placed.push({ start, end, mark });
          break;
        }
        from = start + 1;
      }
    }
    return placed.sort((a, b) => a.start - b.start);
  }

  function paragraphRanges(text) {
    const ranges = [];
    for (const match of text.matchAll(/[^\n]+/g)) {
      let start = match.index;
      let end = start + match[0].length;
      while (start < end && /\s/.test(text[start])) start += 1;
      while (end > start && /\s/.test(text[end - 1])) end -= 1;
      if (end > start) ranges.push([start, end]);
    }
    return ranges;
  }

  function markElement(text, mark, first) {
    const node = element("mark", text, { class: "check", title: mark.title });
    if (first) {
      node.id = mark.id;
      node.tabIndex = -1;
    }
    return node;
  }

  /**
   * Fill ``node`` with ``text`` (as paragraphs, one per line, when ``paragraphs``), each
   * mark's sentence inside a <mark> that carries its checks as a tooltip.
   */
  function renderMarked(node, text, marks, paragraphs) {
    clear(node);
    const value = String(text || "");
    const placed = placeMarks(value, marks || []);
    const blocks = paragraphs ? paragraphRanges(value) : [[0, value.length]];
    const started = new Set();
    for (const [start, end] of blocks) {
      const target = paragraphs ? node.appendChild(element("p")) : node;
      let at = start;
      for (const range of placed) {
        if (range.end <= start || range.start >= end) continue;
        const from = Math.max(range.start, start);
        const to = Math.min(range.end, end);
        if (from > at) target.appendChild(document.createTextNode(value.slice(at, from)));
        target.appendChild(markElement(value.slice(from, to), range.mark, !started.has(range)));
        started.add(range);
        at = to;
      }
      if (at < end) target.appendChild(document.createTextNode(value.slice(at, end)));
    }
  }

  /** Scroll to a mark and flash it; the list entry's link calls this. */
  function showMark(id) {
    const mark = $(id);
    if (!mark) return;
    mark.scrollIntoView({ block: "center", behavior: "smooth" });
    mark.focus({ preventScroll: true });
    mark.classList.remove("flash");
    void mark.offsetWidth; // restart the animation
    mark.classList.add("flash");
  }

  // ---- talking to the API ----------------------------------------------------------------

  // A line of a message: the page's words (``local``, a function so it follows the language),
  // the API's words (``api``, English, shown as it came), or the one then the other.
  const local = (key, params) => ({ local: () => t(key, params) });
  const fromApi = (text) => ({ api: text });

  class ApiError extends Error {
    constructor(heading, lines) {
      super(typeof heading === "function" ? heading() : String(heading));
      this.heading = heading;
      this.lines = lines.filter(Boolean);
    }
  }

  function describeFieldErrors(errors) {
    if (!Array.isArray(errors)) return [];
    return errors.map((item) => {
      if (typeof item === "string") return item;
      const where = Array.isArray(item.loc)
        ? item.loc.filter((part) => part !== "body").join(".")
        : item.field || "";
      const message = item.msg || item.message || JSON.stringify(item);
      return where ? `${where}: ${message}` : message;
    });
  }

  function sentence(text) {
    const trimmed = String(text).trim();
    const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
    return /[.!?…]$/.test(first) ? first : `${first}.`;
  }

  /** Turn an error response into the page's own heading and the API's detail, never raw JSON. */
  function problemToError(response, problem) {
    const status = response.status;
    let code = (problem && problem.code) || (status === 413 ? "payload_too_large" : "");
    const known = (name) => Boolean(name) && `code.${name}` in MESSAGES.en;
    const title = problem && typeof problem.title === "string" ? problem.title : "";
    const lines = [];
    if (problem && typeof problem.detail === "string") {
      lines.push(fromApi(sentence(problem.detail)));
    } else if (problem && Array.isArray(problem.detail)) {
      lines.push(...describeFieldErrors(problem.detail).map(fromApi));
    } else if (problem && typeof problem.error === "string") {
      lines.push(fromApi(sentence(problem.error)));
    } else if (!problem) {
      const answer = `${status} ${response.statusText || ""}`.trim();
      lines.push(local("error.serverAnswered", { status: answer }));
    }
    // The detail often already lists the field errors: add only those it does not name.
    const said = lines.map((line) => line.api || "").join(" ");
    if (problem) {
      lines.push(
        ...describeFieldErrors(problem.errors)
          .filter((line) => !said.includes(line))
          .map(fromApi),
      );
    }
    if (status === 503 && (code === "busy" || response.headers.get("Retry-After"))) {
      if (!known(code)) code = "busy";
      const wait = parseInt(response.headers.get("Retry-After") || "", 10);
      lines.push(
        Number.isFinite(wait)
          ? { local: () => t("error.retryIn", { time: counted("count.seconds", wait) }) }
          : local("error.retrySoon"),
      );
    }
    if (code === "unauthorized" || code === "forbidden" || status === 401 || status === 403) {
      // The server's hint is about HTTP headers; on the page the key goes in one field.
      $("api-key-box").open = true;
      lines.push(local("error.enterKey"));
    } else if (problem && problem.hint) {
      lines.push({ local: () => t("error.whatToDo"), api: sentence(problem.hint) });
    }
    const heading = known(code)
      ? () => t(`code.${code}`)
      : () => (lang === "en" && title) || t("error.status", { status });
    return new ApiError(heading, lines);
  }

  /** POST JSON with the page's key; an error answer becomes an ApiError. */
  async function post(path, payload, signal, accept) {
    const headers = { "Content-Type": "application/json", Accept: accept };
    const key = $("api-key").value.trim();
    if (key) headers.Authorization = `Bearer ${key}`;
    let response;
    try {
      response = await fetch(path, {
        method: "POST",
        headers,
        body: JSON.stringify(payload),
        signal,
      });
    } catch (err) {
      if (err && err.name === "AbortError") throw err;
      throw new ApiError(() => t("error.unreachable"), [local("error.unreachableHelp")]);
    }
    if (!response.ok) {
      let problem = null;
      if ((response.headers.get("Content-Type") || "").includes("json")) {
        try {
          problem = await response.json();
        } catch (err) {
          problem = null;
        }
      }
      throw problemToError(response, problem);
    }
    return response;
  }

  async function postJson(path, payload, signal) {
    const response = await post(path, payload, signal, "application/json, application/problem+json");
    try {
      return await response.json();
    } catch (err) {
      throw new ApiError(() => t("error.notJson"), [local("error.notJsonHelp")]);
    }
  }

  // ---- status, errors, warnings -------------------------------------------------------------

  const statusNodes = [];

  /** Show a status line; ``render`` is called again when the language changes. */
  function setStatus(node, render, busy) {
    node.render = render || null;
    node.textContent = render ? render() : "";
    node.classList.toggle("busy", Boolean(busy));
    if (!statusNodes.includes(node)) statusNodes.push(node);
  }

  function drawError(node) {
    const err = node.shownError;
    clear(node);
    const heading = err instanceof ApiError
      ? typeof err.heading === "function" ? err.heading() : err.heading
      : t("error.generic");
    const lines = err instanceof ApiError
      ? err.lines
      : [fromApi(String(err && err.message ? err.message : err))];
    node.appendChild(element("h2", heading));
    for (const line of lines) {
      const paragraph = element("p");
      if (line.local) paragraph.appendChild(document.createTextNode(line.local()));
      if (line.api) {
        // The API answers in English: say so, for screen readers and translation tools.
        const api = appendWithCode(element("span", null, { class: "api-detail" }), line.api);
        if (lang !== "en") api.lang = "en";
        paragraph.appendChild(api);
      }
      node.appendChild(paragraph);
    }
  }

  function showError(node, err) {
    node.shownError = err;
    drawError(node);
    node.hidden = false;
    node.focus();
  }

  function hideError(node) {
    node.shownError = null;
    clear(node);
    node.hidden = true;
  }

  // A glossary box: "english, spanish" (or a tab) per line -> rows; null when empty.
  function glossaryRows(box) {
    const rows = [];
    for (const line of box.value.split("\n")) {
      if (!line.trim()) continue;
      const cells = line.includes("\t") ? line.split("\t") : line.split(",");
      if (cells.length !== 2 || !cells[0].trim() || !cells[1].trim()) {
        throw new ApiError(() => t("error.glossaryLine"), [
          local("error.glossaryLineHelp", { line: line.trim() }),
        ]);
      }
      rows.push({ en: cells[0].trim(), es: cells[1].trim() });
    }
    return rows.length ? rows : null;
  }

  function checkKind(kind) {
    return `checks.kind.${kind}` in MESSAGES.en ? t(`checks.kind.${kind}`) : kind;
  }

  /** One list entry per check: a link to its marked sentence, the message, the source. */
  function checkItem(check) {
    const where = check.part
      ? t("checks.where", { part: t(`part.${check.part}`), number: check.sentence + 1 })
      : t("checks.sentence", { number: check.sentence + 1 });
    const item = element("li", null, { class: "check-item" });
    const label = t("checks.line", { kind: checkKind(check.kind), where });
    if (check.markId && $(check.markId)) {
      const link = element("a", label, { href: `#${check.markId}`, class: "check-link" });
      link.addEventListener("click", (event) => {
        event.preventDefault();
        showMark(check.markId);
      });
      item.appendChild(link);
    } else {
      item.appendChild(document.createTextNode(label));
    }
    item.appendChild(document.createTextNode(": "));
    const message = appendWithCode(element("span", null, { class: "api-detail" }), sentence(check.message));
    if (lang !== "en") message.lang = "en";
    item.appendChild(message);
    if (check.source) {
      item.appendChild(document.createTextNode(` ${t("checks.source")} `));
      const quote = element("q", check.source, { class: "check-source" });
      if (check.sourceLang) quote.lang = check.sourceLang;
      item.appendChild(quote);
    }
    return item;
  }

  /** The API's warnings (the known one in the page's words), then one entry per check. */
  function showWarnings(box, list, warnings, checks) {
    clear(list);
    for (const warning of warnings || []) {
      const item = element("li");
      if (String(warning).startsWith(LOW_QUALITY_PREFIX)) {
        appendWithCode(item, t("warnings.lowQuality"));
      } else {
        appendWithCode(item, sentence(warning));
        if (lang !== "en") item.lang = "en";
      }
      list.appendChild(item);
    }
    for (const check of checks || []) list.appendChild(checkItem(check));
    box.hidden = !list.children.length;
  }

  function fillMeta(node, rows) {
    clear(node);
    for (const [term, value, badge] of rows) {
      node.appendChild(element("dt", term));
      const dd = element("dd", value);
      if (badge) dd.appendChild(element("span", badge, { class: "badge" }));
      node.appendChild(dd);
    }
  }

  function engineText(engine) {
    if (!engine) return t("meta.unknown");
    return engine.model ? `${engine.engine} (${engine.model})` : engine.engine;
  }

  function summaryText(summary) {
    if (!summary) return t("meta.unknown");
    const method = `method.${summary.method}` in MESSAGES.en ? t(`method.${summary.method}`) : summary.method;
    return summary.model ? `${method} (${summary.model})` : method;
  }

  /** Submit a form on Ctrl+Enter (or Cmd+Enter) from its text area. */
  function submitOnCtrlEnter(textarea, form) {
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }

  // ---- tabs ------------------------------------------------------------------------------

  function setupTabs() {
    const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
    const select = (tab, focus) => {
      for (const other of tabs) {
        const selected = other === tab;
        other.setAttribute("aria-selected", String(selected));
        other.tabIndex = selected ? 0 : -1;
        $(other.getAttribute("aria-controls")).hidden = !selected;
      }
      if (focus) tab.focus();
    };
    tabs.forEach((tab, index) => {
      tab.addEventListener("click", () => select(tab, true));
      tab.addEventListener("keydown", (event) => {
        const moves = {
          ArrowRight: index + 1,
          ArrowLeft: index - 1,
          Home: 0,
          End: tabs.length - 1,
        };
        if (!(event.key in moves)) return;
        event.preventDefault();
        select(tabs[(moves[event.key] + tabs.length) % tabs.length], true);
      });
    });
  }

  // ---- the brief tab -----------------------------------------------------------------------

  const PART_FIELDS = { title: "title", short: "short", long: "long", full_translation: "full-text" };

  /**
   * The marks of a brief's checks, per column and field: the translated sentence in the
   * translated column, the source sentence in the article's column (the full translation's
   * source is the article itself, not shown). Checks of one sentence share one mark.
   */
  function briefMarks(brief) {
    const source = brief.source_language;
    const target = source === "en" ? "es" : "en";
    const marks = {};
    const add = (column, part, check, needle, id) => {
      const key = `${column}:${PART_FIELDS[part]}`;
      marks[key] = marks[key] || [];
      let mark = marks[key].find((m) => m.sentence === check.sentence);
      if (!mark) {
        mark = { sentence: check.sentence, needle, id, titles: [] };
        marks[key].push(mark);
      }
      mark.titles.push(t("checks.mark", { kind: checkKind(check.kind), message: check.message }));
      mark.title = mark.titles.join("\n");
      return mark.id;
    };
    const checks = (brief.checks || []).map((check) => {
      if (!PART_FIELDS[check.part]) return { ...check };
      const id = `check-${check.part}-${check.sentence}`;
      const markId = check.target ? add(target, check.part, check, check.target, id) : null;
      if (check.part !== "full_translation" && check.source) {
        add(source, check.part, check, check.source, `${id}-source`);
      }
      return { ...check, markId: markId || `${id}-source`, sourceLang: source };
    });
    for (const list of Object.values(marks)) list.sort((a, b) => a.sentence - b.sentence);
    return { marks, checks };
  }

  function setupBrief() {
    const form = $("brief-form");
    const text = $("article-text");
    const title = $("article-title");
    const language = $("article-language");
    const full = $("article-full");
    const submit = $("brief-submit");
    const cancel = $("brief-cancel");
    const status = $("brief-status");
    const errorBox = $("brief-error");
    const result = $("brief-result");
    const counter = $("article-count");
    const dropZone = $("drop-zone");
    let current = null; // the last brief shown
    let controller = null;

    const updateCount = () => {
      counter.textContent = counted("count.characters", text.value.length);
    };
    text.addEventListener("input", updateCount);
    submitOnCtrlEnter(text, form);
    updateCount();

    function clearResult() {
      result.hidden = true;
      current = null;
      for (const node of result.querySelectorAll("[data-field], #brief-meta, #brief-warning-list")) {
        if (!node.matches(".full")) clear(node);
      }
    }

    async function loadFile(file) {
      hideError(errorBox);
      if (!FILE_PATTERN.test(file.name) && !String(file.type).startsWith("text/")) {
        showError(errorBox, new ApiError(() => t("error.fileType"), [
          local("error.fileTypeHelp", { name: file.name }),
        ]));
        return;
      }
      if (file.size > MAX_FILE_BYTES) {
        showError(errorBox, new ApiError(() => t("error.fileSize"), [
          local("error.fileSizeHelp", { name: file.name, size: number(Math.round(file.size / 1024)) }),
        ]));
        return;
      }
      const content = await file.text();
      if (content.includes("\u0000")) {
        showError(errorBox, new ApiError(() => t("error.fileType"), [
          local("error.fileBinaryHelp", { name: file.name }),
        ]));
        return;
      }
      text.value = content.replace(/^\uFEFF/, "");
      updateCount();
      const length = text.value.length;
      setStatus(status, () => t("status.loaded", {
        name: file.name,
        size: counted("count.characters", length),
      }));
    }

    $("article-file").addEventListener("change", async (event) => {
      const input = event.target;
      if (input.files && input.files[0]) await loadFile(input.files[0]);
      input.value = "";
    });
    // Dropping a file anywhere else must not navigate away from the page.
    for (const name of ["dragover", "drop"]) {
      window.addEventListener(name, (event) => event.preventDefault());
    }
    dropZone.addEventListener("dragover", (event) => {
      event.preventDefault();
      dropZone.classList.add("dragging");
    });
    dropZone.addEventListener("dragleave", () => dropZone.classList.remove("dragging"));
    dropZone.addEventListener("drop", async (event) => {
      event.preventDefault();
      dropZone.classList.remove("dragging");
      const file = event.dataTransfer && event.dataTransfer.files[0];
      if (file) await loadFile(file);
    });

    $("brief-clear").addEventListener("click", () => {
      form.reset();
      updateCount();
      hideError(errorBox);
      setStatus(status, null);
      clearResult();
      text.focus();
    });

    cancel.addEventListener("click", () => {
      if (controller) controller.abort();
    });

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      hideError(errorBox);
      if (!text.value.trim()) {
        clearResult();
        showError(errorBox, new ApiError(() => t("error.noText"), [local("error.noArticle")]));
        return;
      }
      let glossary;
      try {
        glossary = glossaryRows($("brief-glossary"));
      } catch (err) {
        clearResult();
        showError(errorBox, err);
        return;
      }
      const payload = {
        text: text.value,
        title: title.value.trim() || null,
        language: language.value,
        include_full_translation: full.checked,
        glossary,
      };
      controller = new AbortController();
      submit.disabled = true;
      cancel.hidden = false;
      setStatus(status, () => t("status.making"), true);
      try {
        const brief = await postJson("v1/briefs", payload, controller.signal);
        current = { brief, requested: payload.language };
        renderBrief(current);
        const total = (brief.timings_ms && brief.timings_ms.total) || 0;
        setStatus(status, () => t("status.ready", { time: seconds(total) }));
        $("brief-result-heading").focus();
      } catch (err) {
        if (err && err.name === "AbortError") {
          setStatus(status, () => t("status.cancelled"));
        } else {
          // The brief on screen belongs to an earlier request: do not leave it under the error.
          clearResult();
          setStatus(status, null);
          showError(errorBox, err);
        }
      } finally {
        submit.disabled = false;
        cancel.hidden = true;
        controller = null;
      }
    });

    function renderBrief({ brief, requested }) {
      const source = brief.source_language;
      const engine = brief.engines && brief.engines.translation;
      const summary = brief.engines && brief.engines.summary;
      const sourceName = capitalized(languageName(source));
      fillMeta($("brief-meta"), [
        [
          t("meta.articleLanguage"),
          requested === "auto" ? t("meta.detected", { language: sourceName }) : sourceName,
        ],
        [t("meta.translation"), engineText(engine), engine && engine.low_quality ? t("meta.lowQuality") : ""],
        [
          t("meta.summary"),
          summaryText(summary),
        ],
        [t("meta.time"), seconds((brief.timings_ms && brief.timings_ms.total) || 0)],
      ]);
      const { marks, checks } = briefMarks(brief);
      for (const lang of ["en", "es"]) {
        const side = brief[lang];
        const column = $(`column-${lang}`);
        const field = (name) => column.querySelector(`[data-field="${name}"]`);
        const marksOf = (name) => marks[`${lang}:${name}`] || [];
        renderMarked(field("title"), side.title || "", marksOf("title"), false);
        field("title").hidden = !side.title;
        renderMarked(field("short"), side.short, marksOf("short"), false);
        renderMarked(field("long"), side.long, marksOf("long"), true);
        const translation = brief.full_translation;
        const hasFull = Boolean(translation && translation.language === lang);
        field("full").hidden = !hasFull;
        renderMarked(field("full-text"), hasFull ? translation.text : "", marksOf("full-text"), true);
      }
      // After the columns, so each check's link finds its mark.
      showWarnings($("brief-warnings"), $("brief-warning-list"), brief.warnings, checks);
      result.hidden = false;
    }
    rerenders.push(() => {
      updateCount();
      if (current) renderBrief(current);
    });

    function columnText(lang) {
      const column = $(`column-${lang}`);
      const parts = [];
      for (const node of column.querySelectorAll(".brief-title, h4, .summary, .full:not([hidden]) .full-text")) {
        if (node.hidden || node.closest("[hidden]")) continue;
        const value = node.matches(".summary, .full-text")
          ? Array.from(node.querySelectorAll("p")).map((p) => p.textContent).join("\n\n") ||
            node.textContent
          : node.textContent;
        if (value.trim()) parts.push(value.trim());
      }
      return parts.join("\n\n");
    }

    for (const button of document.querySelectorAll("[data-copy]")) {
      button.addEventListener("click", async () => {
        const column = button.dataset.copy;
        try {
          await copyText(columnText(column));
          setStatus(status, () => t(column === "es" ? "status.copiedEs" : "status.copiedEn"));
        } catch (err) {
          setStatus(status, () => t("status.copyBlocked"));
        }
      });
    }

    $("download-json").addEventListener("click", () => {
      if (!current) return;
      const name = slug(current.brief.en.title || current.brief.es.title);
      download(`${name}.json`, "application/json", JSON.stringify(current.brief, null, 2) + "\n");
    });
    $("download-md").addEventListener("click", async () => {
      if (!current) return;
      const name = slug(current.brief.en.title || current.brief.es.title);
      // The server renders it with the CLI's own template (prompts/brief.md.txt).
      try {
        const path = `v1/briefs/markdown?source=${encodeURIComponent(`${name}.md`)}`;
        const response = await post(path, current.brief, undefined, "text/markdown");
        download(`${name}.md`, "text/markdown", await response.text());
      } catch (err) {
        showError($("brief-error"), err);
      }
    });
  }

  // ---- the translate tab ----------------------------------------------------------------------

  function setupTranslate() {
    const form = $("translate-form");
    const text = $("translate-text");
    const source = $("translate-source");
    const target = $("translate-target");
    const format = $("translate-format");
    const submit = $("translate-submit");
    const status = $("translate-status");
    const errorBox = $("translate-error");
    const result = $("translate-result");
    const output = $("translate-output");
    const marked = $("translate-marked");
    let answer = null; // the last translation shown

    submitOnCtrlEnter(text, form);

    // Keep the pair valid: picking the same language on both sides flips the other side.
    source.addEventListener("change", () => {
      if (source.value === target.value) target.value = source.value === "en" ? "es" : "en";
    });
    target.addEventListener("change", () => {
      if (source.value === target.value) source.value = target.value === "en" ? "es" : "en";
    });

    function clearResult() {
      result.hidden = true;
      answer = null;
      output.value = "";
      output.hidden = false;
      clear(marked);
      clear($("translate-warning-list"));
    }

    $("translate-swap").addEventListener("click", () => {
      const oldTarget = target.value;
      const oldSource = source.value === "auto" ? (oldTarget === "en" ? "es" : "en") : source.value;
      source.value = oldTarget;
      target.value = oldSource;
      if (!result.hidden && output.value) {
        text.value = output.value;
        clearResult();
      }
      const from = source.value;
      const to = target.value;
      setStatus(status, () => t("status.swapped", { source: languageName(from), target: languageName(to) }));
    });

    $("translate-copy").addEventListener("click", async () => {
      try {
        await copyText(output.value);
        setStatus(status, () => t("status.translationCopied"));
      } catch (err) {
        setStatus(status, () => t("status.copyBlocked"));
      }
    });

    function renderTranslation() {
      const from = capitalized(languageName(answer.source));
      fillMeta($("translate-meta"), [
        [t("meta.from"), answer.detected_language ? t("meta.detected", { language: from }) : from],
        [t("meta.to"), capitalized(languageName(answer.target))],
        [t("meta.engine"), engineText(answer.engine), answer.engine && answer.engine.low_quality ? t("meta.lowQuality") : ""],
      ]);
      const texts = Array.isArray(answer.translation) ? answer.translation : [answer.translation];
      const checkLists = Array.isArray(answer.translation) ? answer.checks || [] : [answer.checks || []];
      output.value = texts.join("\n");
      output.lang = answer.target;
      // The checked sentences, marked in a copy of the translation under the text box.
      const marks = [];
      const checks = [];
      texts.forEach((_, textIndex) => {
        for (const check of checkLists[textIndex] || []) {
          const id = `tcheck-${textIndex}-${check.sentence}`;
          let mark = marks.find((m) => m.id === id);
          if (!mark) {
            mark = { id, needle: check.target, titles: [], text: textIndex, sentence: check.sentence };
            marks.push(mark);
          }
          mark.titles.push(t("checks.mark", { kind: checkKind(check.kind), message: check.message }));
          mark.title = mark.titles.join("\n");
          checks.push({ ...check, markId: id, sourceLang: answer.source });
        }
      });
      // With checks, the marked text stands in for the text box (which still holds the text
      // the Copy and Swap buttons use); without, the box shows it.
      marked.hidden = !marks.length;
      output.hidden = marks.length > 0;
      if (marks.length) {
        renderMarked(marked, output.value, marks, true);
        marked.lang = answer.target;
      } else {
        clear(marked);
      }
      showWarnings($("translate-warnings"), $("translate-warning-list"), answer.warnings, checks);
      result.hidden = false;
    }
    rerenders.push(() => {
      if (answer) renderTranslation();
    });

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      hideError(errorBox);
      if (!text.value.trim()) {
        clearResult();
        showError(errorBox, new ApiError(() => t("error.noText"), [local("error.noTranslateText")]));
        return;
      }
      submit.disabled = true;
      setStatus(status, () => t("status.translating"), true);
      try {
        answer = await postJson("v1/translate", {
          text: text.value,
          source: source.value,
          target: target.value,
          format: format.value,
          glossary: glossaryRows($("translate-glossary")),
        });
        renderTranslation();
        setStatus(status, () => t("status.translated"));
        $("translate-result-heading").focus();
      } catch (err) {
        clearResult();
        setStatus(status, null);
        showError(errorBox, err);
      } finally {
        submit.disabled = false;
      }
    });
  }

  function setupApiKey() {
    const input = $("api-key");
    try {
      input.value = sessionStorage.getItem(KEY_STORAGE) || "";
      input.addEventListener("change", () => sessionStorage.setItem(KEY_STORAGE, input.value.trim()));
    } catch (err) {
      // Storage can be disabled; the key then lasts until the page is reloaded.
    }
    if (input.value) $("api-key-box").open = true;
  }

  // Status lines and error boxes follow a language change too.
  rerenders.push(() => {
    for (const node of statusNodes) if (node.render) node.textContent = node.render();
    for (const node of document.querySelectorAll(".error")) if (node.shownError) drawError(node);
  });

  translatePage();
  setupLanguageSwitch();
  setupApiKey();
  setupTabs();
  setupBrief();
  setupTranslate();
})();
