// Swagger UI for the page /docs: the OpenAPI URL comes from the page (no inline script).
(function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  var config = JSON.parse(el.getAttribute("data-config"));
  window.ui = SwaggerUIBundle({
    url: config.url,
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    layout: "BaseLayout",
  });
})();
