// Redoc for the page /redoc: the OpenAPI URL comes from the page (no inline script).
(function () {
  "use strict";
  var el = document.getElementById("redoc");
  var config = JSON.parse(el.getAttribute("data-config"));
  Redoc.init(config.url, { hideDownloadButton: false }, el);
})();
