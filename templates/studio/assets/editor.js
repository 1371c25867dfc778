// The form editor's as-you-type check (studio/editor.py): after a pause in typing, the form's
// values are posted to <form action>/check with the session token, and the messages it returns
// are put next to their fields and in the summary. Same origin only; the form works without it.
(function () {
  "use strict";
  var form = document.querySelector("form.editor");
  if (!form) { return; }
  var state = document.getElementById("check-state");
  var summary = document.getElementById("summary");
  var list = document.getElementById("summary-list");
  var token = form.querySelector("input[name=token]").value;
  var timer = null;
  var sent = 0;

  function clear() {
    form.querySelectorAll("ul.messages").forEach(function (ul) { ul.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    list.textContent = "";
  }

  function item(message, withLink) {
    var li = document.createElement("li");
    li.className = message.severity;
    var badge = document.createElement("span");
    badge.className = "severity";
    badge.textContent = message.severity === "error" ? form.dataset.errorWord : form.dataset.warningWord;
    li.appendChild(badge);
    li.appendChild(document.createTextNode(" "));
    if (withLink && message.id) {
      var link = document.createElement("a");
      link.href = "#" + message.id;
      link.textContent = message.label;
      li.appendChild(link);
      li.appendChild(document.createTextNode(": "));
    }
    if (message.lang && message.lang !== document.documentElement.lang) {
      // The checks speak English only: isolated left to right, as the page's own messages are.
      var words = document.createElement("bdi");
      words.lang = message.lang;
      words.dir = "ltr";
      words.textContent = message.text;
      li.appendChild(words);
    } else {
      li.appendChild(document.createTextNode(message.text));
    }
    return li;
  }

  function show(result) {
    clear();
    result.messages.forEach(function (message) {
      list.appendChild(item(message, true));
      if (!message.id) { return; }
      var ul = document.getElementById(message.id + "-msg");
      if (ul) { ul.appendChild(item(message, false)); }
      var control = document.getElementById(message.id);
      if (control && message.severity === "error" && /^(INPUT|SELECT|TEXTAREA)$/.test(control.tagName)) {
        control.setAttribute("aria-invalid", "true");
      }
    });
    summary.classList.toggle("hidden", result.messages.length === 0);
    state.textContent = result.ok ? form.dataset.okWord : form.dataset.problemsWord;
  }

  function check() {
    var number = ++sent;
    state.textContent = form.dataset.checkingWord;
    fetch(form.dataset.check, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-Studio-Token": token }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (result) {
      if (number === sent) { show(result); }
    }).catch(function () {
      if (number === sent) { state.textContent = form.dataset.failedWord; }
    });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 700);
  }

  // Typed text takes its own direction; an empty field keeps the page's (see _form.html auto_dir).
  function direction(event) {
    var field = event.target;
    if (!field.hasAttribute || !field.hasAttribute("data-auto-dir")) { return; }
    if (field.value) { field.setAttribute("dir", "auto"); } else { field.removeAttribute("dir"); }
  }

  form.addEventListener("input", direction);
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  // After a refused save, take keyboard and screen-reader users to the list of what to fix.
  if (document.querySelector(".notice.refused") && !summary.classList.contains("hidden")) {
    summary.focus();
  }
})();
