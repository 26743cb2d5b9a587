// socket.io load for the benchmark (bench/__main__.py runs it with node from
// web/, where socket.io-client 4.8 is installed). Each simulated user opens
// a WebSocket with its session id (query vv_sid, as the widget does, so
// nginx keeps it on one Rasa process), asks for its session and holds one
// conversation turn by turn. Latency = time from sending a message to the
// first bot message; the next turn follows QUIET_MS after the last bot
// message of the turn (a turn has one or more bot messages).
//
//   node socketio_load.mjs <url> <users> <maxSeconds> <conversations.json>
// Prints one JSON object: {latencies_ms, errors, seconds}.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { createHmac, randomUUID } from "node:crypto";
import path from "node:path";

const require = createRequire(path.join(process.cwd(), "package.json"));
const { io } = require("socket.io-client");

const [url, usersArg, secondsArg, conversationsFile] = process.argv.slice(2);
const users = Number(usersArg);
const maxSeconds = Number(secondsArg);
const conversations = JSON.parse(readFileSync(conversationsFile, "utf8"));
const QUIET_MS = 150;
const SECRET = process.env.VEIVISER_SESSION_SECRET;

// A session token as the web front issues it (veiviser/privacy/tokens.py):
// HS256 JWT with sub = session id and an expiry.
function sessionToken(sessionId) {
  const part = (object) => Buffer.from(JSON.stringify(object)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const body = `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: sessionId, iat: now, exp: now + 3600 })}`;
  return `${body}.${createHmac("sha256", SECRET).update(body).digest("base64url")}`;
}
const TURN_TIMEOUT_MS = 30000;

const latencies = [];
const errors = {};
const started = performance.now();
const deadline = started + maxSeconds * 1000;
const error = (kind) => { errors[kind] = (errors[kind] || 0) + 1; };

function turn(socket, sessionId, text) {
  return new Promise((resolve) => {
    const sent = performance.now();
    let first = null;
    let quiet = null;
    const done = (value) => {
      clearTimeout(timeout);
      clearTimeout(quiet);
      socket.off("bot_uttered", onBot);
      resolve(value);
    };
    const onBot = () => {
      if (first === null) first = performance.now() - sent;
      clearTimeout(quiet);
      quiet = setTimeout(() => done(first), QUIET_MS);
    };
    const timeout = setTimeout(() => { error("timeout"); done(null); }, TURN_TIMEOUT_MS);
    socket.on("bot_uttered", onBot);
    socket.emit("user_uttered", { message: text, session_id: sessionId });
  });
}

async function user(index) {
  let n = index;
  while (performance.now() < deadline) {
    const sessionId = randomUUID().replaceAll("-", "");
    const socket = io(url, {
      transports: ["websocket"], query: { vv_sid: sessionId }, reconnection: false,
      auth: { token: sessionToken(sessionId) },
      timeout: 10000,
    });
    const ok = await new Promise((resolve) => {
      socket.once("session_confirm", () => resolve(true));
      socket.once("connect_error", () => { error("connect_error"); resolve(false); });
      socket.once("connect", () => socket.emit("session_request", { session_id: sessionId }));
    });
    if (!ok) { socket.close(); await new Promise((r) => setTimeout(r, 500)); continue; }
    for (const text of conversations[n % conversations.length]) {
      if (performance.now() >= deadline) break;
      const latency = await turn(socket, sessionId, text);
      if (latency !== null) latencies.push(latency);
    }
    socket.close();
    n += users;
  }
}

await Promise.all(Array.from({ length: users }, (_, i) => user(i)));
console.log(JSON.stringify({
  latencies_ms: latencies, errors, seconds: (performance.now() - started) / 1000,
}));
process.exit(0);
