// The kiosk's service worker (scope: this kiosk's URL only). It keeps the form page and its
// assets, so the kiosk opens and works with no connection; the queue itself is kiosk.js's.
"use strict";
var CACHE = "skm-kiosk-__VERSION__";
var FORM = {{ form_url|safe }};
var ASSETS = {{ assets|safe }};
var WAIT_MS = 6000; // a weak connection gets this long before the kept page is shown

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(ASSETS.concat([FORM]));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("skm-kiosk-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function keptForm() {
  return caches.match(FORM, { ignoreSearch: true, ignoreVary: true }).then(function (hit) {
    return hit || Response.error();
  });
}

function freshForm(request) {
  var fetched = fetch(request).then(function (response) {
    if (response.ok && request.method === "GET" && new URL(request.url).pathname === FORM) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(FORM, copy); });
    }
    return response;
  });
  var late = new Promise(function (resolve) {
    setTimeout(function () {
      caches.match(FORM, { ignoreSearch: true, ignoreVary: true }).then(function (hit) { if (hit) resolve(hit); });
    }, WAIT_MS);
  });
  return Promise.race([fetched, late]).catch(keptForm);
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(freshForm(request));
  } else if (request.method === "GET" && ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
  }
});
