// Test harness for the browser tests: starts Veiviser with scripts/run.sh on
// spare loopback ports, serves third-party "embed" pages, forwards TCP with
// an on/off switch (to take the server away and bring it back), launches
// the system Chromium through playwright-core and runs axe-core.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const ARTIFACTS = path.join(ROOT, "artifacts", "browser");
const require = createRequire(path.join(ROOT, "web", "package.json"));
const { chromium } = require("playwright-core");
const AXE_PATH = require.resolve("axe-core/axe.min.js");

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// ------------------------------------------------------------ the bot

export async function startVeiviser({ rasaPort, actionPort, webPort, origins, trackerDb,
  timeoutMs }) {
  const env = {
    ...process.env,
    RASA_PORT: String(rasaPort),
    ACTION_PORT: String(actionPort),
    WEB_PORT: String(webPort),
    TRACKER_DB: trackerDb,
    VEIVISER_WEB_ORIGINS: origins.join(","),
  };
  // VEIVISER_RUN_SCRIPT: another start script with run.sh's interface
  // (ports from the environment, "Trykk Ctrl-C" when ready), for development.
  const script = process.env.VEIVISER_RUN_SCRIPT || path.join(ROOT, "scripts", "run.sh");
  const child = spawn(script, [], {
    cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(
      `scripts/run.sh not ready within ${timeoutMs / 1000} s:\n${output.slice(-3000)}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.includes("Trykk Ctrl-C")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`scripts/run.sh exited (${code}) before it was ready:\n${output.slice(-3000)}`));
    });
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try { process.kill(-child.pid, "SIGINT"); } catch { return; }
    const timer = setTimeout(() => { try { process.kill(-child.pid, "SIGKILL"); } catch {} }, 60000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  child.stdout.resume();
  child.stderr.resume();
  return { stop, output: () => output };
}

// ------------------------------------------ a third-party page embedding us

// Serves /embed?config=<base64url JSON>&src=<widget script URL>: an ordinary
// municipal page with the documented snippet (a config object and one script tag).
export async function startEmbedServer() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname !== "/embed") {
      res.writeHead(404).end();
      return;
    }
    const config = url.searchParams.get("config") || "e30";
    const src = url.searchParams.get("src");
    const json = Buffer.from(config, "base64url").toString("utf8");
    JSON.parse(json); // only JSON goes into the page
    const safeJson = json.replace(/</g, "\\u003c");
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(`<!doctype html>
<html lang="nb">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Eksempel kommune – Oppvekst</title></head>
<body>
<main>
  <h1>Eksempel kommune: oppvekst</h1>
  <p>En vanlig side i kommunens nettsted. Veiviser er lagt inn med én script-tagg.</p>
</main>
<script>window.VeiviserConfig = ${safeJson};</script>
<script src="${src.replace(/"/g, "")}" defer></script>
</body>
</html>`);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = server.address().port;
  return {
    port,
    url(host, config, widgetSrc) {
      const encoded = Buffer.from(JSON.stringify(config)).toString("base64url");
      return `http://${host}:${port}/embed?config=${encoded}&src=${encodeURIComponent(widgetSrc)}`;
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

// A TCP forwarder that can drop every connection and refuse new ones,
// standing in for a server restart or a network outage.
export async function startForwarder(targetPort) {
  const sockets = new Set();
  let accepting = true;
  const server = net.createServer((client) => {
    if (!accepting) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => { client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: server.address().port,
    down() {
      accepting = false;
      for (const s of sockets) s.destroy();
    },
    up() { accepting = true; },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

// ------------------------------------------------------------ the browser

export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (make setup does, as root) ` +
      "or set CHROMIUM to a Chromium binary.");
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // playwright-core gives every launch a fresh, temporary --user-data-dir.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage"],
  });
}

// A fresh context (own storage) with axe-core preloaded and page errors
// collected. The page's own CSP stays on; axe comes in as an init script.
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: "nb-NO",
    timezoneId: "Europe/Oslo",
    ...options,
  });
  context.pageErrors = [];
  // Content Security Policy violations caused by the page's own scripts (a
  // source file is known; axe-core's injected <style> has none).
  await context.exposeBinding("__veiviserCspViolation", (_, text) => context.pageErrors.push(text));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      if (e.sourceFile) {
        window.__veiviserCspViolation(`CSP ${e.violatedDirective} in ${e.sourceFile}:${e.lineNumber}`);
      }
    }, true);
  });
  await context.addInitScript({ path: AXE_PATH });
  context.on("page", (page) => watchPage(context, page));
  return context;
}

function watchPage(context, page) {
  page.on("pageerror", (error) => context.pageErrors.push(String(error)));
  page.on("dialog", (dialog) => {
    context.pageErrors.push(`unexpected dialog: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
}

export async function axeViolations(page) {
  // Contrast is judged on the settled page: a panel still fading in (a
  // 160 ms opacity animation) would otherwise be measured half transparent
  // on a slow machine. document.getAnimations() does not look into shadow
  // trees, and the widget lives in one, so every shadow root is asked too.
  // Infinite animations (the typing dots) never settle and are left running.
  await page.evaluate(async () => {
    const roots = [document];
    for (let i = 0; i < roots.length; i += 1) {
      for (const el of roots[i].querySelectorAll("*")) {
        if (el.shadowRoot) roots.push(el.shadowRoot);
      }
    }
    const finite = roots.flatMap((root) => root.getAnimations())
      .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
    await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
    // One more frame so that the settled styles are the ones painted.
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  });
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
    }));
  }, WCAG_TAGS);
  return result;
}

// Screenshots are artefacts, not assertions: wait (briefly) for the
// conversation's smooth scrolling to settle so they show the final view.
export async function screenshot(target, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const page = typeof target.page === "function" ? target.page() : target;
  await page.evaluate(() => new Promise((resolve) => {
    const root = document.getElementById("veiviser-widget")?.shadowRoot;
    const scroller = root && root.querySelector(".vv-scroll");
    if (!scroller) return resolve();
    let last = -1;
    let stable = 0;
    const started = performance.now();
    const tick = () => {
      stable = scroller.scrollTop === last ? stable + 1 : 0;
      last = scroller.scrollTop;
      if (stable >= 3 || performance.now() - started > 2000) resolve();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }));
  await target.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}
