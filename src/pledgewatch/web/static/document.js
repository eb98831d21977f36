// The document page: when the address points at a stance record (#stance-N) or at its
// evidence (#stance-N-text), highlight every piece of that evidence in the text, since one
// sentence can be cut into several <mark>s by overlapping records. No inline script (CSP).
(function () {
  "use strict";
  function highlight() {
    var match = /^#(stance-\d+)(-text)?$/.exec(window.location.hash);
    Array.prototype.forEach.call(document.querySelectorAll("mark.current"), function (mark) {
      mark.classList.remove("current");
    });
    if (!match) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("article.text mark"), function (mark) {
      var anchors = (mark.getAttribute("data-stances") || "").split(" ");
      if (anchors.indexOf(match[1]) >= 0) { mark.classList.add("current"); }
    });
  }
  window.addEventListener("hashchange", highlight);
  highlight();
}());
