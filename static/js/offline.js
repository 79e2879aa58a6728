// Scoring on flaky Wi-Fi (issue 14 §2). Loaded on every page (templates/base.html).
//
// On every page:
// - The offline copies belong to the person signed in (<meta name="kbo-user">). A page of
//   another person, or of nobody, empties the cache of pages and images; another person also
//   empties this device's queue. "Log out" first sends what waits (or asks before dropping it),
//   then empties everything, so the next person on the same phone reads nothing of it.
// - What waits in the queue is sent at once, when the connection comes back (`online`), and
//   every 3 seconds while anything waits: no Background Sync, which Safari does not have.
//
// On the scoring pages (templates/selection/_offline.html sets data-offline on #kbo-offline):
// - The service worker (static/js/offline_worker.js) is registered; opening the round's list
//   keeps every scoring page of the round and their images in its cache.
// - Each change of a score or the comment is taken before htmx sends it (htmx:confirm) and put
//   in IndexedDB with a key (a UUID), then sent to score_sync. Until the server answers, the
//   field says "waiting to send"; then "saved" with the server's time. A retry sends the same
//   key, so the server stores it once. A change made while the previous one is on its way waits
//   for that answer and is sent with the version it returns.
// - When the server says the score was changed on another device meanwhile, the field shows
//   both values and the member chooses; nothing is applied without that choice.
// - The banner (aria-live) says online / offline / sending n; "Submit my scores" needs the
//   connection and says so.
(function () {
  "use strict";
  var DB_NAME = "kbo-offline";
  var OWNER_KEY = "kbo-offline-owner";
  var CACHE_PREFIX = "kbo-offline";
  var RETRY_MS = 3000;
  var PAGE_FRESH_MS = 10 * 60 * 1000;

  var userMeta = document.querySelector("meta[name=kbo-user]");
  var user = userMeta ? userMeta.content : "";
  var root = document.getElementById("kbo-offline");
  var text = root ? root.dataset : {};
  var hasIDB = "indexedDB" in window;

  // IndexedDB -------------------------------------------------------------------------------
  // pending: one row per field still to send: {id, user, url, page, field, value, version,
  //          key, attempted, next, conflict}
  // known:   the last value, version and "saved" label the server gave per field, for a page
  //          shown from the cache.
  var dbPromise = null;

  var idbBroken = false;

  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore("pending", {keyPath: "id"});
          request.result.createObjectStore("known", {keyPath: "id"});
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { idbBroken = true; reject(request.error); };
      });
    }
    return dbPromise;
  }

  // work(store) runs inside one transaction and may return an IDBRequest; resolves to its result.
  function tx(name, mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var transaction = database.transaction(name, mode);
        var store = transaction.objectStore(name);
        var result;
        var request = work(store);
        if (request && "onsuccess" in request) {
          request.onsuccess = function () { result = request.result; };
        }
        transaction.oncomplete = function () { resolve(result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  // Read a row and change it in the same transaction: change(row) returns the new row, or
  // null to delete it, or undefined to leave it.
  function update(name, id, change) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var transaction = database.transaction(name, "readwrite");
        var store = transaction.objectStore(name);
        var outcome;
        store.get(id).onsuccess = function (event) {
          outcome = change(event.target.result);
          if (outcome === null) {
            store.delete(id);
          } else if (outcome !== undefined) {
            store.put(outcome);
          }
        };
        transaction.oncomplete = function () { resolve(outcome); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }

  function all(name) {
    return tx(name, "readonly", function (store) { return store.getAll(); }).then(function (rows) {
      return (rows || []).filter(function (row) { return row.user === user; });
    });
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (_m, name) {
      return values[name] === undefined || values[name] === "" ? "–" : values[name];
    });
  }

  // Whose copies these are ----------------------------------------------------------------------

  function dropCaches() {
    if (!("caches" in window)) {
      return Promise.resolve();
    }
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf(CACHE_PREFIX) === 0; })
        .map(function (name) { return caches.delete(name); }));
    });
  }

  function dropQueue() {
    if (!hasIDB) {
      return Promise.resolve();
    }
    return new Promise(function (resolve) {
      var close = dbPromise ? dbPromise.then(function (d) { d.close(); }) : Promise.resolve();
      close.then(function () {
        dbPromise = null;
        var request = indexedDB.deleteDatabase(DB_NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
    });
  }

  function dropKnown() {
    if (!hasIDB) {
      return Promise.resolve();
    }
    return tx("known", "readwrite", function (store) { return store.clear(); });
  }

  var guarded = (function () {
    var owner = null;
    try { owner = localStorage.getItem(OWNER_KEY); } catch (e) { owner = null; }
    if (!owner || owner === user) {
      return Promise.resolve();
    }
    if (!user) {
      // Signed out (or the session ended): no page or score is left to read. What still waits
      // to be sent stays for its owner, and is sent when they sign in again.
      return dropCaches().then(dropKnown);
    }
    try { localStorage.removeItem(OWNER_KEY); } catch (e) { /* private mode */ }
    return dropCaches().then(dropQueue);
  }()).catch(function () { /* storage refused: nothing was kept either */ });

  function claimOwnership() {
    try { localStorage.setItem(OWNER_KEY, user); } catch (e) { /* private mode */ }
  }

  document.querySelectorAll("form[action$='/accounts/logout/']").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.offlineCleared || !hasIDB) {
        return;
      }
      event.preventDefault();
      flush().then(function () { return all("pending"); }).catch(function () { return []; }).then(function (rows) {
        var question = userMeta && userMeta.dataset.logoutPending;
        if (rows.length && question && !window.confirm(fill(question, {n: rows.length}))) {
          return;
        }
        return dropCaches().then(dropQueue).then(function () {
          try { localStorage.removeItem(OWNER_KEY); } catch (e) { /* private mode */ }
          form.dataset.offlineCleared = "1";
          form.submit();
        });
      });
    });
  });

  // Sending ------------------------------------------------------------------------------------

  var state = {reachable: navigator.onLine, sending: 0, waiting: 0, conflicts: 0, login: false};
  var flushing = null;
  var retryTimer = null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (e) {
      return "";
    }
  }

  function versionName(field) {
    return field === "comment" ? "comment_version" : "version_" + field.slice("value_".length);
  }

  // Claim the rows of one page that go together in one post, in one transaction: rows never
  // sent get one new key between them; a row already sent (its answer was lost) goes again with
  // the others of its key, unchanged, so that the server recognises the save. A row marked as
  // sent keeps a change made meanwhile aside (`next`) until the answer comes.
  function claim(group) {
    var key = group[0].attempted ? group[0].key : uuid();
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var transaction = database.transaction("pending", "readwrite");
        var store = transaction.objectStore("pending");
        var claimed = [];
        group.forEach(function (row) {
          store.get(row.id).onsuccess = function (event) {
            var current = event.target.result;
            if (!current || current.conflict || current.attempted !== row.attempted ||
                (row.attempted && current.key !== row.key)) {
              return;
            }
            current.key = key;
            current.attempted = true;
            store.put(current);
            claimed.push(current);
          };
        });
        transaction.oncomplete = function () { resolve(claimed); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }

  function send(group) {
    return claim(group).then(function (claimed) {
      if (!claimed.length) {
        return;
      }
      var body = new URLSearchParams();
      body.set("key", claimed[0].key);
      claimed.forEach(function (row) {
        body.set(row.field, row.value);
        body.set(versionName(row.field), String(row.version));
        fieldStatus(row, "sending");
      });
      return fetch(claimed[0].url, {
        method: "POST", body: body, credentials: "same-origin", redirect: "manual",
        headers: {"X-CSRFToken": csrfToken(), "Accept": "application/json"},
      }).catch(function (error) {
        state.reachable = false;  // no answer at all: the connection is down
        throw error;
      }).then(function (response) {
        state.reachable = true;
        // Sent to the login page, or refused (a CSRF token from before signing in again).
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
          state.login = true;
          throw new Error("login");
        }
        var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        if (!json || response.status >= 500) {
          throw new Error("answer " + response.status);
        }
        state.login = false;
        return response.json().then(function (answer) {
          return claimed.reduce(function (done, row) {
            return done.then(function () { return settle(row, answer); });
          }, Promise.resolve());
        });
      });
    });
  }

  function settle(sent, answer) {
    if (answer.error && !answer.fields) {
      // Refused as a whole (no valid key): the page must be reloaded.
      return update("pending", sent.id, function () { return null; }).then(function () {
        fieldStatus(sent, "error", answer.error);
      });
    }
    var result = (answer.fields || []).filter(function (f) { return f.field === sent.field; })[0];
    if (!result) {
      return update("pending", sent.id, function () { return null; });
    }
    var followUp = null;
    return update("pending", sent.id, function (current) {
      if (!current || current.key !== sent.key) {
        return undefined;  // replaced meanwhile (the member chose in a conflict)
      }
      var hasNext = current.next !== undefined;
      if (result.stale) {
        current.conflict = {value: result.value, version: result.version};
        if (hasNext) {
          current.value = current.next;
          delete current.next;
        }
        current.attempted = false;
        return current;
      }
      if (hasNext) {
        // The member changed the field while this was on its way: send the change on top of
        // the version just stored.
        followUp = {id: current.id, user: current.user, url: current.url, page: current.page, field: current.field,
                    value: current.next, version: result.version, key: uuid(), attempted: false, conflict: null};
        return followUp;
      }
      return null;
    }).then(function () {
      if (!result.error) {
        return tx("known", "readwrite", function (store) {
          return store.put({id: sent.id, user: user, value: result.value, version: result.version,
                            label: result.saved_label});
        });
      }
    }).then(function () {
      if (onThisPage(sent)) {
        setVersion(sent.field, result.version);
        if (answer.total_label) {
          var total = document.getElementById("my-total");
          if (total) { total.textContent = answer.total_label; }
        }
      }
      if (result.stale) {
        showConflict(sent.field);
      } else if (result.error) {
        fieldStatus(sent, "error", result.error);
      } else if (followUp) {
        fieldStatus(sent, "waiting");
      } else {
        fieldStatus(sent, "saved", result.saved_label);
      }
    });
  }

  // The rows ready to go, in posts: the rows of one page never sent go together; rows already
  // sent go again with their own key's others.
  function groups(rows) {
    var byName = {};
    var order = [];
    rows.forEach(function (row) {
      if (row.conflict) {
        return;
      }
      var name = row.attempted ? "key " + row.key : "page " + row.url;
      if (!byName[name]) {
        byName[name] = [];
        order.push(name);
      }
      byName[name].push(row);
    });
    return order.map(function (name) { return byName[name]; });
  }

  // One post at a time: the server saves each quickly, and a phone's connection gains nothing
  // from several at once.
  function flush() {
    if (!hasIDB || !user) {
      return Promise.resolve();
    }
    if (flushing) {
      return flushing;
    }
    flushing = guarded.then(function () { return all("pending"); }).then(function (rows) {
      var posts = groups(rows);
      if (!posts.length || !navigator.onLine) {
        return;
      }
      state.sending = rows.filter(function (row) { return !row.conflict; }).length;
      banner();
      var failed = false;
      // A post that fails does not hold back the others (on flaky Wi-Fi the next may pass);
      // it is sent again, with its key, on the timer.
      return posts.reduce(function (done, group) {
        return done.then(function () {
          if (!navigator.onLine) {
            return;
          }
          return send(group).catch(function () { failed = true; }).then(function () {
            state.sending = Math.max(0, state.sending - group.length);
            banner();
          });
        });
      }, Promise.resolve()).then(function () {
        if (failed) {
          return;
        }
        // Changes made while sending (or follow-ups of answered ones) go at once.
        return all("pending").then(function (left) {
          if (left.some(function (row) { return !row.conflict && !row.attempted; })) {
            flushing = null;
            return flush();
          }
        });
      });
    }).catch(function () { /* retried on the timer */ }).then(function () {
      flushing = null;
      state.sending = 0;
      return refresh();
    });
    return flushing;
  }

  // Refresh the counts, the banner and the retry timer from the queue.
  function refresh() {
    if (!hasIDB || !user) {
      return Promise.resolve();
    }
    return all("pending").then(function (rows) {
      state.waiting = rows.filter(function (row) { return !row.conflict; }).length;
      state.conflicts = rows.length - state.waiting;
      banner();
      clearTimeout(retryTimer);
      if (state.waiting) {
        retryTimer = setTimeout(flush, RETRY_MS);
      }
    }).catch(function () {});
  }

  window.addEventListener("online", function () {
    state.reachable = true;
    banner();
    flush();
  });
  window.addEventListener("offline", function () {
    state.reachable = false;
    banner();
  });

  // The banner and "submit needs the connection" ------------------------------------------------

  function banner() {
    if (!root) {
      return;
    }
    var online = navigator.onLine && state.reachable;
    var message;
    if (!online) {
      message = text.textOffline;
    } else if (state.login) {
      message = text.textLogin;
    } else if (state.sending || state.waiting) {
      message = fill(text.textSending, {n: state.sending || state.waiting});
    } else {
      message = text.textOnline;
    }
    var status = root.querySelector("[data-offline-status]");
    if (status.textContent !== message) {
      status.textContent = message;
    }
    root.dataset.state = !online ? "offline" : (state.sending || state.waiting) ? "sending" : "online";
    var waiting = root.querySelector("[data-offline-waiting]");
    waiting.textContent = !online && state.waiting ? fill(text.textWaitingCount, {n: state.waiting}) : "";
    var conflicts = root.querySelector("[data-offline-conflicts]");
    conflicts.textContent = state.conflicts ? fill(text.textConflicts, {n: state.conflicts}) : "";
    document.querySelectorAll("[data-needs-connection]").forEach(function (form) {
      var note = form.querySelector("[data-needs-connection-note]");
      form.querySelectorAll("[type=submit]").forEach(function (button) {
        if (!online && !button.disabled) {
          button.disabled = true;
          button.dataset.offlineDisabled = "1";
        } else if (online && button.dataset.offlineDisabled) {
          button.disabled = false;
          delete button.dataset.offlineDisabled;
        }
      });
      if (note) {
        note.hidden = online;
      }
    });
  }

  // Submitting the sheet: what waits is sent first, so the sheet holds the member's last values.
  document.querySelectorAll("form[data-needs-connection]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.offlineFlushed || !hasIDB) {
        return;
      }
      event.preventDefault();
      flush().then(function () { return all("pending"); }).then(function (rows) {
        if (rows.length) {
          banner();
          return;
        }
        // form.submit() sends it without a second submit event (nor a second confirm).
        form.dataset.offlineFlushed = "1";
        form.submit();
      });
    });
  });

  // The scoring page -----------------------------------------------------------------------------

  var form = document.querySelector("form[data-offline-sync]");

  function rowId(url, field) {
    return user + " " + url + " " + field;
  }

  function onThisPage(row) {
    return form && row.url === form.dataset.offlineSync;
  }

  function input(field) {
    return form && form.querySelector("[name='" + field + "']");
  }

  function statusElement(field) {
    return document.getElementById("status-" + (field === "comment" ? "comment" : field.slice("value_".length)));
  }

  function setVersion(field, version) {
    var hidden = form && form.querySelector("[name='" + versionName(field) + "']");
    if (hidden) {
      hidden.value = String(version);
    }
  }

  function currentVersion(field) {
    var hidden = form && form.querySelector("[name='" + versionName(field) + "']");
    return hidden ? parseInt(hidden.value, 10) || 0 : 0;
  }

  function fieldStatus(row, kind, message) {
    if (!onThisPage(row)) {
      return;
    }
    var element = statusElement(row.field);
    if (!element) {
      return;
    }
    var labels = {waiting: text.textWaiting, sending: text.textWaiting, saved: message, error: "⚠ " + message};
    element.textContent = labels[kind] || "";
    element.classList.toggle("text-danger", kind === "error");
    element.classList.toggle("saved-state", kind !== "error");
    element.dataset.offlineState = kind;
  }

  function enqueue(field, value) {
    var url = form.dataset.offlineSync;
    var id = rowId(url, field);
    return update("pending", id, function (row) {
      if (!row) {
        return {id: id, user: user, url: url, page: location.pathname, field: field, value: value,
                version: currentVersion(field), key: uuid(), attempted: false, conflict: null};
      }
      if (row.conflict) {
        row.value = value;  // still the member's to choose; the choice shows the new value
      } else if (row.attempted) {
        row.next = value;   // waits for the answer to the one on its way
      } else {
        row.value = value;  // never sent: its key has not been used
      }
      return row;
    }).then(function (row) {
      if (row.conflict) {
        showConflict(field);
      } else {
        fieldStatus(row, "waiting");
      }
      return refresh();
    }).then(flush);
  }

  function showConflict(field) {
    var id = rowId(form.dataset.offlineSync, field);
    return tx("pending", "readonly", function (store) { return store.get(id); }).then(function (row) {
      var box = document.getElementById("offline-conflict-" + field);
      if (!row || !row.conflict) {
        if (box) { box.remove(); }
        return;
      }
      var element = statusElement(field);
      element.textContent = "";
      element.dataset.offlineState = "conflict";
      var values = {server: row.conflict.value, mine: row.value};
      if (!box) {
        box = document.createElement("div");
        box.id = "offline-conflict-" + field;
        box.className = "offline-conflict alert alert-warning py-2 px-3 mt-2 mb-0";
        box.setAttribute("role", "group");
        box.setAttribute("aria-labelledby", box.id + "-text");
        box.dataset.testid = "offline-conflict";
        box.innerHTML = '<p class="mb-2" id="' + box.id + '-text"></p><div class="d-flex flex-wrap gap-2">' +
          '<button type="button" class="btn btn-sm btn-primary" data-choice="mine"></button>' +
          '<button type="button" class="btn btn-sm btn-outline-dark" data-choice="server"></button></div>';
        box.querySelector("[data-choice=mine]").addEventListener("click", function () { choose(field, "mine"); });
        box.querySelector("[data-choice=server]").addEventListener("click", function () { choose(field, "server"); });
        element.insertAdjacentElement("afterend", box);
      }
      box.querySelector("p").textContent = fill(text.textConflict, values);
      box.querySelector("[data-choice=mine]").textContent = fill(text.textKeepMine, values);
      box.querySelector("[data-choice=server]").textContent = fill(text.textTakeServer, values);
      var field_input = input(field);
      if (field_input && field_input.value !== row.value) {
        field_input.value = row.value;
      }
    });
  }

  function choose(field, choice) {
    var id = rowId(form.dataset.offlineSync, field);
    var server = null;
    return update("pending", id, function (row) {
      if (!row || !row.conflict) {
        return undefined;
      }
      server = row.conflict;
      if (choice === "server") {
        return null;
      }
      // Keep mine: send it again over the version now stored, as a new save (a new key).
      row.version = row.conflict.version;
      row.conflict = null;
      row.key = uuid();
      row.attempted = false;
      return row;
    }).then(function (row) {
      var box = document.getElementById("offline-conflict-" + field);
      if (box) { box.remove(); }
      if (!server) {
        return;
      }
      setVersion(field, server.version);
      var element = input(field);
      if (choice === "server") {
        if (element) { element.value = server.value; }
        statusElement(field).textContent = "";
        statusElement(field).dataset.offlineState = "";
      } else {
        fieldStatus(row, "waiting");
      }
      if (element) { element.focus(); }
      return refresh().then(flush);
    });
  }

  function restorePage() {
    // A page shown from the cache can be older than what this device saved since: put back
    // the values the server last confirmed, then what still waits to be sent.
    return all("known").then(function (rows) {
      rows.forEach(function (row) {
        var field = row.id.slice(row.id.lastIndexOf(" ") + 1);
        if (row.id !== rowId(form.dataset.offlineSync, field) || row.version <= currentVersion(field)) {
          return;
        }
        var element = input(field);
        if (element) { element.value = row.value; }
        setVersion(field, row.version);
        fieldStatus({url: form.dataset.offlineSync, field: field}, "saved", row.label);
      });
      return all("pending");
    }).then(function (rows) {
      rows.filter(onThisPage).forEach(function (row) {
        var element = input(row.field);
        if (element) {
          element.value = row.next !== undefined ? row.next : row.value;
        }
        if (row.conflict) {
          showConflict(row.field);
        } else {
          fieldStatus(row, "waiting");
        }
      });
    });
  }

  if (form && hasIDB && user) {
    claimOwnership();
    // htmx would post the field now; the queue sends it instead, keeping it until answered.
    form.addEventListener("htmx:confirm", function (event) {
      var element = event.detail.elt;
      if (!element || !element.name || !form.contains(element) || idbBroken) {
        return;  // without IndexedDB (a private window may refuse it) htmx saves as before
      }
      event.preventDefault();
      enqueue(element.name, element.value);
    });
    guarded.then(restorePage).catch(function () {});
  }

  // Keeping the round's pages for offline use -----------------------------------------------------

  function keepRound(list) {
    if (!("caches" in window)) {
      return Promise.resolve();
    }
    var pages = [location.pathname];
    list.querySelectorAll("a[href]").forEach(function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin === location.origin && pages.indexOf(url.pathname) === -1) {
        pages.push(url.pathname);
      }
    });
    // Everything this page loaded from /static/ (CSS, scripts, fonts): the scoring pages use
    // the same files.
    var assets = performance.getEntriesByType("resource").map(function (entry) { return entry.name; })
      .filter(function (url) { return new URL(url).origin === location.origin && new URL(url).pathname.indexOf("/static/") === 0; });
    return caches.open(CACHE_PREFIX + "-v1").then(function (cache) {
      function keep(url, isPage) {
        return cache.match(url, {ignoreVary: true}).then(function (copy) {
          // Images and static files do not change under the same name; a page kept less than
          // PAGE_FRESH_MS ago is not fetched again each time the list is opened.
          if (copy && (!isPage || Date.now() - Date.parse(copy.headers.get("Date") || 0) < PAGE_FRESH_MS)) {
            return null;
          }
          return fetch(url, {credentials: "same-origin"}).then(function (response) {
            if (!response.ok) {
              return null;
            }
            if (isPage && response.headers.get("X-KBO-Offline") !== "keep") {
              return cache.delete(url, {ignoreVary: true}).then(function () { return null; });
            }
            return cache.put(url, response.clone()).then(function () { return isPage ? response.text() : null; });
          });
        }).catch(function () { return null; });
      }
      var queue = pages.slice();
      var images = [];
      function next() {
        var url = queue.shift();
        if (!url) {
          return Promise.resolve();
        }
        return keep(url, true).then(function (html) {
          if (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            doc.querySelectorAll("img[src]").forEach(function (img) {
              var src = new URL(img.getAttribute("src"), location.href);
              if (src.origin === location.origin && images.indexOf(src.href) === -1) {
                images.push(src.href);
              }
            });
          }
          return next();
        });
      }
      // Two at a time: the member is using the same connection.
      return Promise.all([next(), next()]).then(function () {
        return Promise.all(assets.concat(images).map(function (url) { return keep(url, false); }));
      });
    });
  }

  if (root && root.dataset.offlineWorker && "serviceWorker" in navigator && user) {
    claimOwnership();
    guarded.then(function () {
      return navigator.serviceWorker.register(root.dataset.offlineWorker);
    }).then(function () {
      var list = document.querySelector("[data-offline-keep]");
      if (list && navigator.onLine) {
        var start = function () {
          keepRound(list).then(function () { root.dataset.kept = "1"; });
        };
        if (document.readyState === "complete") { start(); } else { window.addEventListener("load", start); }
      }
    }).catch(function () { /* no service worker: the page works online as before */ });
  }

  // A round's list that is no longer kept (the member has just submitted, or scoring closed):
  // the copies of its scoring pages go, even though the page came after a POST the worker
  // does not see.
  if ("caches" in window && /^\/selection\/\d+\/score\/$/.test(location.pathname) &&
      !document.querySelector("[data-offline-keep]")) {
    caches.open(CACHE_PREFIX + "-v1").then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.filter(function (request) {
          return new URL(request.url).pathname.indexOf(location.pathname) === 0;
        }).map(function (request) { return cache.delete(request, {ignoreVary: true}); }));
      });
    }).catch(function () {});
  }

  banner();
  guarded.then(refresh).then(function () { return navigator.onLine ? flush() : null; });
}());
