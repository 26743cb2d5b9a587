"""HTML shells of the console pages. Dynamic content is filled in by
static/console.js with textContent; the little that is rendered here is
escaped with html.escape."""
from __future__ import annotations

from html import escape
from typing import Optional

from veiviser.console.auth import SignedIn


def page(title: str, body: str, who: Optional[SignedIn], page_id: str, data: str = "") -> str:
    nav = ""
    csrf = ""
    if who is not None:
        csrf = f'<meta name="csrf-token" content="{escape(who.csrf_token)}">'
        nav = f"""
  <nav aria-label="Hovedmeny">
    <ul>
      <li><a href="/">Kø</a></li>
      <li><a href="/audit">Revisjonslogg</a></li>
    </ul>
  </nav>
  <p class="who">Logget inn som {escape(who.display_name)}</p>
  <form method="post" action="/logout" class="logout">
    <input type="hidden" name="csrf" value="{escape(who.csrf_token)}">
    <button type="submit">Logg ut</button>
  </form>"""
    return f"""<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{csrf}
<title>{escape(title)} – Veiviser veilederkonsoll</title>
<link rel="stylesheet" href="/static/console.css">
<script src="/static/console.js" defer></script>
</head>
<body data-page="{page_id}" {data}>
<a class="skip" href="#main">Hopp til innholdet</a>
<header>
  <p class="brand">Veiviser – veilederkonsoll</p>{nav}
</header>
<main id="main" tabindex="-1">
<h1>{escape(title)}</h1>
{body}
</main>
</body>
</html>"""


def login(error: Optional[str], csrf: str) -> str:
    alert = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    body = f"""{alert}
<form method="post" action="/login" class="login">
  <input type="hidden" name="csrf" value="{escape(csrf)}">
  <p><label for="username">Brukernavn</label>
  <input id="username" name="username" autocomplete="username" required autofocus></p>
  <p><label for="password">Passord</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p><button type="submit">Logg inn</button></p>
  <p class="hint">Etter 5 feilede forsøk sperres kontoen i 15 minutter.</p>
</form>"""
    return page("Logg inn", body, None, "login")


def queue(who: SignedIn) -> str:
    body = """
<p id="availability" role="status"></p>
<section aria-labelledby="h-waiting"><h2 id="h-waiting">Venter på veileder</h2>
  <ul id="waiting" class="list"></ul></section>
<section aria-labelledby="h-active"><h2 id="h-active">Mine aktive samtaler</h2>
  <ul id="active" class="list"></ul></section>
<section aria-labelledby="h-callbacks"><h2 id="h-callbacks">Forespørsler om kontakt</h2>
  <ul id="callbacks" class="list"></ul></section>
<section aria-labelledby="h-closed"><h2 id="h-closed">Mine avsluttede samtaler</h2>
  <ul id="closed" class="list"></ul></section>"""
    return page("Kø", body, who, "queue")


def case(who: SignedIn, case_id: str) -> str:
    body = """
<p id="case-status" role="status"></p>
<p><button type="button" id="accept" hidden>Ta samtalen</button></p>
<section aria-labelledby="h-transcript"><h2 id="h-transcript">Samtalen</h2>
  <ol id="transcript" class="transcript" aria-live="polite"></ol></section>
<form id="reply-form" hidden>
  <p><label for="reply">Svar til brukeren</label>
  <textarea id="reply" rows="4" maxlength="4000" required></textarea></p>
  <p><button type="submit">Send</button>
  <span id="reply-status" role="status"></span></p>
</form>
<p><button type="button" id="end" hidden>Avslutt og gi tilbake til Veiviser</button></p>
<section aria-labelledby="h-notes"><h2 id="h-notes">Interne notater</h2>
  <p class="hint">Notatene vises aldri for brukeren.</p>
  <ul id="notes" class="list"></ul>
  <form id="note-form">
    <p><label for="note">Nytt notat</label>
    <textarea id="note" rows="3" maxlength="4000" required></textarea></p>
    <p><button type="submit">Lagre notat</button></p>
  </form></section>"""
    return page("Samtale", body, who, "case", f'data-id="{escape(case_id)}"')


def callback(who: SignedIn, callback_id: str) -> str:
    body = """
<p id="callback-status" role="status"></p>
<dl id="callback-details"></dl>
<p><button type="button" id="claim" hidden>Ta forespørselen</button>
<button type="button" id="done" hidden>Merk som fullført</button></p>
<section aria-labelledby="h-notes"><h2 id="h-notes">Interne notater</h2>
  <ul id="notes" class="list"></ul>
  <form id="note-form" hidden>
    <p><label for="note">Nytt notat</label>
    <textarea id="note" rows="3" maxlength="4000" required></textarea></p>
    <p><button type="submit">Lagre notat</button></p>
  </form></section>"""
    return page("Forespørsel om kontakt", body, who, "callback", f'data-id="{escape(callback_id)}"')


def audit(who: SignedIn) -> str:
    body = """
<table>
  <caption>De siste 200 hendelsene, nyeste først</caption>
  <thead><tr><th scope="col">Tidspunkt (UTC)</th><th scope="col">Veileder</th>
  <th scope="col">Hendelse</th><th scope="col">Gjelder</th></tr></thead>
  <tbody id="audit"></tbody>
</table>"""
    return page("Revisjonslogg", body, who, "audit")


def message(who: Optional[SignedIn], title: str, text: str) -> str:
    return page(title, f"<p>{escape(text)}</p><p><a href=\"/\">Til køen</a></p>", who, "message")
