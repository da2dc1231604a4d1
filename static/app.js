// Progressive enhancement only: every page works without this file.
// "Go back" links point to the article's place in the archive; when the reader came from a
// page of this site, take them back to exactly where they were instead.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-back]");
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
  var ref = document.referrer;
  if (ref && ref.indexOf(location.origin + "/") === 0 && history.length > 1) {
    event.preventDefault();
    history.back();
  }
});
// A video placeholder's play button loads the host's player in its place (nothing is requested
// from the host before); without this script it is a link to the video on its host.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-player]");
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  var frame = document.createElement("iframe");
  frame.src = link.getAttribute("data-player");
  frame.title = link.getAttribute("data-title") || "";
  frame.className = "video-player";
  frame.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture; fullscreen");
  frame.setAttribute("allowfullscreen", "");
  frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
  link.replaceWith(frame);
  frame.focus();
});
// A gallery's photos open in a viewer: a modal dialog with the photo, its caption, previous
// and next buttons, the arrow keys, and Escape to close (focus goes back to the photo's link).
// Without this script each photo is a link to its large version.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.gallery-link");
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  var gallery = link.closest(".gallery");
  if (!gallery || typeof HTMLDialogElement !== "function") return;
  event.preventDefault();
  var links = Array.prototype.slice.call(gallery.querySelectorAll("a.gallery-link"));
  var index = links.indexOf(link);
  var dialog = document.createElement("dialog");
  dialog.className = "gallery-viewer";
  dialog.setAttribute("aria-label", gallery.getAttribute("data-title") || "");
  var figure = document.createElement("figure");
  var image = document.createElement("img");
  var caption = document.createElement("figcaption");
  var counter = document.createElement("p");
  counter.className = "gallery-counter";
  // What a screen reader hears on each turn: the position, the photo's description, its caption.
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("aria-live", "polite");
  figure.appendChild(image);
  figure.appendChild(caption);
  function button(name, label, handler) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "gallery-" + name;
    b.textContent = label;
    b.addEventListener("click", handler);
    return b;
  }
  var nav = document.createElement("div");
  nav.className = "gallery-nav";
  nav.appendChild(button("previous", gallery.getAttribute("data-previous"), function () { show(index - 1); }));
  nav.appendChild(counter);
  nav.appendChild(button("next", gallery.getAttribute("data-next"), function () { show(index + 1); }));
  var close = button("close", gallery.getAttribute("data-close"), function () { dialog.close(); });
  dialog.appendChild(close);
  dialog.appendChild(figure);
  dialog.appendChild(nav);
  dialog.appendChild(status);
  function show(i) {
    index = (i + links.length) % links.length;
    var current = links[index];
    var thumb = current.querySelector("img");
    image.src = current.getAttribute("href");
    image.alt = thumb ? thumb.alt : "";
    var text = current.closest("figure").querySelector("figcaption");
    caption.textContent = text ? text.textContent : "";
    counter.textContent = (gallery.getAttribute("data-position") || "{n} / {total}")
      .replace("{n}", index + 1).replace("{total}", links.length);
    status.textContent = [counter.textContent, image.alt, caption.textContent].filter(Boolean).join(". ");
  }
  dialog.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight") { e.preventDefault(); show(index + 1); }
    if (e.key === "ArrowLeft") { e.preventDefault(); show(index - 1); }
  });
  dialog.addEventListener("close", function () {
    var back = links[index];
    dialog.remove();
    back.focus();
  });
  document.body.appendChild(dialog);
  show(index);
  dialog.showModal();
  close.focus();
});
