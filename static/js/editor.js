/* The policy editor: Ace (vendored, static/vendor/ace) on every textarea[data-ace], with
 * completion of service prefixes, actions and condition keys from the catalog endpoints.
 * Validation is the server's (htmx posts the textarea); this file only keeps the textarea in
 * step with Ace, and moves the cursor to a finding when it is clicked. Without JavaScript the
 * plain textarea works. Ace's worker is off (no blob: worker needed; the server validates). */
(function () {
  "use strict";
  if (window.PolicyEditor) { window.PolicyEditor.initAll(document); return; }

  var catalog = { services: null, globalKeys: [], perService: {}, pending: {} };
  var aceLoading = null;

  function root() { return document.querySelector("[data-policy-editor]"); }

  function loadAce() {
    if (window.ace) return Promise.resolve(window.ace);
    if (aceLoading) return aceLoading;
    var host = root();
    aceLoading = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = host.dataset.staticAce;
      s.onload = function () { resolve(window.ace); };
      s.onerror = reject;
      document.head.appendChild(s);
    }).then(function (ace) {
      // Static file names may be hashed (ManifestStaticFilesStorage): map Ace's modules.
      ace.config.setModuleUrl("ace/mode/json", host.dataset.modeJson);
      ace.config.setModuleUrl("ace/theme/tomorrow", host.dataset.theme);
      ace.config.setModuleUrl("ace/ext/language_tools", host.dataset.languageTools);
      return new Promise(function (resolve) { ace.config.loadModule("ace/ext/language_tools", function () { resolve(ace); }); });
    });
    return aceLoading;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; });
  }

  function loadServices() {
    if (catalog.services) return Promise.resolve(catalog.services);
    return getJSON(root().dataset.catalogUrl).then(function (data) {
      catalog.services = data ? data.services : [];
      catalog.globalKeys = data ? data.global_keys : [];
      return catalog.services;
    });
  }

  function loadService(prefix) {
    if (catalog.perService[prefix]) return Promise.resolve(catalog.perService[prefix]);
    if (!catalog.pending[prefix]) {
      catalog.pending[prefix] = getJSON(root().dataset.catalogUrl + encodeURIComponent(prefix) + "/").then(function (data) {
        catalog.perService[prefix] = data || { actions: [], condition_keys: [] };
        return catalog.perService[prefix];
      });
    }
    return catalog.pending[prefix];
  }

  // Every match is returned (no cap): Ace keeps filtering the first list while typing.
  var completer = {
    identifierRegexps: [/[a-zA-Z0-9_\-:\/\*\$\{\}\.]/],
    getCompletions: function (editor, session, pos, prefix, callback) {
      loadServices().then(function (services) {
        var out = [];
        var colon = prefix.indexOf(":");
        services.forEach(function (s) {
          out.push({ caption: s[0] + ":", value: s[0] + ":", meta: s[1], score: 10 });
        });
        catalog.globalKeys.forEach(function (k) {
          out.push({ caption: k[0], value: k[0].replace("${TagKey}", ""), meta: "global key · " + k[1], score: 5 });
        });
        if (colon <= 0) { callback(null, out); return; }
        var service = prefix.slice(0, colon).toLowerCase();
        loadService(service).then(function (data) {
          (data.actions || []).forEach(function (a) {
            out.push({ caption: service + ":" + a[0], value: service + ":" + a[0], meta: a[1], score: 20 });
          });
          (data.condition_keys || []).forEach(function (k) {
            out.push({ caption: k[0], value: k[0].replace(/\$\{[^}]*\}/, ""), meta: "condition key · " + k[1], score: 15 });
          });
          callback(null, out);
        });
      });
    }
  };

  function mount(textarea) {
    if (textarea.dataset.aceReady) return;
    textarea.dataset.aceReady = "1";
    loadAce().then(function (ace) {
      var host = document.createElement("div");
      host.className = "ace-host";
      host.setAttribute("data-testid", "ace-editor");
      textarea.insertAdjacentElement("afterend", host);
      textarea.classList.add("is-ace-backed");
      var editor = ace.edit(host, {
        mode: "ace/mode/json",
        theme: "ace/theme/tomorrow",
        useWorker: false,
        showPrintMargin: false,
        tabSize: 4,
        useSoftTabs: true,
        minLines: 18,
        maxLines: 40,
        enableBasicAutocompletion: [completer],
        enableLiveAutocompletion: [completer],
        fontSize: "13px"
      });
      var fromAce = false;
      editor.session.setValue(textarea.value);
      editor.session.on("change", function () {
        if (textarea.value === editor.getValue()) return;
        fromAce = true;
        textarea.value = editor.getValue();
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
        fromAce = false;
      });
      // Text put into the textarea by other code (or a test's fill) goes into Ace too.
      textarea.addEventListener("input", function () {
        if (!fromAce && textarea.value !== editor.getValue()) editor.session.setValue(textarea.value);
      });
      textarea.aceEditor = editor;
      host.aceEditor = editor;
      window.PolicyEditor.last = editor;
    });
  }

  function gotoFinding(item) {
    var container = item.closest("[data-policy-editor]") || document;
    var textarea = container.querySelector("textarea[data-ace]");
    var line = parseInt(item.dataset.line, 10) || 1;
    var column = parseInt(item.dataset.column, 10) || 1;
    if (textarea && textarea.aceEditor) {
      textarea.aceEditor.gotoLine(line, column - 1, true);
      textarea.aceEditor.focus();
    } else if (textarea) {
      var lines = textarea.value.split("\n");
      var offset = 0;
      for (var i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
      offset += column - 1;
      textarea.focus();
      textarea.setSelectionRange(offset, offset);
    }
  }

  function filterActions(input) {
    var scope = input.closest("fieldset, .field, #sim-actions, section") || document;
    var needle = input.value.trim().toLowerCase();
    scope.querySelectorAll(".sim-action").forEach(function (label) {
      label.hidden = needle !== "" && label.dataset.name.indexOf(needle) === -1;
    });
    if (needle) scope.querySelectorAll("details.visual-level").forEach(function (d) { d.open = true; });
  }

  function initAll(scope) {
    (scope || document).querySelectorAll("textarea[data-ace]").forEach(mount);
  }

  document.addEventListener("click", function (event) {
    var item = event.target.closest("[data-finding]");
    if (item) { event.preventDefault(); gotoFinding(item); }
  });
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-action-filter]")) filterActions(event.target);
  });
  document.addEventListener("htmx:load", function (event) { initAll(event.target); });
  // A form holding the visual editor: bring its JSON up to date from the fields before the
  // form leaves (a change event may still be on its way to the server).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var visual = form.querySelector(".visual-mode[data-sync-url]");
    if (!visual || form.dataset.visualSynced === "1") return;
    var submitter = event.submitter;
    if (submitter && submitter.getAttribute("formaction")) return;  // mode switches post the fields themselves
    event.preventDefault();
    var data = new FormData(form);
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    fetch(visual.dataset.syncUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": token ? token.value : "" }
    }).then(function (r) { return r.text(); }).then(function (html) {
      var slot = visual.querySelector(".visual-json-slot");
      if (slot) slot.innerHTML = html;
      form.dataset.visualSynced = "1";
      if (submitter) form.requestSubmit(submitter); else form.requestSubmit();
      form.dataset.visualSynced = "";
    });
  }, true);

  window.PolicyEditor = { initAll: initAll, gotoFinding: gotoFinding, last: null };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  } else {
    initAll(document);
  }
})();
