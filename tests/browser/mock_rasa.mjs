// A stand-in for Rasa's socket.io channel inside the browser, built on
// Playwright's request routing: it speaks the engine.io v4 long-polling
// protocol (no upgrade) so a test decides exactly what the "bot" sends:
// markdown, hostile text, quick replies, or nothing at all.
const SEP = "\x1e";

export async function mockRasa(page, serverUrl, { reply, deleteReply = { deleted: true },
  sessionFailures = 0 }) {
  const queue = [];
  // Long-polling GETs waiting for packets, oldest first. A socket the widget
  // has dropped may still have one open: only the newest is woken, and one
  // that times out answers a no-op without taking queued packets, so the
  // packets of a new session never go to a dead socket.
  const waiters = [];
  const received = [];

  const push = (packet) => {
    queue.push(packet);
    const wake = waiters.pop();
    if (wake) wake();
  };
  const headers = {
    "Content-Type": "text/plain; charset=UTF-8",
    "Access-Control-Allow-Origin": "*",
  };

  // The web front's session endpoint: a fresh mock session and token.
  let sessions = 0;
  let failures = sessionFailures;
  await page.route(`${serverUrl}/api/session**`, async (route) => {
    if (failures > 0) { // the server is not reachable yet
      failures -= 1;
      await route.abort("connectionrefused");
      return;
    }
    sessions += 1;
    await route.fulfill({
      status: 200,
      headers: { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" },
      body: JSON.stringify({ session_id: `mock-session-${sessions}`, token: "mock-token",
        expires_in: 3600 }),
    });
  });

  await page.route(`${serverUrl}/socket.io/**`, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (!url.searchParams.get("sid")) {
      const open = { sid: "mock", upgrades: [], pingInterval: 25000, pingTimeout: 60000,
        maxPayload: 1000000 };
      await route.fulfill({ status: 200, headers, body: "0" + JSON.stringify(open) });
      return;
    }
    if (request.method() === "POST") {
      for (const packet of (request.postData() || "").split(SEP)) {
        if (packet.startsWith("40")) {
          // CONNECT, with the widget's auth payload ({token}) after "40".
          received.push({ event: "connect", data: packet.length > 2 ? JSON.parse(packet.slice(2)) : null,
            query: Object.fromEntries(url.searchParams) });
          push('40{"sid":"mock-nsp"}');
        }
        const event42 = packet.match(/^42(\d*)(\[.*)$/s);
        if (!event42) continue;
        const ackId = event42[1];
        const [event, data] = JSON.parse(event42[2]);
        received.push({ event, data });
        if (event === "delete_conversation" && ackId) {
          push(`43${ackId}` + JSON.stringify([deleteReply]));
          continue;
        }
        if (event === "session_request") {
          push("42" + JSON.stringify(["session_confirm", data.session_id]));
        } else if (event === "user_uttered") {
          Promise.resolve(reply(data)).then((messages) => {
            for (const m of messages || []) push("42" + JSON.stringify(["bot_uttered", m]));
          });
        }
      }
      await route.fulfill({ status: 200, headers, body: "ok" });
      return;
    }
    // Long-polling GET: answer when something is queued, or with a no-op.
    if (!queue.length) {
      const woken = await new Promise((resolve) => {
        const wake = () => resolve(true);
        waiters.push(wake);
        setTimeout(() => {
          const index = waiters.indexOf(wake);
          if (index >= 0) waiters.splice(index, 1);
          resolve(false);
        }, 15000);
      });
      if (!woken) {
        await route.fulfill({ status: 200, headers, body: "6" }).catch(() => {});
        return;
      }
    }
    const body = queue.length ? queue.splice(0).join(SEP) : "6";
    await route.fulfill({ status: 200, headers, body }).catch(() => {});
  });
  return { received };
}
