// Browser tests of the web page and the chat widget in headless Chromium,
// against the real bot started by scripts/run.sh (on spare ports, with a
// temporary tracker store). Screenshots land in artifacts/browser/.
//
//   cd web && npm test          (scripts/test.sh runs this too)
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import {
  CHROMIUM, ROOT, axeViolations, freePort, launchBrowser, newContext, screenshot, startEmbedServer,
  startForwarder, startVeiviser,
} from "./harness.mjs";
import { mockRasa } from "./mock_rasa.mjs";

const STARTUP_MS = Number(process.env.VEIVISER_STARTUP_TIMEOUT_MS || 240000);
const REPLY_MS = 30000;
const TEST_MS = 90000; // per test; every wait inside is bounded too
// When the contacts capability is in the model, the Bergen answer must name
// the police district; until then any rendered reply will do.
// VEIVISER_EXPECT_CONTACTS=0/1 overrides the guess (for runs on an older model).
const HAS_CONTACTS = process.env.VEIVISER_EXPECT_CONTACTS
  ? process.env.VEIVISER_EXPECT_CONTACTS === "1"
  : fs.existsSync(path.join(ROOT, "domain", "contacts.yml"));
const XSS_INPUTS = [
  "<img src=x onerror=alert(1)>",
  "<script>alert(2)</script>",
  "[klikk her](javascript:alert(3))",
  "{{7*7}} ${7*7}",
];

let bot;
let browser;
let embed;
let web; // http://127.0.0.1:<port> of the page and the socket.io proxy
let closedPort;
let tmpDir;

before(async () => {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} not found: install Debian's chromium ` +
    "(make setup does, as root) or set CHROMIUM to a Chromium binary.");
  const [rasaPort, actionPort, webPort] = [await freePort(), await freePort(), await freePort()];
  closedPort = await freePort();
  embed = await startEmbedServer();
  web = `http://127.0.0.1:${webPort}`;
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "veiviser-web-"));
  const trackerDb = path.join(tmpDir, "rasa.db");
  // The page's own origin, and one "municipal site" origin that may embed
  // the widget; http://localhost:<embed port> is deliberately not allowed.
  const origins = [web, `http://127.0.0.1:${embed.port}`];
  const [started, launched] = await Promise.allSettled([
    startVeiviser({ rasaPort, actionPort, webPort, origins, trackerDb, timeoutMs: STARTUP_MS }),
    launchBrowser(),
  ]);
  bot = started.value;
  browser = launched.value;
  if (started.status === "rejected" || launched.status === "rejected") {
    await browser?.close();
    await bot?.stop();
    bot = browser = undefined;
    throw started.reason || launched.reason;
  }
}, { timeout: STARTUP_MS + 30000 });

after(async () => {
  await browser?.close();
  await bot?.stop();
  await embed?.close();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
}, { timeout: 90000 });

// ------------------------------------------------------------------ helpers

const ui = (page) => ({
  launcher: page.getByRole("button", { name: "Snakk med Veiviser" }),
  dialog: page.getByRole("dialog", { name: "Veiviser" }),
  input: page.getByRole("textbox", { name: "Melding til Veiviser" }),
  log: page.getByRole("log"),
  bot: page.locator(".vv-log .vv-msg--bot"),
  user: page.locator(".vv-log .vv-msg--user"),
  quickReplies: page.getByRole("group", { name: "Svaralternativer" }).getByRole("button"),
  alert: page.getByRole("alert"),
  typing: page.locator(".vv-typing"),
});

async function openWidget(page) {
  await ui(page).launcher.click();
  await ui(page).dialog.waitFor({ state: "visible" });
}

async function send(page, text) {
  const { input, user } = ui(page);
  const before = await user.count();
  await input.fill(text);
  await input.press("Enter");
  await waitForCount(user, before + 1);
}

async function waitForCount(locator, atLeast, timeout = REPLY_MS) {
  await locator.nth(atLeast - 1).waitFor({ state: "attached", timeout });
}

async function bubbleTexts(locator) {
  return locator.locator(".vv-bubble").allInnerTexts();
}

async function expectAccessible(page, state) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `axe-core violations (${state}):\n` +
    JSON.stringify(violations, null, 2));
}

function expectNoPageErrors(context) {
  assert.deepEqual(context.pageErrors, [], "errors in the page");
}

// The focused element, looking inside the widget's shadow root, and
// whether it has a visible focus indicator.
async function focused(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    const host = document.getElementById("veiviser-widget");
    const inWidget = el === host;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return { tag: "BODY", inWidget: false };
    const style = getComputedStyle(el);
    return {
      tag: el.tagName, id: el.id, className: String(el.className),
      name: (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 60),
      inWidget,
      focusVisible: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    };
  });
}

function embedUrl(host, config) {
  return embed.url(host, config, `${web}/widget/veiviser.js`);
}

// -------------------------------------------------------------------- tests

describe("Veiviser web chat in Chromium", { concurrency: false }, () => {
  test("landing page: Norwegian, widget closed, no axe violations", { timeout: TEST_MS }, async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(web + "/");
    assert.equal(await page.getAttribute("html", "lang"), "nb");
    assert.equal(await page.locator("#veiviser-widget").getAttribute("lang"), "nb");
    await ui(page).launcher.waitFor({ state: "visible" });
    assert.equal(await ui(page).launcher.getAttribute("aria-expanded"), "false");
    assert.equal(await ui(page).dialog.isVisible(), false);
    await expectAccessible(page, "closed");
    await screenshot(page, "01-closed");
    expectNoPageErrors(context);
    await context.close();
  });

  test("open with no messages yet: privacy notice first, no axe violations", { timeout: TEST_MS }, async () => {
    // A municipal page embeds the widget without an initial message, so the
    // panel stays empty until the user writes.
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(embedUrl("127.0.0.1", { serverUrl: web, title: "Veiviser" }));
    await openWidget(page);
    const { dialog, input, log } = ui(page);
    assert.match(await dialog.innerText(), /ikke skriv navn, fødselsnummer eller andre opplysninger som kan identifisere personen du er bekymret for/i);
    assert.equal(await log.getAttribute("aria-live"), "polite");
    assert.equal(await ui(page).bot.count(), 0);
    assert.ok(await input.evaluate((el) => el.getRootNode().activeElement === el), "focus in the input");
    await page.locator(".vv[data-connection=online]").waitFor({ state: "attached" });
    await expectAccessible(page, "open");
    await screenshot(page, "02-open-empty");
    expectNoPageErrors(context);
    await context.close();
  });

  test("conversation: greeting with buttons, quick reply, Bergen, reload and new tab keep it", { timeout: TEST_MS }, async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(web + "/");
    await openWidget(page);
    const w = ui(page);

    // The greeting (initialMessage) with quick replies.
    await waitForCount(w.quickReplies, 1);
    const greeting = (await bubbleTexts(w.bot)).join("\n");
    assert.match(greeting, /Veiviser/);
    assert.equal(await w.user.count(), 0, "the initial message is not shown as the user's");
    await w.bot.first().locator("time[datetime]").waitFor();
    await expectAccessible(page, "with buttons");
    await screenshot(page, "03-greeting-buttons");

    // A quick reply sends its payload and shows its title.
    const title = (await w.quickReplies.first().innerText()).trim();
    const botsBefore = await w.bot.count();
    await w.quickReplies.first().click();
    await waitForCount(w.user, 1);
    assert.equal((await bubbleTexts(w.user))[0], title);
    assert.doesNotMatch((await w.log.innerText()), /\/ask_|\/inform/, "no payload on screen");
    await waitForCount(w.bot, botsBefore + 1);

    // The Bergen question gets an answer.
    const botsBeforeBergen = await w.bot.count();
    await send(page, "hvem kontakter jeg i Bergen");
    await waitForCount(w.bot, botsBeforeBergen + 1);
    await w.typing.locator("text=Veiviser skriver").waitFor({ state: "detached" });
    const answer = (await bubbleTexts(w.bot)).slice(botsBeforeBergen).join("\n");
    assert.ok(answer.trim().length > 0, "a rendered reply");
    if (HAS_CONTACTS) assert.match(answer, /Vest politidistrikt|Bergen/);
    await expectAccessible(page, "with messages");
    await screenshot(page, "04-bergen-answer");

    // Reload: the panel reopens with the same history and session.
    const history = await bubbleTexts(w.log.locator(".vv-msg"));
    const session = await page.evaluate(() => JSON.parse(localStorage["veiviser:conversation"]).sessionId);
    assert.match(session, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await page.reload();
    await w.dialog.waitFor({ state: "visible" });
    await waitForCount(w.log.locator(".vv-msg"), history.length, 5000);
    assert.deepEqual(await bubbleTexts(w.log.locator(".vv-msg")), history);
    assert.equal(await page.evaluate(() => JSON.parse(localStorage["veiviser:conversation"]).sessionId), session);

    // The conversation goes on after the reload, on the same session.
    const botsAfterReload = await w.bot.count();
    await page.locator(".vv[data-connection=online]").waitFor({ state: "attached" });
    await send(page, "takk");
    await waitForCount(w.bot, botsAfterReload + 1);

    // A new tab shows the same conversation, and what it adds shows up in
    // the first tab too.
    const tab = await context.newPage();
    await tab.goto(web + "/");
    await openWidget(tab);
    const t = ui(tab);
    const count = await w.log.locator(".vv-msg").count();
    await waitForCount(t.log.locator(".vv-msg"), count, 5000);
    assert.deepEqual(await bubbleTexts(t.log.locator(".vv-msg")), await bubbleTexts(w.log.locator(".vv-msg")));
    await tab.locator(".vv[data-connection=online]").waitFor({ state: "attached" });
    const tabBots = await t.bot.count();
    await send(tab, "hei");
    await waitForCount(t.bot, tabBots + 1);
    await waitForCount(w.user, (await t.user.count()), 5000);
    await screenshot(tab, "05-new-tab-history");
    expectNoPageErrors(context);
    await context.close();
  });

  test("keyboard only: reach, open, quick reply, send, leave, close with Esc", { timeout: TEST_MS }, async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(web + "/");
    const w = ui(page);
    await w.launcher.waitFor();

    // Tab through the page to the launcher; every stop shows its focus.
    let info = null;
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press("Tab");
      info = await focused(page);
      assert.ok(info.focusVisible, `visible focus on ${JSON.stringify(info)}`);
      if (info.className.includes("vv-launcher")) break;
    }
    assert.ok(info.className.includes("vv-launcher"), "the launcher is reachable with Tab");
    await page.keyboard.press("Enter");
    await w.dialog.waitFor({ state: "visible" });
    assert.equal((await focused(page)).id, "vv-input", "focus moves to the input");
    assert.equal(await page.locator(".vv-launcher").getAttribute("aria-expanded"), "true");

    // Shift+Tab from the input reaches the quick replies; Enter chooses one.
    await waitForCount(w.quickReplies, 1);
    await page.keyboard.press("Shift+Tab");
    info = await focused(page);
    assert.ok(info.className.includes("vv-quick-reply") && info.focusVisible, JSON.stringify(info));
    const botsBefore = await w.bot.count();
    await page.keyboard.press("Enter");
    await waitForCount(w.user, 1);
    assert.equal((await bubbleTexts(w.user))[0], info.name);
    assert.equal((await focused(page)).id, "vv-input", "focus back in the input after a quick reply");
    await waitForCount(w.bot, botsBefore + 1);

    // Type and send with Enter.
    await page.keyboard.type("hva er bekymringstegn");
    await page.keyboard.press("Enter");
    await waitForCount(w.user, 2);
    assert.equal((await bubbleTexts(w.user))[1], "hva er bekymringstegn");

    // No trap: Tab goes from the input to Send and on out of the widget;
    // Shift+Tab comes back.
    await page.keyboard.press("Tab");
    info = await focused(page);
    assert.ok(info.className.includes("vv-send") && info.focusVisible, JSON.stringify(info));
    await page.keyboard.press("Tab");
    assert.equal((await focused(page)).inWidget, false, "Tab leaves the widget");
    await page.keyboard.press("Shift+Tab");
    assert.ok((await focused(page)).inWidget, "Shift+Tab returns to the widget");

    // Esc closes and returns focus to the launcher.
    await page.keyboard.press("Escape");
    await w.dialog.waitFor({ state: "hidden" });
    info = await focused(page);
    assert.ok(info.className.includes("vv-launcher") && info.focusVisible, JSON.stringify(info));
    assert.equal(await w.launcher.getAttribute("aria-expanded"), "false");
    await screenshot(page, "06-keyboard-closed-focus");
    expectNoPageErrors(context);
    await context.close();
  });

  test("what the user types is shown as text, never run (XSS)", { timeout: TEST_MS }, async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(web + "/");
    await openWidget(page);
    const w = ui(page);
    await waitForCount(w.bot, 1);
    for (const text of XSS_INPUTS) {
      const bots = await w.bot.count();
      await send(page, text);
      await waitForCount(w.bot, bots + 1);
    }
    assert.deepEqual(await bubbleTexts(w.user), XSS_INPUTS);
    assert.equal(await w.log.locator("img, script, a[href^='javascript']").count(), 0);
    assert.equal(await page.evaluate(() => document.querySelectorAll("img").length), 0);
    await screenshot(page, "07-xss-as-text");

    // "Ny samtale" asks first, then forgets the conversation in this browser
    // and starts a new session (the greeting comes again).
    const sessionOf = () => page.evaluate(() =>
      JSON.parse(localStorage["veiviser:conversation"]).sessionId);
    const oldSession = await sessionOf();
    await page.getByRole("button", { name: "Ny samtale" }).click();
    const yes = page.getByRole("button", { name: "Ja, begynn på nytt" });
    await yes.waitFor();
    assert.ok(await yes.evaluate((el) => el.getRootNode().activeElement === el), "focus on the confirm button");
    await yes.click();
    await waitForCount(w.bot, 1);
    assert.equal(await w.user.count(), 0);
    assert.notEqual(await sessionOf(), oldSession);
    expectNoPageErrors(context); // includes: no alert() dialog opened
    await context.close();
  });

  test("bot text: safe links, lists, bold, buttons and typing indicator (mock server)", { timeout: TEST_MS }, async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const server = `http://127.0.0.1:${closedPort}`;
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    const mock = await mockRasa(page, server, {
      reply: async (data) => {
        if (data.message === "vis formatering") {
          await held;
          return [{
            text: "Les handlingsplanen på https://www.regjeringen.no/no/dokumenter/id123/. " +
              "**Er noen i fare nå, ring 112.**\n- Politiet: [politiet.no](https://www.politiet.no)\n" +
              "  (innrykket linje hører til punktet)\n" +
              "- Farlig: [trykk](javascript:alert(4))\n<img src=x onerror=alert(5)>",
            quick_replies: [{ content_type: "text", title: "Ja <b>takk</b>", payload: "/affirm" }],
          }];
        }
        return [{ text: "Mottatt." }];
      },
    });
    await page.goto(embedUrl("127.0.0.1", { serverUrl: server, title: "Veiviser" }));
    await openWidget(page);
    const w = ui(page);
    await page.locator(".vv[data-connection=online]").waitFor({ state: "attached" });
    await send(page, "vis formatering");
    await w.typing.getByText("Veiviser skriver").waitFor();
    release();
    await waitForCount(w.bot, 1);
    await w.typing.getByText("Veiviser skriver").waitFor({ state: "detached" });

    const bubble = w.bot.first().locator(".vv-bubble");
    const plan = bubble.locator("a[href='https://www.regjeringen.no/no/dokumenter/id123/']");
    assert.equal(await plan.count(), 1, "bare URL linked without the full stop");
    assert.equal(await plan.getAttribute("rel"), "noopener noreferrer");
    assert.equal(await bubble.locator("strong").innerText(), "Er noen i fare nå, ring 112.");
    assert.equal(await bubble.locator("ul > li").count(), 2);
    assert.match(await bubble.locator("ul > li").first().innerText(), /\(innrykket linje hører til punktet\)/);
    assert.equal(await bubble.locator("a[href='https://www.politiet.no/']").textContent(),
      "politiet.no (åpnes i ny fane)");
    assert.equal(await bubble.locator("a").count(), 2, "javascript: is not a link");
    assert.match(await bubble.innerText(), /\[trykk\]\(javascript:alert\(4\)\)/);
    assert.match(await bubble.innerText(), /<img src=x onerror=alert\(5\)>/);
    assert.equal(await bubble.locator("img").count(), 0);
    assert.match(await w.bot.first().locator("time").innerText(), /^\d{2}[:.]\d{2}$/);
    await expectAccessible(page, "with buttons (rich text)");
    await screenshot(page, "08-rich-text");

    const reply = w.quickReplies.first();
    assert.equal(await reply.innerText(), "Ja <b>takk</b>");
    await reply.click();
    await waitForCount(w.user, 2);
    assert.equal((await bubbleTexts(w.user))[1], "Ja <b>takk</b>");
    const sent = mock.received.filter((r) => r.event === "user_uttered").map((r) => r.data.message);
    assert.deepEqual(sent, ["vis formatering", "/affirm"]);
    assert.equal(await w.quickReplies.count(), 0, "answered buttons are removed");
    expectNoPageErrors(context);
    await context.close();
  });

  test("a bot that does not answer: the typing indicator gives way to a notice", { timeout: TEST_MS }, async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const server = `http://127.0.0.1:${closedPort}`;
    await mockRasa(page, server, { reply: () => new Promise(() => {}) });
    await page.goto(embedUrl("127.0.0.1", { serverUrl: server, replyTimeoutMs: 1500 }));
    await openWidget(page);
    await page.locator(".vv[data-connection=online]").waitFor({ state: "attached" });
    await send(page, "hallo?");
    await ui(page).alert.getByText("Veiviser svarer ikke akkurat nå.").waitFor();
    const text = await ui(page).alert.innerText();
    assert.match(text, /112/);
    assert.match(text, /02800/);
    expectNoPageErrors(context);
    await context.close();
  });

  test("server unreachable: clear Norwegian message with 112 and 02800", { timeout: TEST_MS }, async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(embedUrl("127.0.0.1", { serverUrl: `http://127.0.0.1:${closedPort}`,
      initialMessage: "/greet" }));
    await openWidget(page);
    const { alert } = ui(page);
    await alert.getByText("Veiviser kan ikke nås akkurat nå.").waitFor();
    const text = await alert.innerText();
    assert.match(text, /ring 112/);
    assert.match(text, /ring 02800/);
    assert.equal(await alert.locator("a[href='tel:112']").count(), 1);
    assert.equal(await alert.locator("a[href='tel:02800']").count(), 1);

    // Trying to send keeps the text and says why.
    await ui(page).input.fill("hei");
    await ui(page).input.press("Enter");
    assert.equal(await ui(page).input.inputValue(), "hei");
    assert.equal(await ui(page).user.count(), 0);
    await expectAccessible(page, "unreachable");
    await screenshot(page, "09-unreachable");
    expectNoPageErrors(context);
    await context.close();
  });

  test("embedding: allowed site chats cross-origin; other origins are refused", { timeout: TEST_MS }, async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(embedUrl("127.0.0.1", { serverUrl: web, initialMessage: "/greet" }));
    await openWidget(page);
    await waitForCount(ui(page).bot, 1);

    const refused = await context.newPage();
    await refused.goto(embedUrl("localhost", { serverUrl: web, initialMessage: "/greet" }));
    await openWidget(refused);
    await ui(refused).alert.getByText("Veiviser kan ikke nås akkurat nå.").waitFor();
    assert.equal(await ui(refused).bot.count(), 0);
    expectNoPageErrors(context);
    await context.close();
  });

  test("reconnects by itself when the server goes away and comes back", { timeout: TEST_MS }, async () => {
    const forwarder = await startForwarder(Number(new URL(web).port));
    const context = await newContext(browser);
    const page = await context.newPage();
    try {
      await page.goto(embedUrl("127.0.0.1", { serverUrl: `http://127.0.0.1:${forwarder.port}`,
        initialMessage: "/greet" }));
      await openWidget(page);
      const w = ui(page);
      await waitForCount(w.bot, 1);
      forwarder.down();
      await w.alert.getByText("Veiviser kan ikke nås akkurat nå.").waitFor();
      forwarder.up();
      await w.alert.getByText("Veiviser kan ikke nås").waitFor({ state: "detached", timeout: 20000 });
      await page.locator(".vv[data-connection=online]").waitFor({ state: "attached" });
      const bots = await w.bot.count();
      await send(page, "hvem kontakter jeg i Bergen");
      await waitForCount(w.bot, bots + 1);
      expectNoPageErrors(context);
    } finally {
      await context.close();
      await forwarder.close();
    }
  });

  test("320 px wide (400 % zoom), text spacing and reduced motion: no horizontal scrolling", { timeout: TEST_MS }, async () => {
    const context = await newContext(browser, { viewport: { width: 320, height: 256 },
      reducedMotion: "reduce" });
    const page = await context.newPage();
    await page.goto(web + "/");
    const noHorizontalScroll = () => page.evaluate(() =>
      document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    assert.ok(await noHorizontalScroll(), "landing page reflows at 320 px");
    await screenshot(page, "10-page-320");
    await openWidget(page);
    const w = ui(page);
    await waitForCount(w.quickReplies, 1);
    assert.equal(await page.locator(".vv-panel").evaluate((el) => getComputedStyle(el).animationName), "none");
    // WCAG 1.4.12 text spacing, applied to the page and inside the widget.
    const spacing = "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; " +
      "word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }";
    // Constructed style sheets, as a bookmarklet would add them; the page's
    // CSP (no inline styles) does not apply to them.
    await page.evaluate((css) => {
      for (const root of [document, document.getElementById("veiviser-widget").shadowRoot]) {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
      }
    }, spacing);
    await send(page, "https://www.regjeringen.no/no/dokumenter/en-veldig-lang-adresse-uten-mellomrom-som-ikke-skal-gi-vannrett-rulling/id0000000/");
    const layout = await page.evaluate(() => {
      const root = document.getElementById("veiviser-widget").shadowRoot;
      const box = (sel) => root.querySelector(sel).getBoundingClientRect();
      const scroller = root.querySelector(".vv-scroll");
      const clipped = [...root.querySelectorAll("button, .vv-bubble")].filter(
        (el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.className);
      return {
        viewport: { w: window.innerWidth, h: window.innerHeight },
        panel: box(".vv-panel"), input: box(".vv-input"), send: box(".vv-send"),
        scrollerOverflow: scroller.scrollWidth - scroller.clientWidth, clipped,
      };
    });
    assert.ok(layout.panel.right <= layout.viewport.w && layout.panel.left >= 0, JSON.stringify(layout));
    assert.ok(layout.input.bottom <= layout.viewport.h, "input visible: " + JSON.stringify(layout));
    assert.ok(layout.send.right <= layout.viewport.w, "send button visible: " + JSON.stringify(layout));
    assert.equal(layout.scrollerOverflow, 0, "no horizontal scrolling in the conversation");
    assert.deepEqual(layout.clipped, [], "nothing cut off");
    await screenshot(page, "11-widget-320x256-text-spacing");
    await expectAccessible(page, "320 px with buttons");
    expectNoPageErrors(context);
    await context.close();
  });
});
