// Newsdesk back office. Without this script every form still works (the body is a plain HTML
// text area); with it, the body is edited in Quill, a rich-text editor, and pasting from Word
// or Google Docs keeps headings, lists, links, bold and italic and drops everything else.
(function () {
  "use strict";
  var field = document.getElementById("body");
  var holder = document.getElementById("body-editor");
  if (field && holder && window.Quill) {
    var quill = new window.Quill(holder, {
      theme: "snow",
      formats: ["header", "bold", "italic", "link", "list", "blockquote"],
      modules: {
        toolbar: [
          [{ header: [2, 3, false] }],
          ["bold", "italic", "link"],
          [{ list: "ordered" }, { list: "bullet" }],
          ["blockquote", "clean"]
        ]
      }
    });
    quill.setContents(quill.clipboard.convert({ html: field.value }), "silent");
    field.hidden = true;
    holder.hidden = false;
    var label = document.querySelector("label[for=body]");
    if (label) {
      label.addEventListener("click", function () { quill.focus(); });
    }
    quill.root.setAttribute("aria-label", label ? label.textContent : "Body");
    var sync = function () { field.value = quill.getSemanticHTML(); };
    quill.on("text-change", sync);
    field.form.addEventListener("submit", sync);
    window.newsdeskEditor = quill;
  }
  // Buttons that destroy or publish ask first.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
