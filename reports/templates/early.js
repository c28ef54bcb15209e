/* Collected before anything else runs, so the page can report its own errors. */
window.__problems = [];
window.addEventListener("error", function (e) { window.__problems.push("error: " + e.message); });
document.addEventListener("securitypolicyviolation", function (e) { window.__problems.push("blocked: " + e.violatedDirective); });
(function () {
  var original = console.error;
  console.error = function () { window.__problems.push("console: " + Array.prototype.join.call(arguments, " ")); return original.apply(console, arguments); };
})();
