// Browser tests of the widget's session and deletion protocol (issue 7,
// docs/SECURITY.md), against a stand-in for Rasa's socket.io channel in the
// page (mock_rasa.mjs) and the real web server for the widget's files.
//
//   cd web && node --test ../tests/browser/security.test.mjs
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";

import { ROOT, axeViolations, freePort, launchBrowser, newContext, startEmbedServer } from "./harness.mjs";
import { mockRasa } from "./mock_rasa.mjs";

const TEST_MS = 60000;
let browser;
let embed;
let webServer;
let web;
let closedPort;

async function startWebServer(port) {
  const child = spawn(path.join(ROOT, ".venv", "bin", "python"),
    ["scripts/serve_web.py", "--port", String(port), "--upstream", `http://127.0.0.1:${closedPort}`],
    { cwd: ROOT, env: { ...process.env, PYTHONPATH: ROOT }, stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url + "/healthz")).ok) return { child, url };
    } catch { /* not yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error("serve_web.py did not start");
}

before(async () => {
  closedPort = await freePort();
  embed = await startEmbedServer();
  webServer = await startWebServer(await freePort());
  web = webServer.url;
  browser = await launchBrowser();
}, { timeout: 60000 });

after(async () => {
  await browser?.close();
  await embed?.close();
  webServer?.child.kill();
});

async function openWithMock(options = {}) {
  const context = await newContext(browser);
  const page = await context.newPage();
  const server = `http://127.0.0.1:${closedPort}`;
  const urls = [];
  page.on("request", (request) => urls.push(request.url()));
  const mock = await mockRasa(page, server, {
    reply: (data) => [{ text: data.message === "/greet" ? "Hei! Jeg er Veiviser." : "Mottatt." }],
    ...options,
  });
  await page.goto(embed.url("127.0.0.1", { serverUrl: server, initialMessage: "/greet" },
    `${web}/widget/veiviser.js`));
  await page.getByRole("button", { name: "Snakk med Veiviser" }).click();
  await page.locator(".vv[data-connection=online]").waitFor({ state: "attached" });
  await page.locator(".vv-log .vv-msg--bot").first().waitFor();
  return { context, page, mock, urls };
}

const stored = (page) => page.evaluate(() => JSON.parse(localStorage["veiviser:conversation"]));

describe("Veiviser widget: sessions and deletion", { concurrency: false }, () => {
  test("connects with the server's session id and token; the token is never in a URL", { timeout: TEST_MS }, async () => {
    const { context, page, mock, urls } = await openWithMock();
    const state = await stored(page);
    assert.equal(state.sessionId, "mock-session-1");
    const connect = mock.received.find((r) => r.event === "connect");
    assert.deepEqual(connect.data, { token: "mock-token" });
    assert.equal(connect.query.vv_sid, "mock-session-1");
    const request = mock.received.find((r) => r.event === "session_request");
    assert.equal(request.data.session_id, "mock-session-1");
    assert.ok(urls.every((u) => !u.includes("mock-token")), "token in a URL");
    await context.close();
  });

  test("Slett samtalen: asks, deletes on the server, starts a new session", { timeout: TEST_MS }, async () => {
    const { context, page, mock } = await openWithMock();
    const input = page.getByRole("textbox", { name: "Melding til Veiviser" });
    await input.fill("en melding");
    await input.press("Enter");
    await page.locator(".vv-log .vv-msg--bot").nth(1).waitFor();

    await page.getByRole("button", { name: "Slett samtalen" }).click();
    const yes = page.getByRole("button", { name: "Ja, slett samtalen" });
    await yes.waitFor();
    assert.ok(await yes.evaluate((el) => el.getRootNode().activeElement === el), "focus on confirm");
    assert.match(await page.locator(".vv-confirm").innerText(), /kan ikke hentes tilbake/);
    assert.deepEqual(await axeViolations(page), [], "axe: delete confirmation");
    await yes.click();

    await page.locator(".vv-log .vv-msg--user").waitFor({ state: "detached" });
    const deleted = mock.received.filter((r) => r.event === "delete_conversation");
    assert.deepEqual(deleted.map((r) => r.data.session_id), ["mock-session-1"]);
    await page.getByRole("status").getByText("Samtalen er slettet").waitFor({ state: "attached" });
    await page.waitForFunction(() =>
      JSON.parse(localStorage["veiviser:conversation"]).sessionId === "mock-session-2");
    // The new session gets its own greeting.
    await page.locator(".vv-log .vv-msg--bot").first().waitFor();
    const greets = mock.received.filter((r) => r.event === "user_uttered" && r.data.message === "/greet");
    assert.deepEqual(greets.map((r) => r.data.session_id), ["mock-session-1", "mock-session-2"]);
    assert.deepEqual(context.pageErrors, []);
    await context.close();
  });

  test("no session at first: the notice shows, then the widget connects by itself", { timeout: TEST_MS }, async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const server = `http://127.0.0.1:${closedPort}`;
    await mockRasa(page, server, { reply: () => [{ text: "Hei!" }], sessionFailures: 2 });
    await page.goto(embed.url("127.0.0.1", { serverUrl: server, initialMessage: "/greet" },
      `${web}/widget/veiviser.js`));
    await page.getByRole("button", { name: "Snakk med Veiviser" }).click();
    await page.getByRole("alert").getByText("Veiviser kan ikke nås akkurat nå.").waitFor();
    await page.locator(".vv[data-connection=online]").waitFor({ state: "attached", timeout: 20000 });
    await page.locator(".vv-log .vv-msg--bot").first().waitFor();
    assert.equal((await stored(page)).sessionId, "mock-session-1");
    await context.close();
  });

  test("when deletion fails the conversation stays and the user is told", { timeout: TEST_MS }, async () => {
    const { context, page } = await openWithMock({ deleteReply: { deleted: false } });
    await page.getByRole("button", { name: "Slett samtalen" }).click();
    await page.getByRole("button", { name: "Ja, slett samtalen" }).click();
    await page.getByRole("status").getByText("kunne ikke slettes").waitFor({ state: "attached" });
    assert.equal((await stored(page)).sessionId, "mock-session-1");
    assert.equal(await page.locator(".vv-log .vv-msg--bot").count(), 1);
    await context.close();
  });
});
