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
