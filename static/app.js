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
