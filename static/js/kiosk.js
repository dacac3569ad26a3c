// Kiosk mode: the form keeps working when the connection drops. A completed form is checked here
// as the server checks it, kept in the tablet's queue (IndexedDB) with its one-time key and the
// moment it was filled, and sent oldest first whenever the server can be reached. An entry leaves
// the queue only when the server has acknowledged its key; one the server refuses is set aside,
// shown at the foot of the screen for the staff, and never sent again. Without IndexedDB the
// plain form is sent as it is.
(function () {
  "use strict";
  var manifest = document.querySelector('link[rel="manifest"]');
  if (!manifest || !window.indexedDB || !window.fetch || !window.Promise) return;
  var base = manifest.getAttribute("href").replace(/manifest\.webmanifest$/, "");
  var QUEUE_URL = base + "antrean/";
  var BATCH = 10;
  var MAX_BYTES = 40000;
  var RETRY_MS = 60000;
  var HIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\ufffd]/;
  var form = document.querySelector("form.survey");
  var wordsBox = document.getElementById("kiosk-words");
  var words = wordsBox ? wordsBox.dataset : {};
  var each = function (list, work) { Array.prototype.forEach.call(list, work); };

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(base + "sw.js", { scope: base }).catch(function () {});
  }

  // ---- The queue: two stores, "queue" (waiting) and "refused" (set aside) ----
  var opened = null;
  function database() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = indexedDB.open("skm-kiosk:" + base, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore("queue", { keyPath: "key" });
          request.result.createObjectStore("refused", { keyPath: "key" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opened;
  }
  function transact(stores, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(stores, "readwrite");
        var request = work(tx);
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function all(store) {
    return transact([store], function (tx) { return tx.objectStore(store).getAll(); }).then(function (rows) {
      return rows.sort(function (a, b) { return a.filled - b.filled; });
    });
  }
  function settle(batch, results) {
    var byKey = {};
    results.forEach(function (result) { byKey[result.key] = result; });
    var settled = 0;
    return transact(["queue", "refused"], function (tx) {
      batch.forEach(function (entry) {
        var result = byKey[entry.key];
        if (!result || result.status === "later") return;
        if (result.status === "refused") {
          entry.reason = result.reason;
          entry.message = result.message;
          tx.objectStore("refused").put(entry);
        }
        tx.objectStore("queue").delete(entry.key);
        settled += 1;
      });
    }).then(function () { return settled; });
  }

  // ---- Sending: oldest first, a batch at a time, until nothing moves ----
  var sending = false;
  function send() {
    return Promise.all([all("queue"), all("refused")]).then(function (stored) {
      var waiting = stored[0];
      var batch = [];
      var bytes = 0;
      waiting.some(function (entry) {  // the server reads at most 64 KB a request
        var size = new Blob([JSON.stringify(entry)]).size;
        if (batch.length && (batch.length === BATCH || bytes + size > MAX_BYTES)) return true;
        batch.push(entry);
        bytes += size;
      });
      var body = JSON.stringify({ entries: batch, queued: waiting.length, refused: stored[1].length });
      return fetch(QUEUE_URL, {
        method: "POST",
        credentials: "omit",
        cache: "no-store",
        headers: { "Content-Type": "application/json" },
        body: body
      }).then(function (response) { return response.json(); }).then(function (reply) {
        return settle(batch, reply.results || []).then(function (settled) {
          if (settled && batch.length) return send();
        });
      });
    });
  }
  function flush() {
    if (sending) return;
    sending = true;
    var done = function () { sending = false; report(); };
    send().then(done, done);
  }

  // ---- What waits and what was refused, at the foot of the screen ----
  function report() {
    Promise.all([all("queue"), all("refused")]).then(function (stored) {
      var waiting = document.getElementById("kiosk-waiting");
      if (waiting) waiting.textContent = stored[0].length ? words.waiting + " " + stored[0].length : "";
      var box = document.getElementById("kiosk-refused");
      if (!box) return;
      box.hidden = !stored[1].length;
      box.querySelector("summary").textContent = words.refused + " " + stored[1].length;
      var list = box.querySelector("ul");
      list.textContent = "";
      stored[1].forEach(function (entry) {
        var item = document.createElement("li");
        item.textContent = new Date(entry.filled).toLocaleString() + ": " + entry.message;
        list.appendChild(item);
      });
    }, function () {});
  }

  // The language switch leaves the worker's scope: with no connection it would end on an error page.
  var language = document.querySelector("form.language-switch");
  if (language) language.addEventListener("submit", function (event) { if (!navigator.onLine) event.preventDefault(); });

  report();
  flush();
  window.addEventListener("online", flush);
  window.setInterval(flush, RETRY_MS);
  if (!form) return;

  // ---- Checking a completed form as the server does ----
  function labelOf(control) {
    var group = control.closest("fieldset");
    var label = control.type === "radio" && group ? group.querySelector("legend") : form.querySelector('label[for="' + control.id + '"]');
    return label ? label.textContent.replace(/\s+/g, " ").trim() : control.name;
  }
  function problems() {
    var found = [];
    var seen = {};
    var number = 0;
    each(form.elements, function (control) {
      if (!control.name || control.closest(".hp")) return;
      if (control.type === "radio") {
        if (seen[control.name]) return;
        seen[control.name] = true;
        var chosen = form.querySelector('input[name="' + control.name + '"]:checked');
        if (control.name.indexOf("element_") === 0) {
          number += 1;
          if (!chosen) found.push([control, words.question.replace("%(number)s", number).replace("%(message)s", words.choose)]);
          return;
        }
        if (!chosen) { found.push([control, labelOf(control) + ": " + words.choose]); return; }
        var other = form.querySelector('[data-other-of="' + control.name + '"]');
        var text = other && other.querySelector("input");
        if (text && chosen.value === other.getAttribute("data-other-value") && !text.value.trim()) {
          found.push([text, labelOf(text) + ": " + words.other]);
        }
      } else if (control.type === "number") {
        var value = control.value.trim();
        var age = /^[0-9]{1,3}$/.test(value) ? Number(value) : NaN;
        if (!(age >= Number(control.min) && age <= Number(control.max))) found.push([control, labelOf(control) + ": " + words.age]);
      } else if (control.type === "text" || control.tagName === "TEXTAREA") {
        var limit = Number(control.getAttribute("maxlength")) || Infinity;
        if (control.value.length > limit) found.push([control, labelOf(control) + ": " + words.long]);
        else if (HIDDEN.test(control.value)) found.push([control, labelOf(control) + ": " + words.hidden]);
      }
    });
    return found;
  }
  function showProblems(found) {
    clearProblems();
    var summary = document.createElement("div");
    summary.className = "error-summary";
    summary.id = "error-summary";
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    summary.setAttribute("aria-labelledby", "error-summary-title");
    var title = document.createElement("h2");
    title.id = "error-summary-title";
    title.textContent = words.title;
    var list = document.createElement("ul");
    found.forEach(function (problem) {
      var box = problem[0].closest(".field, fieldset");
      if (box) box.classList.add("has-error");
      var link = document.createElement("a");
      link.href = "#" + problem[0].id;
      link.textContent = problem[1];
      var item = document.createElement("li");
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.appendChild(title);
    summary.appendChild(list);
    form.parentNode.insertBefore(summary, form);
    summary.focus();
  }
  function clearProblems() {
    var old = document.getElementById("error-summary");
    if (old) old.parentNode.removeChild(old);
    each(form.querySelectorAll(".has-error"), function (box) { box.classList.remove("has-error"); });
  }

  // ---- A completed form: queued, thanked, and a blank form again ----
  var started = Date.now();
  var button = form.querySelector("button[type=submit]");
  var thanks = document.getElementById("kiosk-thanks");
  var timer = null;
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }
  function entry() {
    var answers = {};
    var honeypot = "";
    each(form.elements, function (control) {
      if (!control.name || control.name === "csrfmiddlewaretoken" || control.name === "t") return;
      if (control.type === "radio" && !control.checked) return;
      if (control.type === "submit" || control.type === "button") return;
      if (control.closest(".hp")) honeypot = control.value;
      else answers[control.name] = control.value;
    });
    return { key: newKey(), started: started, filled: Date.now(), answers: answers, website: honeypot };
  }
  function enable() { window.setTimeout(function () { if (button) button.disabled = false; }, 0); }
  function thank() {
    clearProblems();
    document.body.classList.add("kiosk-thanking");
    thanks.hidden = false;
    thanks.querySelector("h1").focus();
    window.scrollTo(0, 0);
    timer = window.setTimeout(again, (Number(words.seconds) || 6) * 1000);
  }
  function again() {
    window.clearTimeout(timer);
    if (document.documentElement.lang !== "id") {  // the next visitor starts in Bahasa Indonesia
      document.cookie = "django_language=; Max-Age=0; path=/";
      window.location.replace(base);
      return;
    }
    form.reset();
    clearProblems();
    each(form.querySelectorAll("[data-other-of]"), function (box) {
      var radio = form.querySelector('input[name="' + box.getAttribute("data-other-of") + '"]');
      if (radio) radio.dispatchEvent(new Event("change"));
    });
    thanks.hidden = true;
    document.body.classList.remove("kiosk-thanking");
    window.scrollTo(0, 0);
    started = Date.now();
    enable();
  }
  document.getElementById("kiosk-again").addEventListener("click", again);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var found = problems();
    if (found.length) { showProblems(found); enable(); return; }
    transact(["queue"], function (tx) { return tx.objectStore("queue").put(entry()); }).then(function () {
      thank();
      flush();
    }, function () { form.submit(); });
  });
})();
