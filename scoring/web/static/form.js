// Score the form as it is filled: the result and the field errors, from the server.
"use strict";
(function () {
  var form = document.getElementById("facts");
  var result = document.getElementById("result");
  if (!form || !result || !window.fetch) { return; }
  var timer = null;
  function preview() {
    fetch(form.dataset.preview, { method: "POST", body: new FormData(form) })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer) { return; }
        result.innerHTML = answer.result;
        form.querySelectorAll(".error[data-field]").forEach(function (span) {
          span.textContent = answer.errors[span.dataset.field] || "";
        });
      })
      .catch(function () { /* the submit button still works */ });
  }
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(preview, 300);
  });
}());
