// The scoring pages' service worker (served at /selection/offline-worker.js, scope /selection/).
// Loaded by static/js/offline.js on the scoring pages; selection/scoring_views.py says which
// pages it may keep.
//
// - Pages: network first, so fresh data wins whenever the network answers. A page is kept only
//   when the server marks it (X-KBO-Offline: keep: this member's scoring pages of a round they
//   can still score); an answer without the mark drops the copy (the round has closed, the
//   member has submitted). When the network fails, the kept copy is shown.
// - Static files: kept as they are fetched. A file whose name carries its content's hash
//   (production) never changes, so the copy is used first; others are fetched first.
// - Images on a kept page (the products' thumbnails): kept, and used when the network fails.
// offline.js also fills the cache itself when the member opens a round (every scoring page and
// its images), and empties it when the person signs out or another person signs in.
// Saves never pass through here: offline.js keeps them in IndexedDB and sends them itself, so
// nothing depends on Background Sync (Safari has none).

var CACHE = "kbo-offline-v1";
var KEEP_HEADER = "X-KBO-Offline";
var HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;
// A page the network has not answered after this long is taken from the cache, if kept.
var PAGE_TIMEOUT_MS = 6000;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("kbo-offline") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function kept(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, {ignoreVary: true, ignoreSearch: false});
  });
}

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
                 function (error) { clearTimeout(timer); reject(error); });
  });
}

function page(request) {
  return kept(request).then(function (copy) {
    var network = fetch(request).then(function (response) {
      var url = request.url;
      if (copy && response.status >= 500) {
        return copy;  // the server is down behind its proxy: the kept copy is better
      }
      return caches.open(CACHE).then(function (cache) {
        if (response.ok && !response.redirected && response.headers.get(KEEP_HEADER) === "keep") {
          return cache.put(url, response.clone());
        }
        if (response.ok || response.redirected || response.status === 403 || response.status === 404) {
          // A round's list no longer kept (the member submitted, scoring closed): its scoring
          // pages go too.
          var round = /\/score\/$/.test(new URL(url).pathname) ? url : null;
          return cache.keys().then(function (requests) {
            return Promise.all(requests.filter(function (kept) {
              return kept.url === url || (round && kept.url.indexOf(round) === 0);
            }).map(function (kept) { return cache.delete(kept, {ignoreVary: true}); }));
          });
        }
      }).then(function () { return response; });
    });
    if (!copy) {
      return network;
    }
    return withTimeout(network, PAGE_TIMEOUT_MS).catch(function () { return copy; });
  });
}

function staticFile(request) {
  var url = new URL(request.url);
  var store = function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  };
  if (HASHED.test(url.pathname)) {
    return kept(request).then(function (copy) { return copy || fetch(request).then(store); });
  }
  return fetch(request).then(store).catch(function () {
    return kept(request).then(function (copy) { return copy || Response.error(); });
  });
}

function image(request) {
  return fetch(request).then(function (response) {
    if (!response.ok || !request.referrer) {
      return response;
    }
    // Kept only when it shows on a kept page.
    return kept(new Request(request.referrer)).then(function (onKeptPage) {
      if (onKeptPage) {
        var copy = response.clone();
        return caches.open(CACHE).then(function (cache) { return cache.put(request, copy); })
          .then(function () { return response; });
      }
      return response;
    });
  }).catch(function () {
    return kept(request).then(function (copy) { return copy || Response.error(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(request));
  } else if (request.destination === "image") {
    event.respondWith(image(request));
  }
});
