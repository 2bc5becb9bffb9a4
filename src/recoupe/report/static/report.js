// Highlight the targeted span on a source page, including the parts of a span
// split around another one, and filter the events list as one types.
(function () {
  "use strict";

  function highlight() {
    document.querySelectorAll("mark.hl").forEach(function (el) { el.classList.remove("hl"); });
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id || id.indexOf("s-") !== 0) { return; }
    var parts = document.querySelectorAll('mark[data-span="' + id + '"]');
    parts.forEach(function (el) { el.classList.add("hl"); });
    if (parts.length) {
      parts[0].scrollIntoView({ block: "center" });
      parts[0].focus({ preventScroll: true });
    }
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setUpFilter() {
    var box = document.querySelector(".quick-filter");
    var input = document.getElementById("quick-filter");
    if (!box || !input) { return; }
    box.hidden = false;
    // Space-separated ids: the main events and the briefs filter together.
    var lists = input.getAttribute("data-filter-target").split(/\s+/)
      .map(function (id) { return document.getElementById(id); })
      .filter(Boolean);
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      lists.forEach(function (list) {
        list.querySelectorAll("[data-search]").forEach(function (item) {
          var text = fold(item.getAttribute("data-search"));
          item.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
        });
      });
    });
  }

  window.addEventListener("hashchange", highlight);
  document.addEventListener("DOMContentLoaded", function () {
    highlight();
    setUpFilter();
  });
}());
