// Veiviser advisor console. Everything from the server is put into the page
// with textContent (never innerHTML); user text gets dir="auto" and has its
// bidi controls stripped.
(function () {
  "use strict";
  var BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
  var POLL_MS = 2000;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var body = document.body;

  function $(id) { return document.getElementById(id); }
  function clean(text) { return String(text == null ? "" : text).replace(BIDI, ""); }
  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text != null) node.textContent = clean(text);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function time(iso) {
    if (!iso) return "";
    var d = new Date(typeof iso === "number" ? iso * 1000 : iso);
    return d.toLocaleString("nb-NO", { dateStyle: "short", timeStyle: "short" });
  }
  function api(method, url, data) {
    var opts = { method: method, headers: { "Accept": "application/json" }, credentials: "same-origin" };
    if (method === "POST") {
      opts.headers["X-CSRF-Token"] = csrf;
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(data || {});
    }
    return fetch(url, opts).then(function (resp) {
      if (resp.status === 401) { window.location.assign("/login"); throw new Error("401"); }
      return resp.json().catch(function () { return {}; }).then(function (json) {
        json.httpStatus = resp.status;
        return json;
      });
    });
  }
  function fill(list, items, render, empty) {
    list.textContent = "";
    if (!items.length) { list.appendChild(el("li", empty, { "class": "empty" })); return; }
    items.forEach(function (item) { list.appendChild(render(item)); });
  }
  // The advisors' notes on a case or a callback.
  function showNotes(notes) {
    fill($("notes"), notes, function (n) {
      var li = el("li");
      li.appendChild(el("span", n.author + ", " + time(n.at) + ": ", { "class": "who" }));
      li.appendChild(el("span", n.text, { dir: "auto" }));
      return li;
    }, "Ingen notater.");
  }
  function link(href, text, extra) {
    var li = el("li");
    li.appendChild(el("a", text, { href: href }));
    if (extra) li.appendChild(el("span", " " + extra));
    return li;
  }

  // ------------------------------------------------------------- queue
  function queue() {
    function refresh() {
      api("GET", "/api/queue").then(function (q) {
        var a = q.availability;
        $("availability").textContent = a
          ? (a.open ? "Chatten er åpen" : "Chatten er stengt") + " (" + a.hours + "). Veiledere innlogget: " + a.advisors_online + "."
          : "Fant ikke åpningstidene.";
        fill($("waiting"), q.waiting, function (c) {
          return link("/cases/" + c.id, "Sak " + c.reference, "venter siden " + time(c.created_at));
        }, "Ingen venter.");
        fill($("active"), q.active, function (c) {
          return link("/cases/" + c.id, "Sak " + c.reference, "tatt " + time(c.accepted_at));
        }, "Ingen aktive samtaler.");
        fill($("callbacks"), q.callbacks, function (c) {
          return link("/callbacks/" + c.id, "Forespørsel " + c.reference,
            "(" + (c.status === "new" ? "ny" : "tatt av deg") + ", " + c.role + ", " + c.municipality + ", ønsker: " + c.preferred_time + ")");
        }, "Ingen forespørsler.");
        fill($("closed"), q.closed, function (c) {
          return link("/cases/" + c.id, "Sak " + c.reference, "avsluttet");
        }, "Ingen avsluttede samtaler.");
      }).catch(function () {});
    }
    refresh();
    window.setInterval(refresh, POLL_MS);
  }

  // -------------------------------------------------------------- case
  var LABEL = { user: "Bruker", bot: "Veiviser", advisor: "Veileder" };
  var STATUS = { waiting: "Venter på veileder", active: "Aktiv", closed: "Avsluttet", expired: "Utløpt (ingen tok samtalen)" };

  function casePage() {
    var id = body.getAttribute("data-id");
    var shown = "";
    function refresh() {
      return api("GET", "/api/cases/" + id).then(function (c) {
        if (c.httpStatus !== 200) { $("case-status").textContent = "Fikk ikke hentet saken."; return; }
        document.title = "Sak " + c.reference + " – Veiviser veilederkonsoll";
        $("case-status").textContent = "Sak " + c.reference + ": " + (STATUS[c.status] || c.status) +
          (c.advisor ? " (veileder: " + c.advisor + ")" : "") + (c.relay_error ? ". " + c.relay_error : "");
        $("accept").hidden = c.status !== "waiting";
        var active = c.status === "active" && c.mine;
        $("reply-form").hidden = !active;
        $("end").hidden = !active;
        $("note-form").hidden = !c.mine;
        var key = JSON.stringify(c.messages);
        if (key !== shown) {
          shown = key;
          fill($("transcript"), c.messages, function (m) {
            var li = el("li", null, { "class": "msg msg--" + m.from });
            li.appendChild(el("span", LABEL[m.from] || m.from, { "class": "who" }));
            li.appendChild(el("p", m.text, { dir: "auto" }));
            return li;
          }, "Ingen meldinger ennå.");
        }
        showNotes(c.notes);
      }).catch(function () {});
    }
    $("accept").addEventListener("click", function () {
      api("POST", "/api/cases/" + id + "/accept").then(function (r) {
        $("case-status").textContent = r.accepted ? (r.delivered ? "Du har tatt samtalen." : "Du har tatt samtalen, men beskjeden ble ikke levert til brukeren.")
          : (r.error || "Samtalen kunne ikke tas.");
        return refresh();
      }).then(function () { if (!$("reply-form").hidden) $("reply").focus(); });
    });
    $("reply-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var text = $("reply").value.trim();
      if (!text) return;
      $("reply-status").textContent = "Sender …";
      api("POST", "/api/cases/" + id + "/reply", { text: text }).then(function (r) {
        if (r.delivered) {
          $("reply").value = "";
          $("reply-status").textContent = "Levert.";
        } else {
          $("reply-status").textContent = "Ikke levert: brukeren er ikke koblet til akkurat nå. Meldingen står fortsatt i feltet.";
        }
        refresh();
      });
    });
    $("end").addEventListener("click", function () {
      api("POST", "/api/cases/" + id + "/end").then(function (r) {
        $("case-status").textContent = !r.closed ? (r.error || "Kunne ikke avslutte.")
          : r.delivered ? "Samtalen er avsluttet, og Veiviser svarer igjen."
          : "Samtalen er avsluttet, og Veiviser svarer igjen, men beskjeden ble ikke levert til brukeren.";
        refresh();
      });
    });
    noteForm("/api/cases/" + id + "/notes", refresh);
    refresh();
    window.setInterval(refresh, POLL_MS);
  }

  function noteForm(url, refresh) {
    $("note-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var text = $("note").value.trim();
      if (!text) return;
      api("POST", url, { text: text }).then(function (r) {
        if (r.saved) $("note").value = "";
        refresh();
      });
    });
  }

  // ---------------------------------------------------------- callback
  function callbackPage() {
    var id = body.getAttribute("data-id");
    function row(dl, term, value) {
      if (value == null || value === "") return;
      dl.appendChild(el("dt", term));
      dl.appendChild(el("dd", value, { dir: "auto" }));
    }
    function refresh() {
      return api("GET", "/api/callbacks/" + id).then(function (c) {
        if (c.httpStatus !== 200) { $("callback-status").textContent = "Fikk ikke hentet forespørselen."; return; }
        $("callback-status").textContent = "Forespørsel " + c.reference + ": " +
          ({ "new": "ny", claimed: "tatt", done: "fullført" }[c.status] || c.status) + (c.advisor ? " (veileder: " + c.advisor + ")" : "");
        var dl = $("callback-details");
        dl.textContent = "";
        row(dl, "Arbeidssted", c.role);
        row(dl, "Kommune", c.municipality);
        row(dl, "Ønsket tidspunkt", c.preferred_time);
        row(dl, "Kontakt via", c.contact_kind);
        row(dl, "Kontaktopplysning", c.contact);
        row(dl, "Beskrivelse", c.description);
        $("claim").hidden = c.status !== "new";
        $("done").hidden = !(c.mine && c.status === "claimed");
        $("note-form").hidden = !c.mine;
        showNotes(c.notes);
      }).catch(function () {});
    }
    $("claim").addEventListener("click", function () { api("POST", "/api/callbacks/" + id + "/claim").then(refresh); });
    $("done").addEventListener("click", function () { api("POST", "/api/callbacks/" + id + "/done").then(refresh); });
    noteForm("/api/callbacks/" + id + "/notes", refresh);
    refresh();
  }

  // ------------------------------------------------------------- audit
  var ACTIONS = {
    case_viewed: "åpnet samtale", callback_viewed: "åpnet forespørsel", access_denied: "nektet tilgang",
    case_accept: "tok samtale", case_end: "avsluttet samtale", case_reply: "svarte", case_created: "ny samtale i kø",
    case_expired: "ingen tok samtalen", callback_created: "ny forespørsel", callback_claim: "tok forespørsel",
    callback_done: "fullførte forespørsel", note_added: "skrev notat", signed_in: "logget inn",
    signed_out: "logget ut", sign_in_failed: "feil passord", account_locked: "konto sperret",
    sign_in_locked: "innlogging mens sperret", message_not_delivered: "melding ikke levert",
    case_not_found: "fant ikke samtale", callback_not_found: "fant ikke forespørsel"
  };
  function auditPage() {
    api("GET", "/api/audit").then(function (a) {
      var tbody = $("audit");
      tbody.textContent = "";
      a.entries.forEach(function (e) {
        var tr = el("tr");
        tr.appendChild(el("td", time(e.at)));
        tr.appendChild(el("td", e.advisor));
        tr.appendChild(el("td", ACTIONS[e.action] || e.action));
        tr.appendChild(el("td", e.subject_id ? (e.subject_type === "case" ? "samtale " : "forespørsel ") + e.subject_id : ""));
        tbody.appendChild(tr);
      });
    });
  }

  var pages = { queue: queue, "case": casePage, callback: callbackPage, audit: auditPage };
  if (pages[body.getAttribute("data-page")]) pages[body.getAttribute("data-page")]();
})();
