// Newsdesk back office. Without this script every form still works (the body is a plain HTML
// text area); with it, the body is edited in Quill, a rich-text editor, and pasting from Word,
// LibreOffice or Google Docs keeps headings, lists, tables, links, bold and italic and drops
// everything else.
(function () {
  "use strict";
  // Sends one photo (and its description, and optionally its caption and credit) to the media
  // library, its texts in the article's language; resolves to the library's answer,
  // `{ ok, id, thumb, src }` or `{ ok: false, error }`.
  function uploadPhoto(file, alt, csrf, more) {
    var body = new FormData();
    body.append("file", file, file.name);
    body.append("alt", alt);
    if (more && more.caption) { body.append("caption", more.caption); }
    if (more && more.credit) { body.append("credit", more.credit); }
    var lang = document.getElementById("lang");
    if (lang && lang.value) { body.append("lang", lang.value); }
    return fetch("/admin/media", {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return { ok: false, error: response.status + " " + response.statusText }; });
    });
  }
  // The lead-photo picker (further down, in its own scope) uploads the same way.
  window.newsdeskUploadPhoto = uploadPhoto;
  var field = document.getElementById("body");
  var holder = document.getElementById("body-editor");
  // Pasted headings keep their order of importance under the article's title (the page's
  // H1): the document's top level becomes H2 and the next H3, whatever levels the word
  // processor used ("Heading 1" in Word or LibreOffice is the article's first subheading).
  var pasteTop = 2;
  var headingLevel = function (node, delta) {
    var level = parseInt(node.tagName.slice(1), 10) - pasteTop + 2;
    level = Math.max(2, Math.min(3, level));
    delta.ops.forEach(function (op) {
      if (op.attributes && op.attributes.header) { op.attributes.header = level; }
    });
    return delta;
  };
  // Bold and italic given as inline styles (Google Docs writes `<span style="font-weight:700">`,
  // Word on the web `font-weight:bold`). Quill reads them from `node.style`, which stays empty
  // under the back office's Content-Security-Policy (no inline styles are applied, not even in
  // pasted HTML), so read the attribute's text instead.
  function inlineStyles(node, delta) {
    var style = node.getAttribute("style") || "";
    var formats = {};
    if (/font-weight\s*:\s*(bold|[6-9]00)/i.test(style)) { formats.bold = true; }
    if (/font-style\s*:\s*italic/i.test(style)) { formats.italic = true; }
    if (!formats.bold && !formats.italic) { return delta; }
    delta.ops.forEach(function (op) {
      if (typeof op.insert === "string") { op.attributes = Object.assign({}, op.attributes || {}, formats); }
    });
    return delta;
  }
  // Photos in the text: uploaded to the library with their description (required: a photo
  // nobody can read stops the publication) and inserted where the cursor was.
  var textPhoto = document.getElementById("text-photo");
  var photoAt = 0;
  function openTextPhoto(quill) {
    if (!textPhoto) { return; }
    var range = quill.getSelection(true);
    photoAt = range ? range.index : quill.getLength();
    textPhoto.hidden = false;
    document.getElementById("text-photo-file").focus();
  }
  function insertTextPhoto(quill) {
    var fileInput = document.getElementById("text-photo-file");
    var altInput = document.getElementById("text-photo-alt");
    var captionInput = document.getElementById("text-photo-caption");
    var creditInput = document.getElementById("text-photo-credit");
    var status = document.getElementById("text-photo-status");
    var tell = function (key, name, error) {
      status.textContent = (textPhoto.getAttribute(key) || "").replace("{name}", name || "").replace("{error}", error || "");
    };
    var file = fileInput.files && fileInput.files[0];
    if (!file) { fileInput.focus(); return; }
    var alt = altInput.value.trim();
    if (!alt) { tell("data-need-alt"); altInput.focus(); return; }
    tell("data-uploading", file.name);
    var more = { caption: captionInput.value.trim(), credit: creditInput.value.trim() };
    uploadPhoto(file, alt, textPhoto.getAttribute("data-csrf"), more)
    .then(function (data) {
      if (!data.ok) { tell("data-failed", file.name, data.error); return; }
      // On a line of its own, as readers see it: a figure with its caption under it.
      var at = photoAt;
      if (at > 0 && quill.getText(at - 1, 1) !== "\n") { quill.insertText(at, "\n", "user"); at += 1; }
      quill.insertEmbed(at, "image", data.src, "user");
      if (quill.getText(at + 1, 1) !== "\n") { quill.insertText(at + 1, "\n", "user"); }
      quill.formatText(at, 1, "alt", alt, "user");
      Array.prototype.forEach.call(quill.root.querySelectorAll("img"), function (img) {
        if (img.getAttribute("src") === data.src && !img.getAttribute("alt")) { img.setAttribute("alt", alt); }
      });
      quill.setSelection(at + 1, 0, "user");
      // The description was set on the element itself: bring the form's field up to date.
      field.value = quill.getSemanticHTML().replace(/&nbsp;/g, " ");
      markDirty();
      fileInput.value = "";
      altInput.value = "";
      captionInput.value = "";
      creditInput.value = "";
      tell("data-done", file.name);
    }, function (error) { tell("data-failed", file.name, String(error)); });
  }
  if (field && holder && window.Quill) {
    holder.addEventListener("paste", function (e) {
      var html = e.clipboardData ? e.clipboardData.getData("text/html") : "";
      var levels = (html.match(/<h[1-6][\s>]/gi) || []).map(function (tag) { return parseInt(tag.charAt(2), 10); });
      pasteTop = levels.length ? Math.min.apply(null, levels) : 2;
    }, true);
    var quill = new window.Quill(holder, {
      theme: "snow",
      formats: ["header", "bold", "italic", "link", "list", "blockquote", "table", "image"],
      modules: {
        // Tables: typed with the toolbar's table button, or pasted from a word processor.
        table: true,
        // Tab and Shift+Tab move between the form's fields, as everywhere else, instead of
        // inserting tab characters (or indenting lists) that would be saved into the text.
        keyboard: {
          bindings: {
            tab: { key: "Tab", handler: function () { return true; } },
            // Ctrl+M (Cmd+M on a Mac) inserts a tab character, for the rare text that needs one.
            tabCharacter: { key: "m", shortKey: true, handler: function (range) {
              this.quill.insertText(range.index, "\t", "user");
              this.quill.setSelection(range.index + 1, 0, "user");
              return false;
            } },
            indent: { key: "Tab", format: ["blockquote", "indent", "list"], handler: function () { return true; } },
            outdent: { key: "Tab", shiftKey: true, format: ["blockquote", "indent", "list"], handler: function () { return true; } }
          }
        },
        toolbar: {
          container: [
            [{ header: [2, 3, false] }],
            ["bold", "italic", "link"],
            [{ list: "ordered" }, { list: "bullet" }],
            ["blockquote", "table", "image", "clean"]
          ],
          // The table button inserts a table of three rows and three columns; the photo
          // button opens the panel that uploads a photo with its description (below).
          handlers: {
            table: function () { this.quill.getModule("table").insertTable(3, 3); },
            image: function () { openTextPhoto(this.quill); }
          }
        },
        clipboard: { matchers: [
          ["H1, H2, H3, H4, H5, H6", function (node, delta) { return headingLevel(node, delta); }],
          ["SPAN, FONT, A", inlineStyles]
        ] }
      }
    });
    // The table button gets an icon (Quill's snow theme has none for it).
    var tableButton = holder.previousElementSibling && holder.previousElementSibling.querySelector("button.ql-table");
    if (tableButton) {
      tableButton.innerHTML = "<svg viewBox='0 0 18 18' aria-hidden='true'><rect class='ql-stroke' x='3' y='3' width='12' height='12'/><line class='ql-stroke' x1='3' y1='7.5' x2='15' y2='7.5'/><line class='ql-stroke' x1='3' y1='11.5' x2='15' y2='11.5'/><line class='ql-stroke' x1='9' y1='3' x2='9' y2='15'/></svg>";
    }
    // The toolbar speaks the back office's language: each button and the heading picker get a
    // name (read by screen readers, shown as a tooltip) from the page's data-label-* attributes.
    var toolbar = holder.previousElementSibling;
    var named = function (selector, label) {
      var text = holder.getAttribute("data-label-" + label);
      if (!toolbar || !text) { return; }
      Array.prototype.forEach.call(toolbar.querySelectorAll(selector), function (el) {
        el.setAttribute("aria-label", text);
        el.setAttribute("title", text);
      });
    };
    named("button.ql-bold", "bold");
    named("button.ql-italic", "italic");
    named("button.ql-link", "link");
    named("button.ql-list[value=ordered]", "list-ordered");
    named("button.ql-list[value=bullet]", "list-bullet");
    named("button.ql-blockquote", "blockquote");
    named("button.ql-clean", "clean");
    named("button.ql-table", "table");
    named("button.ql-image", "image");
    named(".ql-header .ql-picker-label", "header");
    named(".ql-header .ql-picker-item[data-value='2']", "header-2");
    named(".ql-header .ql-picker-item[data-value='3']", "header-3");
    named(".ql-header .ql-picker-item:not([data-value])", "paragraph");
    quill.setContents(quill.clipboard.convert({ html: field.value }), "silent");
    field.hidden = true;
    holder.hidden = false;
    var label = document.querySelector("label[for=body]");
    if (label) {
      label.addEventListener("click", function () { quill.focus(); });
    }
    // A named multi-line text box to assistive technology (an aria-label on a bare div is not
    // allowed, and says nothing about what the element is).
    quill.root.setAttribute("role", "textbox");
    quill.root.setAttribute("aria-multiline", "true");
    if (document.getElementById("body-keys")) { quill.root.setAttribute("aria-describedby", "body-keys"); }
    quill.root.setAttribute("aria-label", label ? label.textContent : "Body");
    // Quill 2.0.3's getSemanticHTML() turns every space into &nbsp; (upstream issue 4509),
    // which would stop published text from wrapping; put the spaces back.
    var sync = function () { field.value = quill.getSemanticHTML().replace(/&nbsp;/g, " "); };
    quill.on("text-change", sync);
    field.form.addEventListener("submit", sync);
    quill.on("text-change", function (delta, old, source) {
      if (source === "user") { markDirty(); }
    });
    window.newsdeskEditor = quill;
    if (textPhoto) {
      // A photo dropped on or pasted into the text goes through the same panel: it needs its
      // description before it goes in (Quill would otherwise put the file's bytes in the text).
      var takeFiles = function (event, files) {
        var photos = Array.prototype.filter.call(files || [], function (f) { return /^image\//.test(f.type); });
        if (!photos.length) { return; }
        event.preventDefault();
        event.stopPropagation();
        var chosen = new DataTransfer();
        chosen.items.add(photos[0]);
        openTextPhoto(quill);
        var fileInput = document.getElementById("text-photo-file");
        fileInput.files = chosen.files;
        document.getElementById("text-photo-alt").focus();
      };
      quill.root.addEventListener("drop", function (e) { takeFiles(e, e.dataTransfer && e.dataTransfer.files); }, true);
      quill.root.addEventListener("paste", function (e) { takeFiles(e, e.clipboardData && e.clipboardData.files); }, true);
      document.getElementById("text-photo-go").addEventListener("click", function () { insertTextPhoto(quill); });
      document.getElementById("text-photo-close").addEventListener("click", function () {
        textPhoto.hidden = true;
        quill.focus();
      });
    }
  }
  // Leaving a form with unsaved changes asks first (the browser's own question); saving or
  // any other submit of the form does not.
  var dirty = false;
  function markDirty() { dirty = true; }
  // The preview opens in another tab: the text is not saved by it.
  function opensElsewhere(event) {
    return !!(event.submitter && event.submitter.getAttribute("formtarget") === "_blank");
  }
  var watched = document.querySelector("form[data-unsaved]");
  if (watched) {
    watched.addEventListener("input", markDirty);
    watched.addEventListener("change", markDirty);
    watched.addEventListener("submit", function (event) {
      if (!opensElsewhere(event)) { dirty = false; }
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    window.newsdeskDirty = function () { return dirty; };
  }
  // Text kept in this browser while the server could not be reached, offered back: "Put it
  // back" fills the form with it (saving then meets any newer save as a conflict, as usual),
  // "Discard" forgets it. A copy that says what the form already says is dropped silently.
  function offerLocalCopy(key, formBody) {
    var kept;
    try { kept = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { kept = null; }
    if (!kept || typeof kept.form !== "string") { return; }
    var copy = new URLSearchParams(kept.form);
    var now = formBody();
    var differs = ["title", "lead", "body"].some(function (name) { return (copy.get(name) || "") !== (now.get(name) || ""); });
    if (!differs) { window.localStorage.removeItem(key); return; }
    var note = document.createElement("div");
    note.className = "notice unsaved";
    note.setAttribute("role", "status");
    var text = document.createElement("p");
    var when = new Date(kept.at);
    text.textContent = (watched.getAttribute("data-local-found") || "").replace("{when}", when.toLocaleString());
    var actions = document.createElement("div");
    actions.className = "inline-actions";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.textContent = watched.getAttribute("data-local-restore") || "";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "secondary";
    discard.textContent = watched.getAttribute("data-local-discard") || "";
    actions.appendChild(restore);
    actions.appendChild(discard);
    note.appendChild(text);
    note.appendChild(actions);
    watched.parentNode.parentNode.insertBefore(note, watched.parentNode);
    restore.addEventListener("click", function () {
      copy.forEach(function (value, name) {
        if (name === "csrf" || name === "version") { return; }
        var input = watched.elements.namedItem(name);
        if (!input || input.type === "hidden" || input.type === "radio" || input.type === "checkbox") { return; }
        input.value = value;
      });
      if (window.newsdeskEditor && copy.has("body")) {
        var editor = window.newsdeskEditor;
        editor.setContents(editor.clipboard.convert({ html: copy.get("body") }), "user");
      }
      markDirty();
      note.remove();
      var title = document.getElementById("title");
      if (title) { title.focus(); }
    });
    discard.addEventListener("click", function () {
      window.localStorage.removeItem(key);
      note.remove();
    });
  }
  // Autosave: what was typed since the last autosave is sent every few seconds and when the
  // page is hidden or left, for this person alone (the server keeps it beside the article,
  // never over it). Saving the form for real stops it.
  var autosaveUrl = watched && watched.getAttribute("data-autosave");
  if (autosaveUrl && window.fetch && window.URLSearchParams && window.FormData) {
    var status = document.getElementById("autosave-status");
    var pending = false;
    var sending = false;
    var submitted = false;
    var say = function (text, failed) {
      if (!status) { return; }
      status.hidden = false;
      status.textContent = text;
      status.classList.toggle("failed", !!failed);
    };
    var formBody = function () {
      var body = new URLSearchParams();
      new FormData(watched).forEach(function (value, key) {
        if (typeof value === "string" && key !== "action") { body.append(key, value); }
      });
      return body;
    };
    // A copy in this browser too, for when the server cannot be reached (offline, a dropped
    // connection): kept until an autosave or a save reaches the server, offered back on the
    // next visit of this page.
    var localKey = "newsdesk:unsaved:" + autosaveUrl;
    var keepLocally = function () {
      try {
        window.localStorage.setItem(localKey, JSON.stringify({ at: Date.now(), form: formBody().toString() }));
      } catch (e) { /* storage full or refused: the server copy is all there is */ }
    };
    var forgetLocally = function () {
      try { window.localStorage.removeItem(localKey); } catch (e) { /* nothing kept */ }
    };
    var send = function () {
      if (!pending || sending || submitted) { return; }
      keepLocally();
      pending = false;
      sending = true;
      fetch(autosaveUrl, {
        method: "POST",
        body: formBody(),
        credentials: "same-origin",
        headers: { "X-CSRF-Token": watched.getAttribute("data-csrf"), "Accept": "application/json" }
      }).then(function (response) {
        return response.json().catch(function () { return { ok: false }; });
      }).then(function (data) {
        sending = false;
        if (data.ok) {
          forgetLocally();
          say(data.message, false);
        } else {
          pending = true;
          say(data.message || watched.getAttribute("data-autosave-failed"), true);
        }
      }, function () {
        sending = false;
        pending = true;
        say(watched.getAttribute("data-autosave-failed"), true);
      });
    };
    var changed = function () { pending = true; };
    watched.addEventListener("input", changed);
    watched.addEventListener("change", changed);
    if (window.newsdeskEditor) {
      window.newsdeskEditor.on("text-change", function (delta, old, source) {
        if (source === "user") { changed(); }
      });
    }
    watched.addEventListener("submit", function (event) {
      if (!opensElsewhere(event)) { submitted = true; pending = false; forgetLocally(); }
    });
    offerLocalCopy(localKey, formBody);
    say(status ? status.textContent : "", false);
    var timer = window.setInterval(send, 5000);
    // Leaving or hiding the page: one last autosave that outlives the page.
    var last = function () {
      if (pending && !submitted) { keepLocally(); }
      if (!pending || submitted || !navigator.sendBeacon) { return; }
      if (navigator.sendBeacon(autosaveUrl, formBody())) { pending = false; }
    };
    window.addEventListener("pagehide", last);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { last(); }
    });
    window.newsdeskAutosave = { now: send, stop: function () { window.clearInterval(timer); } };
  }
  // Signing out forgets the text this browser kept, so the next person at a shared computer is
  // not offered it.
  document.addEventListener("submit", function (event) {
    if (!event.target.matches || !event.target.matches("form[action='/admin/logout']")) { return; }
    try {
      Object.keys(window.localStorage).forEach(function (key) {
        if (key.indexOf("newsdesk:unsaved:") === 0) { window.localStorage.removeItem(key); }
      });
    } catch (e) { /* nothing kept */ }
  });
  // Buttons that destroy or publish ask first.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
// Photos. The library's upload form works without this; with it, photos dropped on the drop
// zone are uploaded one after another with fetch (CSRF token in the X-CSRF-Token header),
// each reported in a live region. In the editor, the lead-photo picker shows the chosen photo.
(function () {
  "use strict";
  var form = document.getElementById("media-upload-form");
  var zone = document.getElementById("media-drop");
  if (form && zone && window.fetch && window.FormData) {
    var list = zone.querySelector(".drop-status");
    var csrf = form.getAttribute("data-csrf");
    var max = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
    var fill = function (template, name, error) {
      return (template || "").replace("{name}", name).replace("{error}", error || "");
    };
    var say = function (text, failed) {
      var item = document.createElement("li");
      item.textContent = text;
      if (failed) { item.className = "failed"; }
      list.appendChild(item);
      return item;
    };
    var uploadAll = function (files) {
      var queue = Array.prototype.slice.call(files);
      var lastId = 0;
      var failures = 0;
      var next = function () {
        var file = queue.shift();
        if (!file) {
          if (lastId && !failures) {
            window.location.href = "/admin/media?uploaded=" + lastId + "#media-" + lastId;
          }
          return;
        }
        if (max && file.size > max) {
          failures += 1;
          say(fill(zone.getAttribute("data-failed"), file.name, zone.getAttribute("data-too-large")), true);
          next();
          return;
        }
        var line = say(fill(zone.getAttribute("data-uploading"), file.name));
        var body = new FormData();
        body.append("file", file, file.name);
        var fail = function (message) {
          failures += 1;
          line.textContent = fill(zone.getAttribute("data-failed"), file.name, message);
          line.className = "failed";
        };
        fetch("/admin/media", {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRF-Token": csrf, "Accept": "application/json" }
        }).then(function (response) {
          return response.json().catch(function () {
            return { ok: false, error: response.status + " " + response.statusText };
          });
        }).then(function (data) {
          if (data.ok) {
            lastId = data.id;
            line.textContent = fill(zone.getAttribute("data-done"), file.name);
          } else {
            fail(data.error);
          }
          next();
        }, function (error) {
          fail(String(error));
          next();
        });
      };
      next();
    };
    zone.hidden = false;
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("over");
      });
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("over");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        uploadAll(event.dataTransfer.files);
      }
    });
    // A photo dropped beside the zone must not replace the page.
    ["dragover", "drop"].forEach(function (name) {
      document.addEventListener(name, function (event) { event.preventDefault(); });
    });
  }
  var select = document.getElementById("lead_image");
  var preview = document.getElementById("lead-image-preview");
  // Without a lead photo the page has no image element (an <img> needs a source); one is
  // made here for the picker to show the photo chosen.
  if (select && !preview) {
    preview = document.createElement("img");
    preview.id = "lead-image-preview";
    preview.alt = "";
    preview.hidden = true;
    select.parentNode.appendChild(preview);
  }
  // A photo uploaded from the editor joins the picker and is chosen, without leaving the page.
  var leadUpload = document.getElementById("lead-upload");
  if (select && leadUpload && window.fetch && window.FormData) {
    leadUpload.hidden = false;
    var fileInput = document.getElementById("lead-upload-file");
    var altInput = document.getElementById("lead-upload-alt");
    var leadStatus = document.getElementById("lead-upload-status");
    var tell = function (key, name, error) {
      leadStatus.textContent = (leadUpload.getAttribute(key) || "").replace("{name}", name).replace("{error}", error || "");
    };
    document.getElementById("lead-upload-go").addEventListener("click", function () {
      var file = fileInput.files && fileInput.files[0];
      if (!file) { fileInput.focus(); return; }
      tell("data-uploading", file.name);
      window.newsdeskUploadPhoto(file, altInput.value, leadUpload.getAttribute("data-csrf"))
      .then(function (data) {
        if (!data.ok) { tell("data-failed", file.name, data.error); return; }
        var option = document.createElement("option");
        option.value = String(data.id);
        option.setAttribute("data-thumb", data.thumb);
        option.textContent = altInput.value || file.name;
        select.appendChild(option);
        select.value = option.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        fileInput.value = "";
        altInput.value = "";
        tell("data-done", file.name);
      }, function (error) { tell("data-failed", file.name, String(error)); });
    });
  }
  if (select && preview) {
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var thumb = option && option.getAttribute("data-thumb");
      if (thumb) {
        preview.src = thumb;
        preview.hidden = false;
      } else {
        preview.hidden = true;
        preview.removeAttribute("src");
      }
    });
  }
})();
