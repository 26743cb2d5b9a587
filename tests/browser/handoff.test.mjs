// Browser tests of the handoff to a human advisor (issue 6, docs/HANDOFF.md):
// a user in the widget and an advisor in the console, in two browser
// contexts, against the real bot started by scripts/run.sh on spare ports
// with a temporary case database, 24/7 opening hours (from a config file)
// and a local SMTP server that keeps the notification mails.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import {
  CHROMIUM, ROOT, axeViolations, freePort, launchBrowser, newContext, screenshot, startVeiviser,
} from "./harness.mjs";

const STARTUP_MS = Number(process.env.VEIVISER_STARTUP_TIMEOUT_MS || 240000);
const WAIT_MS = 30000;
const TEST_MS = 150000;
const PYTHON = path.join(ROOT, ".venv", "bin", "python");
const ADVISOR = { username: "kari", name: "Kari Veileder", password: `test-${Math.random().toString(36).slice(2)}-passord` };
const ALWAYS_OPEN = `timezone: Europe/Oslo
closed_on_public_holidays: false
weekly:
${["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    .map((d) => `  ${d}: [["00:00", "24:00"]]`).join("\n")}
`;

let bot;
let browser;
let smtp;
let tmpDir;
let web;
let consoleUrl;
let mailFile;

function pythonEnv(extra) {
  return { ...process.env, PYTHONPATH: ROOT, SQLALCHEMY_SILENCE_UBER_WARNING: "1", ...extra };
}

async function startSmtp(port, out) {
  const child = spawn(PYTHON, ["-m", "tests.handoff.smtp_sink", "--port", String(port), "--out", out],
    { cwd: ROOT, env: pythonEnv(), stdio: ["ignore", "pipe", "pipe"] });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("SMTP sink did not start")), 20000);
    child.stdout.on("data", (d) => { if (String(d).includes("ready")) { clearTimeout(timer); resolve(); } });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`SMTP sink exited (${code})`)); });
  });
  return child;
}

before(async () => {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} not found`);
  const [rasaPort, actionPort, webPort, consolePort, smtpPort] =
    [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "veiviser-handoff-"));
  mailFile = path.join(tmpDir, "mails.jsonl");
  const hours = path.join(tmpDir, "hours.yml");
  fs.writeFileSync(hours, ALWAYS_OPEN);
  web = `http://127.0.0.1:${webPort}`;
  consoleUrl = `http://127.0.0.1:${consolePort}`;
  // scripts/run.sh and its children read these from the environment.
  Object.assign(process.env, {
    CONSOLE_PORT: String(consolePort),
    VEIVISER_CASE_DB_URL: `sqlite:///${path.join(tmpDir, "cases.db")}`,
    VEIVISER_HANDOFF_HOURS: hours,
    VEIVISER_SMTP_HOST: "127.0.0.1",
    VEIVISER_SMTP_PORT: String(smtpPort),
    VEIVISER_SMTP_TO: "veiledere@example.no",
    VEIVISER_SMTP_FROM: "veiviser@example.no",
  });
  delete process.env.VEIVISER_RELAY_SECRET; // run.sh makes one for this run
  const created = spawnSync(PYTHON, ["-m", "veiviser.console.accounts", "create", ADVISOR.username,
    "--name", ADVISOR.name, "--password-stdin"], { cwd: ROOT, env: pythonEnv(), input: ADVISOR.password + "\n" });
  assert.equal(created.status, 0, String(created.stderr));
  smtp = await startSmtp(smtpPort, mailFile);
  const [started, launched] = await Promise.allSettled([
    startVeiviser({ rasaPort, actionPort, webPort, origins: [web], trackerDb: path.join(tmpDir, "rasa.db"),
      timeoutMs: STARTUP_MS }),
    launchBrowser(),
  ]);
  bot = started.value;
  browser = launched.value;
  if (started.status === "rejected" || launched.status === "rejected") {
    await browser?.close();
    await bot?.stop();
    smtp?.kill();
    bot = browser = smtp = undefined;
    throw started.reason || launched.reason;
  }
}, { timeout: STARTUP_MS + 60000 });

after(async () => {
  await browser?.close();
  await bot?.stop();
  smtp?.kill();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
}, { timeout: 90000 });

// ------------------------------------------------------------------ helpers

const widget = (page) => ({
  launcher: page.getByRole("button", { name: "Snakk med Veiviser" }),
  input: page.getByRole("textbox", { name: "Melding til Veiviser" }),
  bot: page.locator(".vv-log .vv-msg--bot"),
  advisor: page.locator(".vv-log .vv-msg--advisor"),
  user: page.locator(".vv-log .vv-msg--user"),
  quickReplies: page.getByRole("group", { name: "Svaralternativer" }).getByRole("button"),
});

async function openWidget(page) {
  await page.goto(web + "/");
  await widget(page).launcher.click();
  await widget(page).quickReplies.first().waitFor({ timeout: WAIT_MS }); // the greeting
}

async function say(page, text) {
  const w = widget(page);
  const before = await w.user.count();
  await w.input.fill(text);
  await w.input.press("Enter");
  await w.user.nth(before).waitFor({ state: "attached", timeout: WAIT_MS });
}

async function botSays(page, pattern) {
  await widget(page).bot.filter({ hasText: pattern }).last().waitFor({ timeout: WAIT_MS });
}

async function signIn(page) {
  await page.goto(consoleUrl + "/");
  assert.match(page.url(), /\/login$/, "not signed in: sent to the sign-in page");
  await noAxeViolations(page, "sign-in");
  await page.getByLabel("Brukernavn").fill(ADVISOR.username);
  await page.getByLabel("Passord").fill(ADVISOR.password);
  await page.getByRole("button", { name: "Logg inn" }).click();
  await page.getByRole("heading", { name: "Kø" }).waitFor({ timeout: WAIT_MS });
}

function mails() {
  if (!fs.existsSync(mailFile)) return [];
  return fs.readFileSync(mailFile, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

async function noAxeViolations(page, state) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `axe-core violations (${state}):\n${JSON.stringify(violations, null, 2)}`);
}

// -------------------------------------------------------------------- tests

describe("handoff to a human advisor", { concurrency: false }, () => {
  test("live: request, queue, accept, messages both ways, end, bot resumes", { timeout: TEST_MS }, async () => {
    const advisorContext = await newContext(browser);
    const advisor = await advisorContext.newPage();
    await signIn(advisor);
    await noAxeViolations(advisor, "queue");

    const userContext = await newContext(browser);
    const user = await userContext.newPage();
    await openWidget(user);
    await say(user, "kan jeg snakke med en veileder?");
    await botSays(user, /Jeg setter deg over til en veileder\. Du er først i køen\./);
    const reference = (await widget(user).bot.last().innerText()).match(/VV-[0-9A-Z]{4}-[0-9A-Z]{4}/)[0];

    // The advisor sees the waiting case (polling) and opens it.
    const link = advisor.getByRole("link", { name: `Sak ${reference}` });
    await link.waitFor({ timeout: WAIT_MS });
    await link.click();
    await advisor.locator("#transcript .msg--user", { hasText: "kan jeg snakke med en veileder?" })
      .waitFor({ timeout: WAIT_MS });
    await advisor.getByRole("button", { name: "Ta samtalen" }).click();
    await botSays(user, /Du snakker nå med en veileder/);

    // Advisor -> user, marked as written by a person.
    const reply = advisor.getByLabel("Svar til brukeren");
    await reply.waitFor({ timeout: WAIT_MS });
    // Keyboard only: focus is in the reply box after accepting; Tab reaches
    // "Send" with a visible focus ring.
    await advisor.waitForFunction(() => document.activeElement && document.activeElement.id === "reply");
    await advisor.keyboard.type("Hei, jeg er veileder. Hva gjelder det?");
    await advisor.keyboard.press("Tab");
    const focus = await advisor.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { text: el.textContent.trim(), ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2 };
    });
    assert.deepEqual(focus, { text: "Send", ring: true });
    await advisor.keyboard.press("Enter");
    await advisor.locator("#reply-status", { hasText: "Levert." }).waitFor({ timeout: WAIT_MS });
    const fromAdvisor = widget(user).advisor.filter({ hasText: "Hei, jeg er veileder. Hva gjelder det?" });
    await fromAdvisor.waitFor({ timeout: WAIT_MS });
    assert.match(await fromAdvisor.innerText(), /Veileder \(et menneske\)/);
    await screenshot(user, "handoff-01-user-with-advisor");

    // User -> advisor, and the bot stays silent while the advisor has the
    // conversation. Markup and a bidi override arrive in the console as text.
    const botsBefore = await widget(user).bot.count();
    await say(user, "Det gjelder en elev <img src=x onerror=alert(1)> \u202eabc");
    assert.equal(await user.locator(".vv-typing--shown").count(), 0, "no typing indicator while a person answers");
    const echoed = advisor.locator("#transcript .msg--user", { hasText: "Det gjelder en elev <img src=x onerror=alert(1)>" });
    await echoed.waitFor({ timeout: WAIT_MS });
    assert.equal(await advisor.locator("#transcript img").count(), 0);
    assert.doesNotMatch(await echoed.innerText(), /\u202e/);
    assert.equal(await echoed.locator("p").getAttribute("dir"), "auto");
    await user.waitForTimeout(1500);
    assert.equal(await widget(user).bot.count(), botsBefore, "the bot must not answer during the handoff");
    await noAxeViolations(advisor, "case view");
    await screenshot(advisor, "handoff-02-console-case");

    // End: the bot is back and answers again.
    await advisor.getByRole("button", { name: "Avslutt og gi tilbake til Veiviser" }).click();
    await botSays(user, /Nå svarer Veiviser igjen/);
    await say(user, "hei");
    await botSays(user, /Jeg er Veiviser/);

    // The view is in the audit log.
    await advisor.goto(consoleUrl + "/audit");
    await advisor.locator("#audit tr", { hasText: "åpnet samtale" }).first().waitFor({ timeout: WAIT_MS });
    await advisor.getByRole("button", { name: "Logg ut" }).click();
    await advisor.getByRole("button", { name: "Logg inn" }).waitFor({ timeout: WAIT_MS });
    assert.deepEqual(advisorContext.pageErrors, []);
    assert.deepEqual(userContext.pageErrors, []);
    await advisorContext.close();
    await userContext.close();
  });

  test("callback: no advisor signed in, form in the chat, mail to the advisors", { timeout: TEST_MS }, async () => {
    const userContext = await newContext(browser);
    const user = await userContext.newPage();
    const w = widget(user);
    await openWidget(user);
    await say(user, "kan jeg snakke med en veileder?");
    await botSays(user, /Ingen veileder er logget inn i chatten akkurat nå/);
    await w.quickReplies.filter({ hasText: "Ja, be om å bli kontaktet" }).click();
    await botSays(user, /hvor jobber du\?/);
    await w.quickReplies.filter({ hasText: "Skole" }).click();
    await botSays(user, /Hvilken kommune jobber du i\?/);
    await say(user, "Bergen");
    await botSays(user, /telefonnummer eller hvilken e-postadresse/);
    await say(user, "112");
    await botSays(user, /Jeg fant ikke et gyldig norsk telefonnummer/);
    await say(user, "412 34 567");
    await botSays(user, /Når passer det best/);
    await say(user, "i morgen formiddag");
    await botSays(user, /Beskriv kort hva du vil drøfte/);
    await say(user, "En elev har endret seg mye det siste halve året.");
    await botSays(user, /Samtykker du/);
    await w.quickReplies.filter({ hasText: "Ja, jeg samtykker" }).click();
    await botSays(user, /Forespørselen er registrert med saksnummer VV-/);
    const reference = (await w.bot.last().innerText()).match(/VV-[0-9A-Z]{4}-[0-9A-Z]{4}/)[0];
    await screenshot(user, "handoff-03-callback-done");

    // The notification: reference and a console link, no contact detail or description.
    let mail;
    for (let i = 0; i < 50 && !mail; i++) {
      mail = mails().find((m) => m.subject.includes(reference));
      if (!mail) await user.waitForTimeout(200);
    }
    assert.ok(mail, `no mail about ${reference} in the SMTP sink`);
    assert.deepEqual(mail.to, ["<veiledere@example.no>"]);
    assert.doesNotMatch(mail.body, /41234567|412 34 567|endret seg/);
    const link = mail.body.match(new RegExp(`${consoleUrl}/callbacks/[0-9a-f-]{36}`))[0];

    // The advisor follows the link, signs in, takes the request and sees the number.
    const advisorContext = await newContext(browser);
    const advisor = await advisorContext.newPage();
    await signIn(advisor);
    await advisor.goto(link);
    await advisor.getByRole("button", { name: "Ta forespørselen" }).click();
    await advisor.locator("#callback-details dd", { hasText: "+4741234567" }).waitFor({ timeout: WAIT_MS });
    await noAxeViolations(advisor, "callback view");
    assert.deepEqual(userContext.pageErrors, []);
    assert.deepEqual(advisorContext.pageErrors, []);
    await userContext.close();
    await advisorContext.close();
  });
});
