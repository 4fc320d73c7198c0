// storyline pages: small progressive enhancements; every page works without them.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // "/" focuses the search box, as on many sites.
  var box = document.getElementById("search-box");
  document.addEventListener("keydown", function (event) {
    var tag = (event.target && event.target.tagName) || "";
    if (event.key === "/" && box && !/^(INPUT|TEXTAREA|SELECT)$/.test(tag)) {
      event.preventDefault();
      box.focus();
    }
  });
  // The article page's "show reused passages" switch.
  var toggle = document.getElementById("toggle-reused");
  if (toggle) {
    toggle.addEventListener("change", function () {
      document.body.classList.toggle("hide-reused", !toggle.checked);
    });
  }
});
