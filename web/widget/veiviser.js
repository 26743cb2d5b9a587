/*!
 * Veiviser chat widget: an accessible socket.io client for Rasa 3.6.
 *
 * Embed with one script tag and a configuration object:
 *
 *   <script>
 *     window.VeiviserConfig = {
 *       serverUrl: "https://veiviser.example.no",   // where /socket.io/ is served
 *       title: "Veiviser",
 *       initialMessage: "/greet"                      // sent once per new conversation
 *     };
 *   </script>
 *   <script src="https://veiviser.example.no/widget/veiviser.js" defer></script>
 *
 * See docs/WEB_CHAT.md for every option and for the accessibility statement.
 *
 * Safety: user and bot text is only ever put into the page with textContent
 * and createElement; links are built from a small markdown subset and only
 * http(s), mailto and tel URLs become links. No innerHTML with message text.
 */
(function () {
  "use strict";

  if (window.Veiviser && window.Veiviser.version) return; // loaded twice

  var VERSION = "0.1.0";
  var script = document.currentScript;
  var ASSET_BASE = new URL(".", (script && script.src) || window.location.href).href;

  var DEFAULTS = {
    serverUrl: new URL(ASSET_BASE).origin,
    socketPath: "/socket.io/",
    title: "Veiviser",
    subtitle: "Digital veileder ved bekymring for radikalisering",
    launcherText: "Snakk med Veiviser",
    initialMessage: null,
    storageKey: "veiviser",
    maxLength: 2000,
    replyTimeoutMs: 30000,
    offlineDelayMs: 1500,
    maxStoredMessages: 200,
    autoOpen: false
  };

  var TEXT = {
    privacy: "Ikke skriv navn, fødselsnummer eller andre opplysninger som kan identifisere " +
      "personen du er bekymret for.",
    privacyStore: "Samtalen lagres i denne nettleseren til du velger «Ny samtale». " +
      "«Slett samtalen» sletter den også hos Veiviser med en gang.",
    botIs: "Veiviser er en chatbot, ikke et menneske.",
    inputLabel: "Melding til Veiviser",
    placeholder: "Skriv spørsmålet ditt",
    send: "Send",
    close: "Lukk",
    closeLabel: "Lukk Veiviser",
    newConversation: "Ny samtale",
    confirmReset: "Vil du slette samtalen fra denne nettleseren og begynne på nytt?",
    confirmYes: "Ja, begynn på nytt",
    confirmNo: "Avbryt",
    deleteConversation: "Slett samtalen",
    confirmDelete: "Vil du slette samtalen? Den slettes hos Veiviser og i denne nettleseren, " +
      "og kan ikke hentes tilbake.",
    confirmDeleteYes: "Ja, slett samtalen",
    deleted: "Samtalen er slettet. Du kan begynne en ny samtale.",
    deleteFailed: "Samtalen kunne ikke slettes akkurat nå fordi Veiviser ikke kan nås. Prøv igjen om litt.",
    log: "Samtale med Veiviser",
    conversation: "Samtalen",
    quickReplies: "Svaralternativer",
    you: "Du",
    advisor: "Veileder (et menneske)",
    typing: "Veiviser skriver …",
    newTab: "(åpnes i ny fane)",
    offlineTitle: "Veiviser kan ikke nås akkurat nå.",
    offlineRetry: "Vi prøver å koble til igjen automatisk.",
    slowTitle: "Veiviser svarer ikke akkurat nå.",
    slowRetry: "Prøv igjen om litt.",
    danger1: "Er noen i fare nå: ring ",
    danger2: ".",
    police1: "Vil du snakke med politiet om en bekymring: ring ",
    police2: ".",
    reconnected: "Forbindelsen til Veiviser er tilbake.",
    connecting: "Kobler til Veiviser … Prøv igjen om et øyeblikk.",
    notSent: "Meldingen er ikke sendt fordi Veiviser ikke kan nås. Teksten ligger fortsatt i feltet.",
    remaining: function (n) { return n + " tegn igjen"; },
    tooLong: function (max) { return "Meldingen kan være høyst " + max + " tegn."; }
  };

  // ---------------------------------------------------------------- helpers

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "text") node.textContent = value;
        else if (key === "className") node.className = value;
        else node.setAttribute(key, value === true ? "" : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function uuid4() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") return c.randomUUID();
    // Insecure contexts (plain http on a non-local host) lack randomUUID
    // but still have getRandomValues: build a version 4 UUID from it.
    var b = c.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); });
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  // Bidi overrides and isolates can make text display differently from what
  // it is (security case 23); zero-width characters alone are not a message.
  var BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
  var INVISIBLE = /[\s\u200B-\u200D\u2060\uFEFF]/g;

  function cleanText(text) {
    return String(text == null ? "" : text).replace(BIDI_CONTROLS, "");
  }

  function isBlank(text) {
    return cleanText(text).replace(INVISIBLE, "") === "";
  }

  var TIME_FMT = new Intl.DateTimeFormat("nb-NO", { hour: "2-digit", minute: "2-digit" });
  var DATE_FMT = new Intl.DateTimeFormat("nb-NO", { day: "numeric", month: "short" });

  function formatTime(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return "";
    var today = new Date();
    var sameDay = date.toDateString() === today.toDateString();
    return (sameDay ? "" : DATE_FMT.format(date) + " ") + TIME_FMT.format(date);
  }

  // ------------------------------------------------- minimal markdown subset
  //
  // Blocks: lines starting with "- ", "* " or "• " form a bulleted list,
  // "1. " a numbered list, and a line indented by two spaces continues the
  // list item above it; other consecutive lines form a paragraph with line
  // breaks; blank lines separate paragraphs.
  // Inline: [label](url), bare http(s) URLs and **bold**.

  var INLINE = /\[([^\]\n]{1,500})\]\(([^()\s]{1,2000})\)|(https?:\/\/[^\s<>"]+)|\*\*([^*\n]{1,1000})\*\*/g;

  function safeUrl(raw) {
    try {
      var url = new URL(raw, window.location.href);
      if (/^(https?|mailto|tel):$/.test(url.protocol) && /^(https?:|mailto:|tel:)/i.test(raw)) {
        return url;
      }
    } catch (e) { /* not a URL */ }
    return null;
  }

  function link(label, url) {
    var external = url.protocol === "http:" || url.protocol === "https:";
    var a = el("a", { href: url.href }, [label]);
    if (external) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.appendChild(el("span", { className: "vv-sr", text: " " + TEXT.newTab }));
    }
    return a;
  }

  function appendInline(parent, text, allowBold) {
    var last = 0;
    var match;
    var re = new RegExp(INLINE.source, "g");
    while ((match = re.exec(text)) !== null) {
      if (match[4] !== undefined && !allowBold) continue;
      var start = match.index;
      var token = match[0];
      var node = null;
      if (match[1] !== undefined) {
        var target = safeUrl(match[2]);
        node = target ? link(match[1], target) : document.createTextNode(token);
      } else if (match[3] !== undefined) {
        // Leave trailing punctuation outside a bare URL.
        var raw = match[3];
        var trail = raw.match(/[.,;:!?»"')\]]+$/);
        if (trail && !(trail[0].charAt(0) === ")" && raw.indexOf("(") !== -1)) {
          raw = raw.slice(0, raw.length - trail[0].length);
          token = raw;
        }
        var bare = safeUrl(raw);
        node = bare ? link(raw, bare) : document.createTextNode(raw);
      } else {
        node = el("strong");
        appendInline(node, match[4], false);
      }
      if (start > last) parent.appendChild(document.createTextNode(text.slice(last, start)));
      parent.appendChild(node);
      last = start + token.length;
      re.lastIndex = last;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function renderRichText(container, text) {
    var lines = cleanText(text).replace(/\r\n?/g, "\n").split("\n");
    var block = null;
    var kind = null;
    var item = null;
    lines.forEach(function (line) {
      var bullet = line.match(/^\s*[-*•]\s+(.*)$/);
      var number = !bullet && line.match(/^\s*\d{1,3}[.)]\s+(.*)$/);
      if (item && (kind === "ul" || kind === "ol") && /^(\s{2,}|\t)\S/.test(line)) {
        item.appendChild(el("br")); // an indented line continues the list item
        appendInline(item, line.trim(), true);
      } else if (bullet || number) {
        var wanted = bullet ? "ul" : "ol";
        if (kind !== wanted) {
          block = el(wanted);
          container.appendChild(block);
          kind = wanted;
        }
        item = el("li");
        appendInline(item, (bullet || number)[1], true);
        block.appendChild(item);
      } else if (line.trim() === "") {
        kind = null;
        block = null;
        item = null;
      } else {
        item = null;
        if (kind !== "p") {
          block = el("p");
          container.appendChild(block);
          kind = "p";
        } else {
          block.appendChild(el("br"));
        }
        appendInline(block, line, true);
      }
    });
  }

  // ------------------------------------------------------------ the store
  //
  // The conversation lives in localStorage so that a reload or a new tab
  // shows it again (Rasa's socket.io channel does not replay history).
  // Several tabs share one session: every tab in the session's room receives
  // the bot's replies, but only the "active" tab (the one that last sent or
  // had focus while connected) writes them; the others re-render from the
  // `storage` event.

  // The session id and its token come from the server (POST /api/session);
  // until then sessionId is null.
  function emptyState() {
    return { sessionId: null, token: null, tokenExp: 0, started: false, messages: [] };
  }

  function Store(key, maxMessages) {
    this.key = key + ":conversation";
    this.activeKey = key + ":active-tab";
    this.openKey = key + ":open";
    this.max = maxMessages;
    this.memory = null;
    try {
      var probe = key + ":probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      this.local = window.localStorage;
    } catch (e) {
      this.local = null; // storage blocked: keep the conversation in memory
    }
  }

  Store.prototype.load = function () {
    var data = null;
    if (this.local) {
      try { data = JSON.parse(this.local.getItem(this.key) || "null"); } catch (e) { data = null; }
    } else {
      data = this.memory;
    }
    if (!data || (data.sessionId !== null && typeof data.sessionId !== "string") ||
        !Array.isArray(data.messages)) {
      data = emptyState();
      this.save(data);
    }
    return data;
  };

  Store.prototype.save = function (data) {
    if (data.messages.length > this.max) data.messages = data.messages.slice(-this.max);
    if (this.local) {
      try { this.local.setItem(this.key, JSON.stringify(data)); } catch (e) { /* full */ }
    } else {
      this.memory = data;
    }
  };

  Store.prototype.getActive = function () {
    return this.local ? this.local.getItem(this.activeKey) : null;
  };

  Store.prototype.setActive = function (tabId) {
    if (this.local) this.local.setItem(this.activeKey, tabId);
  };

  Store.prototype.releaseActive = function (tabId) {
    if (this.local && this.local.getItem(this.activeKey) === tabId) {
      this.local.removeItem(this.activeKey);
    }
  };

  Store.prototype.wasOpen = function () {
    try { return window.sessionStorage.getItem(this.openKey) === "1"; } catch (e) { return false; }
  };

  Store.prototype.setOpen = function (open) {
    try {
      if (open) window.sessionStorage.setItem(this.openKey, "1");
      else window.sessionStorage.removeItem(this.openKey);
    } catch (e) { /* ignore */ }
  };

  // ------------------------------------------------------------ the widget

  function Widget(config) {
    this.config = config;
    this.store = new Store(config.storageKey, config.maxStoredMessages);
    this.state = this.store.load();
    this.tabId = uuid4();
    this.socket = null;
    this.connecting = null;
    this.confirmed = false;
    this.isOpen = false;
    this.rendered = []; // ids of rendered messages, in order
    this.offlineTimer = null;
    this.replyTimer = null;
    this.wasOffline = false;
    this.build();
    this.renderAll();
    this.bindGlobal();
    if (config.autoOpen || this.store.wasOpen()) this.open({ focus: false });
  }

  Widget.prototype.build = function () {
    var c = this.config;
    var self = this;
    this.host = el("div", { id: "veiviser-widget", lang: "nb", "data-veiviser": VERSION });
    document.body.appendChild(this.host);
    this.root = this.host.attachShadow({ mode: "open" });
    // Stay out of sight until the stylesheet has loaded (no flash of an
    // unstyled button at the end of the host page).
    var sheet = el("link", { rel: "stylesheet", href: ASSET_BASE + "veiviser.css" });
    var reveal = function () { self.frame.hidden = false; };
    sheet.addEventListener("load", reveal);
    sheet.addEventListener("error", reveal);
    this.root.appendChild(sheet);

    this.launcher = el("button", {
      type: "button", className: "vv-launcher", "aria-expanded": "false",
      "aria-controls": "vv-panel"
    }, [chatIcon(), el("span", { text: c.launcherText })]);

    this.titleEl = el("h2", { id: "vv-title", className: "vv-title", text: c.title });
    this.resetButton = el("button", { type: "button", className: "vv-button vv-button--quiet",
      text: TEXT.newConversation });
    this.deleteButton = el("button", { type: "button", className: "vv-button vv-button--quiet",
      text: TEXT.deleteConversation });
    this.closeButton = el("button", { type: "button", className: "vv-button vv-button--quiet",
      "aria-label": TEXT.closeLabel }, [closeIcon(), el("span", { text: TEXT.close })]);

    this.confirmYes = el("button", { type: "button", className: "vv-button vv-button--danger",
      text: TEXT.confirmYes });
    this.confirmNo = el("button", { type: "button", className: "vv-button vv-button--quiet",
      text: TEXT.confirmNo });
    this.confirmText = el("p", { id: "vv-confirm-text", text: TEXT.confirmReset });
    this.confirmMode = "reset";
    this.confirmBox = el("div", { className: "vv-confirm", role: "group",
      "aria-labelledby": "vv-confirm-text", hidden: true }, [
      this.confirmText,
      el("div", { className: "vv-confirm-actions" }, [this.confirmYes, this.confirmNo])
    ]);

    this.log = el("div", { className: "vv-log", role: "log", "aria-live": "polite",
      "aria-relevant": "additions", "aria-label": TEXT.log });
    this.typing = el("div", { className: "vv-typing", role: "status" });
    this.scroller = el("div", { className: "vv-scroll", role: "region", tabindex: "0",
      "aria-label": TEXT.conversation }, [
      el("div", { className: "vv-privacy", id: "vv-privacy" }, [
        infoIcon(),
        el("p", {}, [el("strong", { text: TEXT.privacy }), " " + TEXT.privacyStore + " " + TEXT.botIs])
      ]),
      this.log,
      this.typing
    ]);

    this.alert = el("div", { className: "vv-alert", role: "alert" });
    this.status = el("div", { className: "vv-sr", role: "status" });

    this.input = el("textarea", { id: "vv-input", className: "vv-input", rows: "1",
      maxlength: String(c.maxLength), placeholder: TEXT.placeholder,
      "aria-describedby": "vv-privacy vv-count", autocomplete: "off", spellcheck: "true",
      enterkeyhint: "send" });
    // Part of the input's description, not a live region: it would speak
    // on every keystroke near the limit.
    this.count = el("div", { id: "vv-count", className: "vv-count" });
    this.sendButton = el("button", { type: "submit", className: "vv-send" },
      [sendIcon(), el("span", { text: TEXT.send })]);
    this.form = el("form", { className: "vv-form", novalidate: true }, [
      el("label", { for: "vv-input", className: "vv-sr", text: TEXT.inputLabel }),
      el("div", { className: "vv-input-row" }, [this.input, this.sendButton]),
      this.count
    ]);

    this.panel = el("section", { id: "vv-panel", className: "vv-panel", role: "dialog",
      "aria-modal": "false", "aria-labelledby": "vv-title", hidden: true }, [
      el("header", { className: "vv-header" }, [
        el("div", { className: "vv-header-row" }, [
          this.titleEl,
          el("div", { className: "vv-header-actions" },
            [this.resetButton, this.deleteButton, this.closeButton])
        ]),
        c.subtitle ? el("p", { className: "vv-subtitle", text: c.subtitle }) : null
      ]),
      this.confirmBox,
      this.scroller,
      this.alert,
      this.form,
      this.status
    ]);

    this.frame = el("div", { className: "vv", "data-state": "closed", hidden: true },
      [this.launcher, this.panel]);
    this.root.appendChild(this.frame);

    this.launcher.addEventListener("click", function () { self.open({ focus: true }); });
    this.closeButton.addEventListener("click", function () { self.close(); });
    this.resetButton.addEventListener("click", function () { self.askReset(); });
    this.deleteButton.addEventListener("click", function () { self.askDelete(); });
    this.confirmNo.addEventListener("click", function () { self.cancelReset(); });
    this.confirmYes.addEventListener("click", function () {
      if (self.confirmMode === "delete") self.deleteConversation();
      else self.reset();
    });
    this.panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        e.preventDefault();
        if (!self.confirmBox.hidden) self.cancelReset();
        else self.close();
      }
    });
    this.form.addEventListener("submit", function (e) {
      e.preventDefault();
      self.sendTyped();
    });
    this.input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        self.sendTyped();
      }
    });
    this.input.addEventListener("input", function () { self.onInput(); });
  };

  Widget.prototype.bindGlobal = function () {
    var self = this;
    window.addEventListener("storage", function (e) {
      if (e.key === self.store.key) self.syncFromStore();
    });
    window.addEventListener("focus", function () { self.claimActive(); });
    window.addEventListener("pagehide", function () { self.store.releaseActive(self.tabId); });
  };

  // ------------------------------------------------------- open and close

  Widget.prototype.open = function (options) {
    var focus = !options || options.focus !== false;
    if (!this.isOpen) {
      this.isOpen = true;
      this.panel.hidden = false;
      this.frame.setAttribute("data-state", "open");
      this.launcher.setAttribute("aria-expanded", "true");
      this.store.setOpen(true);
      this.scrollToEnd(this.turnStart());
      this.connect();
    }
    if (focus) this.input.focus();
  };

  Widget.prototype.close = function () {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.cancelReset(true);
    this.panel.hidden = true;
    this.frame.setAttribute("data-state", "closed");
    this.launcher.setAttribute("aria-expanded", "false");
    this.store.setOpen(false);
    this.launcher.focus();
  };

  // ------------------------------------------------------------ the socket

  // ------------------------------------------------------------- session
  //
  // The server issues the session id and a short-lived token (a JWT whose
  // subject is the session id). The socket presents the token when it
  // connects (auth) and names the session in its query (vv_sid, which a
  // load balancer may hash on); Rasa refuses sockets without a valid token
  // and requests for any other session.

  var RENEW_MARGIN_MS = 5 * 60 * 1000;

  Widget.prototype.api = function (path, body) {
    // A "simple" cross-origin request (text/plain, no custom headers): no
    // preflight; the server still checks the Origin.
    return window.fetch(this.config.serverUrl + path, {
      method: "POST", credentials: "omit", cache: "no-store",
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      if (!response.ok) {
        var error = new Error("HTTP " + response.status);
        error.status = response.status;
        throw error;
      }
      return response.json();
    });
  };

  // Resolves to the stored state with a usable token: reuses it, renews it
  // when it expires soon, or starts a new session.
  Widget.prototype.ensureSession = function () {
    var self = this;
    var state = this.store.load();
    if (state.sessionId && state.token && state.tokenExp - Date.now() > RENEW_MARGIN_MS) {
      return Promise.resolve(state);
    }
    if (this.sessionPending) return this.sessionPending;
    var fresh = function () { return self.api("/api/session"); };
    var request = state.sessionId && state.token
      ? this.api("/api/session/renew", { session_id: state.sessionId, token: state.token })
        .catch(function (error) { if (error.status === 401) return fresh(); throw error; })
      : fresh();
    this.sessionPending = request.then(function (reply) {
      self.sessionPending = null;
      var current = self.store.load();
      if (current.sessionId !== reply.session_id) {
        current = emptyState();
        current.sessionId = reply.session_id;
      }
      current.token = reply.token;
      current.tokenExp = Date.now() + (Number(reply.expires_in) || 0) * 1000;
      self.store.save(current);
      self.state = current;
      return current;
    }, function (error) {
      self.sessionPending = null;
      throw error;
    });
    return this.sessionPending;
  };

  Widget.prototype.dropToken = function () {
    var state = this.store.load();
    state.token = null;
    this.store.save(state);
  };

  // A new socket (the session in its query may have changed).
  Widget.prototype.restartSocket = function () {
    if (this.socket) {
      this.socket.off();
      this.socket.disconnect();
      this.socket = null;
    }
    this.confirmed = false;
    this.connecting = null;
    this.connect();
  };

  // ------------------------------------------------------------ the socket

  Widget.prototype.connect = function () {
    var self = this;
    if (this.socket) {
      if (!this.socket.connected) this.socket.connect();
      return;
    }
    if (this.connecting) return;
    this.scheduleOffline();
    var client = import(ASSET_BASE + "vendor/socket.io.esm.min.js");
    this.connecting = Promise.all([client, this.ensureSession()]).then(function (loaded) {
      var io = loaded[0].io || loaded[0].default;
      var sessionId = loaded[1].sessionId;
      var socket = io(self.config.serverUrl, {
        path: self.config.socketPath,
        reconnection: true,
        reconnectionDelay: 1000,
        reconnectionDelayMax: 10000,
        randomizationFactor: 0.3,
        timeout: 10000,
        withCredentials: false,
        query: { vv_sid: sessionId },
        // Called on every (re)connect, so a renewed token is used.
        auth: function (callback) {
          self.ensureSession().then(function (state) {
            callback({ token: state.token });
          }, function () { callback({ token: "" }); });
        }
      });
      self.socket = socket;
      self.connecting = null;
      self.retryDelay = 0;
      socket.on("connect", function () {
        self.confirmed = false;
        self.state = self.store.load();
        if (self.state.sessionId !== sessionId) { // a new session meanwhile
          self.restartSocket();
          return;
        }
        socket.emit("session_request", { session_id: sessionId });
      });
      socket.on("session_confirm", function (id) {
        var confirmedId = (id && typeof id === "object") ? id.session_id : id;
        if (confirmedId !== self.state.sessionId) return;
        self.confirmed = true;
        self.setOnline();
        self.claimActive();
        self.startConversation();
      });
      socket.on("bot_uttered", function (message) { self.onBotMessage(message); });
      socket.on("connect_error", function () {
        self.scheduleOffline();
        if (!socket.active) {
          // Refused by the server (e.g. its secret changed): new token, new socket.
          self.dropToken();
          window.setTimeout(function () { if (self.socket === socket) self.restartSocket(); }, 2000);
        }
      });
      socket.on("disconnect", function (reason) {
        self.confirmed = false;
        if (reason !== "io client disconnect") self.scheduleOffline();
      });
    }).catch(function () {
      // No session (server unreachable): the offline notice follows after
      // offlineDelayMs as for a socket error, and we try again by ourselves.
      self.connecting = null;
      self.scheduleOffline();
      self.retryDelay = Math.min((self.retryDelay || 1000) * 2, 30000);
      window.clearTimeout(self.retryTimer);
      self.retryTimer = window.setTimeout(function () {
        if (!self.socket && self.isOpen) self.connect();
      }, self.retryDelay);
    });
  };

  Widget.prototype.scheduleOffline = function () {
    var self = this;
    if (this.offlineTimer || this.wasOffline) return;
    this.offlineTimer = window.setTimeout(function () {
      self.offlineTimer = null;
      if (!self.confirmed) self.showOffline();
    }, this.config.offlineDelayMs);
  };

  Widget.prototype.showOffline = function () {
    this.wasOffline = true;
    this.hideTyping();
    this.showAlert(TEXT.offlineTitle, TEXT.offlineRetry);
    this.frame.setAttribute("data-connection", "offline");
  };

  Widget.prototype.setOnline = function () {
    if (this.offlineTimer) {
      window.clearTimeout(this.offlineTimer);
      this.offlineTimer = null;
    }
    this.frame.setAttribute("data-connection", "online");
    if (this.wasOffline) {
      this.wasOffline = false;
      this.clearAlert();
      this.announce(TEXT.reconnected);
    }
  };

  Widget.prototype.showAlert = function (title, detail) {
    this.alert.textContent = "";
    this.alert.appendChild(el("p", { className: "vv-alert-title" }, [el("strong", { text: title }),
      " " + detail]));
    this.alert.appendChild(el("p", {}, [TEXT.danger1, el("a", { href: "tel:112", text: "112" }),
      TEXT.danger2]));
    this.alert.appendChild(el("p", {}, [TEXT.police1, el("a", { href: "tel:02800", text: "02800" }),
      TEXT.police2]));
    this.alert.classList.add("vv-alert--shown");
  };

  Widget.prototype.clearAlert = function () {
    this.alert.textContent = "";
    this.alert.classList.remove("vv-alert--shown");
  };

  Widget.prototype.announce = function (text) {
    var status = this.status;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  };

  Widget.prototype.claimActive = function () {
    if (this.confirmed && this.isOpen) this.store.setActive(this.tabId);
  };

  Widget.prototype.startConversation = function () {
    if (this.state.started) return;
    this.state.started = true;
    this.store.save(this.state);
    if (this.config.initialMessage) {
      this.emit(this.config.initialMessage);
      this.showTyping();
    }
  };

  Widget.prototype.emit = function (message) {
    this.socket.emit("user_uttered", { message: message, session_id: this.state.sessionId });
  };

  // --------------------------------------------------------------- sending

  Widget.prototype.onInput = function () {
    var input = this.input;
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 160) + "px";
    var left = this.config.maxLength - input.value.length;
    this.count.textContent = left <= 200 ? TEXT.remaining(left) : "";
  };

  Widget.prototype.sendTyped = function () {
    var text = cleanText(this.input.value).trim();
    if (isBlank(text)) {
      this.input.value = "";
      this.onInput();
      return;
    }
    if (text.length > this.config.maxLength) {
      this.count.textContent = TEXT.tooLong(this.config.maxLength);
      this.announce(TEXT.tooLong(this.config.maxLength));
      return;
    }
    if (!this.send(text, text)) return;
    this.input.value = "";
    this.onInput();
  };

  // Shows `shown` as the user's message and sends `payload` to Rasa.
  Widget.prototype.send = function (shown, payload) {
    if (!this.socket || !this.socket.connected || !this.confirmed) {
      if (this.wasOffline) {
        this.showOffline();
        this.announce(TEXT.notSent);
      } else {
        this.announce(TEXT.connecting); // still connecting: the text stays in the field
      }
      this.connect();
      return false;
    }
    this.claimActive();
    this.addMessage({ from: "user", text: shown });
    this.emit(payload);
    if (!this.handoff) this.showTyping();
    return true;
  };

  // -------------------------------------------------------------- receiving

  Widget.prototype.onBotMessage = function (data) {
    if (!data || typeof data !== "object") return;
    this.hideTyping();
    if (this.alert.classList.contains("vv-alert--shown") && !this.wasOffline) this.clearAlert();
    var meta = data.metadata && typeof data.metadata === "object" ? data.metadata : {};
    if (meta.handoff) this.handoff = meta.handoff === "waiting" || meta.handoff === "active";
    var active = this.store.getActive();
    if (active && active !== this.tabId) return; // the active tab stores it
    var message = { from: "bot", text: "", quickReplies: [] };
    if (typeof data.text === "string") message.text = data.text;
    // Handoff to a person (docs/HANDOFF.md): an advisor's message is marked,
    // and while a person has the conversation no bot reply is awaited.
    if (meta.from === "advisor") message.advisor = true;
    var buttons = data.quick_replies || data.buttons;
    if (Array.isArray(buttons)) {
      message.quickReplies = buttons.filter(function (b) {
        return b && typeof b.title === "string" && typeof b.payload === "string";
      }).map(function (b) { return { title: b.title, payload: b.payload }; });
    }
    var attachment = data.attachment;
    if (attachment && attachment.type === "image" && attachment.payload &&
        typeof attachment.payload.src === "string") {
      message.image = attachment.payload.src;
    }
    if (!message.text && !message.quickReplies.length && !message.image) return;
    this.addMessage(message);
  };

  Widget.prototype.showTyping = function () {
    var self = this;
    this.typing.textContent = "";
    this.typing.appendChild(el("span", { className: "vv-dots", "aria-hidden": "true" },
      [el("span"), el("span"), el("span")]));
    this.typing.appendChild(el("span", { text: TEXT.typing }));
    this.typing.classList.add("vv-typing--shown");
    this.scrollToEnd();
    window.clearTimeout(this.replyTimer);
    this.replyTimer = window.setTimeout(function () {
      self.hideTyping();
      if (!self.wasOffline) self.showAlert(TEXT.slowTitle, TEXT.slowRetry);
    }, this.config.replyTimeoutMs);
  };

  Widget.prototype.hideTyping = function () {
    window.clearTimeout(this.replyTimer);
    this.replyTimer = null;
    this.typing.textContent = "";
    this.typing.classList.remove("vv-typing--shown");
  };

  // --------------------------------------------------------------- history

  Widget.prototype.addMessage = function (message) {
    message.id = uuid4();
    message.ts = new Date().toISOString();
    this.state = this.store.load();
    this.state.messages.push(message);
    this.store.save(this.state);
    this.renderNew();
  };

  Widget.prototype.syncFromStore = function () {
    var previous = this.state.sessionId;
    this.state = this.store.load();
    if (this.state.sessionId !== previous) {
      // Another tab began a new conversation: follow it.
      this.renderAll();
      if (this.socket) this.restartSocket();
      return;
    }
    this.renderNew();
  };

  // Appends messages that are not on screen yet; redraws everything when
  // the stored list is not a continuation of what is shown.
  Widget.prototype.renderNew = function () {
    var messages = this.state.messages;
    var rendered = this.rendered;
    var continues = rendered.length <= messages.length && rendered.every(function (id, i) {
      return messages[i].id === id;
    });
    if (!continues) {
      this.renderAll();
      return;
    }
    var hadFocusInQuick = this.removeQuickReplies();
    for (var i = rendered.length; i < messages.length; i++) {
      this.log.appendChild(this.renderMessage(messages[i], i === messages.length - 1));
      rendered.push(messages[i].id);
    }
    if (hadFocusInQuick) this.input.focus();
    this.scrollToEnd(this.turnStart());
  };

  // The first bot message after the user's latest message: where the
  // current answer begins (Rasa sends one answer as several messages).
  Widget.prototype.turnStart = function () {
    var nodes = this.log.children;
    var start = null;
    for (var i = nodes.length - 1; i >= 0; i--) {
      if (nodes[i].classList.contains("vv-msg--user")) break;
      start = nodes[i];
    }
    return start;
  };

  Widget.prototype.renderAll = function () {
    this.log.textContent = "";
    this.rendered = [];
    var messages = this.state.messages;
    var fragment = document.createDocumentFragment();
    for (var i = 0; i < messages.length; i++) {
      fragment.appendChild(this.renderMessage(messages[i], i === messages.length - 1));
      this.rendered.push(messages[i].id);
    }
    this.log.appendChild(fragment);
    this.scrollToEnd(this.turnStart());
  };

  Widget.prototype.removeQuickReplies = function () {
    var groups = this.log.querySelectorAll(".vv-quick");
    var focused = this.root.activeElement;
    var hadFocus = false;
    Array.prototype.forEach.call(groups, function (group) {
      if (focused && group.contains(focused)) hadFocus = true;
      group.parentNode.removeChild(group);
    });
    return hadFocus;
  };

  Widget.prototype.renderMessage = function (message, isLast) {
    var self = this;
    var fromBot = message.from === "bot";
    var bubble = el("div", { className: "vv-bubble", dir: "auto" });
    if (fromBot) renderRichText(bubble, message.text || "");
    else bubble.appendChild(el("p", { text: cleanText(message.text) }));
    if (fromBot && message.image) {
      var src = safeUrl(message.image);
      if (src) bubble.appendChild(el("p", {}, [link("Se bildet", src)]));
    }
    var advisor = fromBot && message.advisor === true;
    var node = el("div", { className: "vv-msg vv-msg--" + (fromBot ? "bot" : "user") +
      (advisor ? " vv-msg--advisor" : "") }, [
      advisor ? el("span", { className: "vv-from", text: TEXT.advisor })
        : el("span", { className: "vv-sr", text: (fromBot ? this.config.title : TEXT.you) + ": " }),
      bubble,
      el("div", { className: "vv-meta" }, [
        el("time", { datetime: message.ts, text: formatTime(message.ts) })
      ])
    ]);
    if (fromBot && isLast && message.quickReplies && message.quickReplies.length) {
      var group = el("div", { className: "vv-quick", role: "group",
        "aria-label": TEXT.quickReplies });
      message.quickReplies.forEach(function (reply) {
        var button = el("button", { type: "button", className: "vv-quick-reply",
          text: reply.title });
        button.addEventListener("click", function () {
          if (self.send(reply.title, reply.payload)) self.input.focus();
        });
        group.appendChild(button);
      });
      node.appendChild(group);
    }
    return node;
  };

  // Scrolls to the newest content; when the current answer is taller than
  // the view, to its start, so a long answer is read from the beginning.
  Widget.prototype.scrollToEnd = function (firstNew) {
    var scroller = this.scroller;
    window.requestAnimationFrame(function () {
      var end = scroller.scrollHeight - scroller.clientHeight;
      var target = end;
      if (firstNew && firstNew.isConnected) {
        var top = firstNew.getBoundingClientRect().top - scroller.getBoundingClientRect().top +
          scroller.scrollTop - 8;
        target = Math.min(end, top);
      }
      scroller.scrollTop = Math.max(target, 0);
    });
  };

  // ------------------------------------------------------------ new session

  Widget.prototype.askReset = function () {
    this.confirmMode = "reset";
    this.confirmText.textContent = TEXT.confirmReset;
    this.confirmYes.textContent = TEXT.confirmYes;
    this.confirmBox.hidden = false;
    this.confirmYes.focus();
  };

  Widget.prototype.askDelete = function () {
    this.confirmMode = "delete";
    this.confirmText.textContent = TEXT.confirmDelete;
    this.confirmYes.textContent = TEXT.confirmDeleteYes;
    this.confirmBox.hidden = false;
    this.confirmYes.focus();
  };

  // "Slett samtalen": the server deletes this session's conversation (only
  // this socket's own session can be named), then a new session begins.
  Widget.prototype.deleteConversation = function () {
    var self = this;
    this.confirmBox.hidden = true;
    if (!this.socket || !this.socket.connected || !this.confirmed) {
      this.announce(TEXT.deleteFailed);
      this.deleteButton.focus();
      return;
    }
    this.socket.timeout(10000).emit("delete_conversation", { session_id: this.state.sessionId },
      function (error, reply) {
        if (error || !reply || !reply.deleted) {
          self.announce(TEXT.deleteFailed);
          self.deleteButton.focus();
          return;
        }
        self.startFresh();
        self.announce(TEXT.deleted);
      });
  };

  Widget.prototype.cancelReset = function (silent) {
    if (this.confirmBox.hidden) return;
    this.confirmBox.hidden = true;
    if (!silent) this.resetButton.focus();
  };

  Widget.prototype.reset = function () {
    this.confirmBox.hidden = true;
    this.hideTyping();
    // A fresh state replaces the old one in one write, so other tabs
    // follow the new session instead of each inventing their own.
    this.startFresh();
    this.input.focus();
  };

  // Forgets the conversation in this browser and connects a new session.
  Widget.prototype.startFresh = function () {
    this.hideTyping();
    this.state = emptyState();
    this.store.save(this.state);
    this.renderAll();
    this.input.value = "";
    this.onInput();
    this.restartSocket(); // leaves the old session's room
  };

  // ------------------------------------------------------------------ icons

  function svg(paths, size) {
    var ns = "http://www.w3.org/2000/svg";
    var node = document.createElementNS(ns, "svg");
    node.setAttribute("viewBox", "0 0 24 24");
    node.setAttribute("width", size || "20");
    node.setAttribute("height", size || "20");
    node.setAttribute("aria-hidden", "true");
    node.setAttribute("focusable", "false");
    paths.forEach(function (d) {
      var path = document.createElementNS(ns, "path");
      path.setAttribute("d", d);
      node.appendChild(path);
    });
    return node;
  }

  function chatIcon() {
    return svg(["M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"], "22");
  }
  function closeIcon() { return svg(["M6 6l12 12M18 6L6 18"], "18"); }
  function sendIcon() { return svg(["M3 20l18-8L3 4v6l12 2-12 2z"], "18"); }
  function infoIcon() {
    return svg(["M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20z", "M12 11v6", "M12 7h.01"], "20");
  }

  // -------------------------------------------------------------- start-up

  function readDataConfig() {
    if (!script) return {};
    var d = script.dataset;
    var out = {};
    if (d.serverUrl) out.serverUrl = d.serverUrl;
    if (d.title) out.title = d.title;
    if (d.initialMessage) out.initialMessage = d.initialMessage;
    if (d.autoOpen) out.autoOpen = d.autoOpen === "true";
    return out;
  }

  var instance = null;

  function init(config) {
    if (instance) return instance;
    var merged = {};
    [DEFAULTS, readDataConfig(), config || {}].forEach(function (source) {
      Object.keys(source).forEach(function (key) {
        if (source[key] !== undefined) merged[key] = source[key];
      });
    });
    merged.serverUrl = String(merged.serverUrl).replace(/\/+$/, "");
    var start = function () { instance = instance || new Widget(merged); };
    if (document.body) start();
    else document.addEventListener("DOMContentLoaded", start);
    return null;
  }

  window.Veiviser = {
    version: VERSION,
    init: init,
    open: function () { if (instance) instance.open({ focus: true }); },
    close: function () { if (instance) instance.close(); }
  };

  var pageConfig = window.VeiviserConfig;
  if (!pageConfig || pageConfig.autoInit !== false) init(pageConfig);
})();
