// A stand-in for Rasa's socket.io channel inside the browser, built on
// Playwright's request routing: it speaks the engine.io v4 long-polling
// protocol (no upgrade) so a test decides exactly what the "bot" sends:
// markdown, hostile text, quick replies, or nothing at all.
const SEP = "\x1e";

export async function mockRasa(page, serverUrl, { reply, deleteReply = { deleted: true },
  sessionFailures = 0 }) {
  // One engine.io connection per sid, each with its own packet queue and
  // its own waiting long-poll GET. Every packet answers a POST of that
  // connection, so it goes to that connection only: a socket the widget has
  // dropped (after "Slett samtalen") can never take the packets of the new
  // one, whatever order the new socket's first POST and GET arrive in.
  const connections = new Map();
  let opened = 0;
  const received = [];

  const connection = (sid) => {
    if (!connections.has(sid)) connections.set(sid, { queue: [], waiter: null });
    return connections.get(sid);
  };
  const push = (sid, packet) => {
    const conn = connection(sid);
    conn.queue.push(packet);
    const wake = conn.waiter;
    conn.waiter = null;
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
    const sid = url.searchParams.get("sid");
    if (!sid) {
      opened += 1;
      const open = { sid: `mock-${opened}`, upgrades: [], pingInterval: 25000, pingTimeout: 60000,
        maxPayload: 1000000 };
      connection(open.sid);
      await route.fulfill({ status: 200, headers, body: "0" + JSON.stringify(open) });
      return;
    }
    const conn = connection(sid);
    if (request.method() === "POST") {
      for (const packet of (request.postData() || "").split(SEP)) {
        if (packet.startsWith("40")) {
          // CONNECT, with the widget's auth payload ({token}) after "40".
          received.push({ event: "connect", data: packet.length > 2 ? JSON.parse(packet.slice(2)) : null,
            query: Object.fromEntries(url.searchParams) });
          push(sid, '40{"sid":"mock-nsp"}');
        }
        const event42 = packet.match(/^42(\d*)(\[.*)$/s);
        if (!event42) continue;
        const ackId = event42[1];
        const [event, data] = JSON.parse(event42[2]);
        received.push({ event, data });
        if (event === "delete_conversation" && ackId) {
          push(sid, `43${ackId}` + JSON.stringify([deleteReply]));
          continue;
        }
        if (event === "session_request") {
          push(sid, "42" + JSON.stringify(["session_confirm", data.session_id]));
        } else if (event === "user_uttered") {
          Promise.resolve(reply(data)).then((messages) => {
            for (const m of messages || []) push(sid, "42" + JSON.stringify(["bot_uttered", m]));
          });
        }
      }
      await route.fulfill({ status: 200, headers, body: "ok" });
      return;
    }
    // Long-polling GET: answer when something is queued, or with a no-op.
    if (!conn.queue.length) {
      await new Promise((resolve) => {
        const wake = () => resolve();
        conn.waiter = wake;
        setTimeout(() => {
          if (conn.waiter === wake) conn.waiter = null;
          resolve();
        }, 15000);
      });
    }
    const body = conn.queue.length ? conn.queue.splice(0).join(SEP) : "6";
    await route.fulfill({ status: 200, headers, body }).catch(() => {});
  });
  return { received };
}
