// Progress while a form is being processed: the button is disabled and a status line
// says what is happening (the form still posts normally; nothing here is required).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var status = form.querySelector(".progress");
  var button = form.querySelector("button[type=submit]");
  if (status) { status.textContent = form.getAttribute("data-progress") || "Đang xử lý…"; }
  if (button) { setTimeout(function () { button.disabled = true; }, 0); }
});
