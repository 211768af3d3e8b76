// 复制引用: copy a passage's citation (title, date, text) to the clipboard.
(function () {
  "use strict";
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
    return Promise.resolve();
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (!button) { return; }
    copy(button.getAttribute("data-cite") || "").then(function () {
      var label = button.textContent;
      button.textContent = "已复制";
      button.classList.add("done");
      setTimeout(function () { button.textContent = label; button.classList.remove("done"); }, 1500);
    });
  });
  // Bring the passage named in the address (#p-N) into view, below the sticky header.
  window.addEventListener("load", function () {
    if (location.hash && location.hash.indexOf("#p-") === 0) {
      var target = document.getElementById(location.hash.slice(1));
      if (target) { target.classList.add("target"); target.scrollIntoView({block: "center"}); }
    }
  });
})();
