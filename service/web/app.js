// Briefs web page: plain JavaScript, no framework, no network beyond this server's own API.
"use strict";

(() => {
  const LANGUAGE_NAMES = { en: "English", es: "Spanish" };
  const MAX_FILE_BYTES = 5 * 1024 * 1024;
  const FILE_PATTERN = /\.(txt|md|markdown)$/i;
  const KEY_STORAGE = "briefs-api-key";

  const $ = (id) => document.getElementById(id);

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

  /** Render text as paragraphs (blank lines or single newlines split them). */
  function fillParagraphs(node, text) {
    clear(node);
    const parts = String(text || "").split(/\n+/).map((p) => p.trim()).filter(Boolean);
    for (const part of parts) node.appendChild(element("p", part));
  }

  function plural(count, word) {
    return `${count.toLocaleString("en")} ${word}${count === 1 ? "" : "s"}`;
  }

  function seconds(ms) {
    return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
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

  // ---- talking to the API ----------------------------------------------------------------

  class ApiError extends Error {
    constructor(heading, lines) {
      super(heading);
      this.heading = heading;
      this.lines = lines.filter(Boolean);
    }
  }

  const HEADINGS = {
    busy: "The service is busy",
    payload_too_large: "The request is too large",
    input_too_large: "The text is too long",
    empty_input: "There is no text",
    invalid_input: "The text cannot be used",
    unsupported_language: "This language is not supported",
    unsupported_pair: "These languages cannot be translated",
    validation_error: "Some fields are not valid",
    malformed_json: "The request was malformed",
    model_not_available: "No translation model is available",
    engine_unavailable: "The translation engine is not available",
    unauthorized: "An API key is needed",
    forbidden: "This API key is not allowed",
    not_found: "Not found",
  };

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

  /** Turn an error response into a readable heading and lines, never raw JSON. */
  function problemToError(response, problem) {
    const status = response.status;
    const code = (problem && problem.code) || (status === 413 ? "payload_too_large" : "");
    let heading = HEADINGS[code] || (problem && problem.title) || `Error ${status}`;
    const lines = [];
    if (problem && typeof problem.detail === "string") {
      lines.push(sentence(problem.detail));
    } else if (problem && Array.isArray(problem.detail)) {
      lines.push(...describeFieldErrors(problem.detail));
    } else if (problem && typeof problem.error === "string") {
      lines.push(sentence(problem.error));
    } else if (!problem) {
      lines.push(`The server answered ${status} ${response.statusText || ""}`.trim() + ".");
    }
    // The detail often already lists the field errors: add only those it does not name.
    const said = lines.join(" ");
    if (problem) lines.push(...describeFieldErrors(problem.errors).filter((line) => !said.includes(line)));
    if (status === 503 && (code === "busy" || response.headers.get("Retry-After"))) {
      if (!HEADINGS[code]) heading = HEADINGS.busy;
      const wait = parseInt(response.headers.get("Retry-After") || "", 10);
      lines.push(
        Number.isFinite(wait)
          ? `Try again in ${plural(wait, "second")}.`
          : "Try again in a moment.",
      );
    }
    if (code === "unauthorized" || code === "forbidden" || status === 401 || status === 403) {
      // The server's hint is about HTTP headers; on the page the key goes in one field.
      $("api-key-box").open = true;
      lines.push("Enter the key under “API key” at the top of the page, then try again.");
    } else if (problem && problem.hint) {
      lines.push(`What to do: ${sentence(problem.hint)}`);
    }
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
      throw new ApiError("The service cannot be reached", [
        "Check that the Briefs server is running, then try again.",
      ]);
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
      throw new ApiError("Unexpected answer", ["The server did not answer with JSON."]);
    }
  }

  // ---- status, errors, warnings -------------------------------------------------------------

  function setStatus(node, text, busy) {
    node.textContent = text;
    node.classList.toggle("busy", Boolean(busy));
  }

  function showError(node, err) {
    clear(node);
    const heading = err instanceof ApiError ? err.heading : "Something went wrong";
    const lines = err instanceof ApiError ? err.lines : [String(err && err.message ? err.message : err)];
    node.appendChild(element("h2", heading));
    for (const line of lines) node.appendChild(element("p", line));
    node.hidden = false;
    node.focus();
  }

  function hideError(node) {
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
        throw new ApiError("The glossary has a line it cannot read", [
          `“${line.trim()}”: write the English term, a comma, then the Spanish term.`,
        ]);
      }
      rows.push({ en: cells[0].trim(), es: cells[1].trim() });
    }
    return rows.length ? rows : null;
  }

  const PART_NAMES = { title: "Title", short: "Short summary", long: "Long summary", full_translation: "Full translation" };

  // Checks as readable lines: where, what kind, what; the source sentence quoted.
  function checkLines(checks) {
    return (checks || []).map((check) => {
      const where = check.part ? `${PART_NAMES[check.part] || check.part}, sentence ${check.sentence + 1}` : `Sentence ${check.sentence + 1}`;
      return `Check (${check.kind}) — ${where}: ${check.message}. Source: “${check.source}”`;
    });
  }

  function showWarnings(box, list, warnings) {
    clear(list);
    for (const warning of warnings || []) list.appendChild(element("li", sentence(warning)));
    box.hidden = !(warnings && warnings.length);
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
    if (!engine) return "unknown";
    return engine.model ? `${engine.engine} (${engine.model})` : engine.engine;
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
      counter.textContent = plural(text.value.length, "character");
    };
    text.addEventListener("input", updateCount);
    submitOnCtrlEnter(text, form);

    async function loadFile(file) {
      hideError(errorBox);
      if (!FILE_PATTERN.test(file.name) && !String(file.type).startsWith("text/")) {
        showError(errorBox, new ApiError("This file cannot be used", [
          `“${file.name}” is not a .txt or .md file. Save the article as plain text and try again.`,
        ]));
        return;
      }
      if (file.size > MAX_FILE_BYTES) {
        showError(errorBox, new ApiError("This file is too large", [
          `“${file.name}” is ${plural(Math.round(file.size / 1024), "KB")}; open a file under 5 MB.`,
        ]));
        return;
      }
      const content = await file.text();
      if (content.includes("\u0000")) {
        showError(errorBox, new ApiError("This file cannot be used", [
          `“${file.name}” is not plain text.`,
        ]));
        return;
      }
      text.value = content.replace(/^\uFEFF/, "");
      updateCount();
      setStatus(status, `Loaded “${file.name}” (${plural(text.value.length, "character")}).`);
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
      setStatus(status, "");
      result.hidden = true;
      current = null;
      text.focus();
    });

    cancel.addEventListener("click", () => {
      if (controller) controller.abort();
    });

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      hideError(errorBox);
      if (!text.value.trim()) {
        showError(errorBox, new ApiError("There is no text", [
          "Paste an article or open a .txt or .md file first.",
        ]));
        return;
      }
      let glossary;
      try {
        glossary = glossaryRows($("brief-glossary"));
      } catch (err) {
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
      setStatus(status, "Making the brief…", true);
      try {
        const brief = await postJson("v1/briefs", payload, controller.signal);
        current = { brief, requested: payload.language };
        renderBrief(current);
        setStatus(status, `Brief ready in ${seconds((brief.timings_ms && brief.timings_ms.total) || 0)}.`);
        $("brief-result-heading").focus();
      } catch (err) {
        if (err && err.name === "AbortError") {
          setStatus(status, "Cancelled.");
        } else {
          setStatus(status, "");
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
      fillMeta($("brief-meta"), [
        [
          "Article language",
          `${LANGUAGE_NAMES[source] || source}${requested === "auto" ? " (detected)" : ""}`,
        ],
        ["Translation", engineText(engine), engine && engine.low_quality ? "lower quality" : ""],
        ["Summary", summary ? (summary.model ? `${summary.method} (${summary.model})` : summary.method) : "unknown"],
        ["Time", seconds((brief.timings_ms && brief.timings_ms.total) || 0)],
      ]);
      showWarnings($("brief-warnings"), $("brief-warning-list"), [...(brief.warnings || []), ...checkLines(brief.checks)]);
      for (const lang of ["en", "es"]) {
        const side = brief[lang];
        const column = $(`column-${lang}`);
        const field = (name) => column.querySelector(`[data-field="${name}"]`);
        field("title").textContent = side.title || "";
        field("title").hidden = !side.title;
        field("short").textContent = side.short;
        fillParagraphs(field("long"), side.long);
        const translation = brief.full_translation;
        const hasFull = Boolean(translation && translation.language === lang);
        field("full").hidden = !hasFull;
        fillParagraphs(field("full-text"), hasFull ? translation.text : "");
      }
      result.hidden = false;
    }

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
        const lang = button.dataset.copy;
        try {
          await copyText(columnText(lang));
          setStatus(status, lang === "es" ? "Resumen en español copiado." : "English brief copied.");
        } catch (err) {
          setStatus(status, "Copying is blocked by the browser; select the text instead.");
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

    submitOnCtrlEnter(text, form);

    // Keep the pair valid: picking the same language on both sides flips the other side.
    source.addEventListener("change", () => {
      if (source.value === target.value) target.value = source.value === "en" ? "es" : "en";
    });
    target.addEventListener("change", () => {
      if (source.value === target.value) source.value = target.value === "en" ? "es" : "en";
    });

    $("translate-swap").addEventListener("click", () => {
      const oldTarget = target.value;
      const oldSource = source.value === "auto" ? (oldTarget === "en" ? "es" : "en") : source.value;
      source.value = oldTarget;
      target.value = oldSource;
      if (!result.hidden && output.value) {
        text.value = output.value;
        result.hidden = true;
      }
      setStatus(status, `Now translating ${LANGUAGE_NAMES[source.value]} to ${LANGUAGE_NAMES[target.value]}.`);
    });

    $("translate-copy").addEventListener("click", async () => {
      try {
        await copyText(output.value);
        setStatus(status, "Translation copied.");
      } catch (err) {
        setStatus(status, "Copying is blocked by the browser; select the text instead.");
      }
    });

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      hideError(errorBox);
      if (!text.value.trim()) {
        showError(errorBox, new ApiError("There is no text", ["Type or paste something to translate."]));
        return;
      }
      submit.disabled = true;
      setStatus(status, "Translating…", true);
      try {
        const answer = await postJson("v1/translate", {
          text: text.value,
          source: source.value,
          target: target.value,
          format: format.value,
          glossary: glossaryRows($("translate-glossary")),
        });
        const from = LANGUAGE_NAMES[answer.source] || answer.source;
        fillMeta($("translate-meta"), [
          ["From", `${from}${answer.detected_language ? " (detected)" : ""}`],
          ["To", LANGUAGE_NAMES[answer.target] || answer.target],
          ["Engine", engineText(answer.engine), answer.engine && answer.engine.low_quality ? "lower quality" : ""],
        ]);
        showWarnings($("translate-warnings"), $("translate-warning-list"), [
          ...(answer.warnings || []),
          ...checkLines([].concat(...(Array.isArray(answer.translation) ? answer.checks : [answer.checks]))),
        ]);
        output.value = Array.isArray(answer.translation) ? answer.translation.join("\n") : answer.translation;
        output.lang = answer.target;
        result.hidden = false;
        setStatus(status, "Translation ready.");
        $("translate-result-heading").focus();
      } catch (err) {
        setStatus(status, "");
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

  setupApiKey();
  setupTabs();
  setupBrief();
  setupTranslate();
})();
