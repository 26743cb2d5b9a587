"""A tiny SMTP server for tests: accepts every mail and keeps it.

In pytest: ``with SmtpSink() as sink: ... sink.messages``. From the browser
tests: ``python -m tests.handoff.smtp_sink --port N --out mails.jsonl``
(prints "ready" once listening; one JSON object per received mail).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import threading
from email import message_from_bytes, policy
from typing import List, Optional


class _Protocol:
    def __init__(self, on_mail) -> None:
        self.on_mail = on_mail

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def reply(line: str) -> None:
            writer.write((line + "\r\n").encode())

        reply("220 veiviser-test-sink")
        sender, recipients = None, []
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                command = line.decode("utf-8", "replace").strip()
                verb = command[:4].upper()
                if verb in ("HELO", "EHLO"):
                    reply("250 hello")
                elif verb == "MAIL":
                    sender, recipients = command[10:].strip(), []
                    reply("250 ok")
                elif verb == "RCPT":
                    recipients.append(command[8:].strip())
                    reply("250 ok")
                elif verb == "DATA":
                    reply("354 end with .")
                    await writer.drain()
                    chunks = []
                    while True:
                        data = await reader.readline()
                        if data in (b".\r\n", b".\n", b""):
                            break
                        chunks.append(data[1:] if data.startswith(b"..") else data)
                    self.on_mail(sender, recipients, b"".join(chunks))
                    reply("250 queued")
                elif verb == "QUIT":
                    reply("221 bye")
                    await writer.drain()
                    break
                else:
                    reply("250 ok")
                await writer.drain()
        finally:
            writer.close()


def parse(sender, recipients, raw: bytes) -> dict:
    mail = message_from_bytes(raw, policy=policy.default)
    return {"from": sender, "to": recipients, "subject": str(mail["Subject"]),
            "body": mail.get_body(("plain",)).get_content()}


class SmtpSink:
    """Runs the server in a thread on a free port."""

    def __init__(self) -> None:
        self.messages: List[dict] = []
        self.port: Optional[int] = None
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()

    def __enter__(self) -> "SmtpSink":
        threading.Thread(target=self._run, daemon=True).start()
        self._ready.wait(10)
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        proto = _Protocol(lambda s, r, raw: self.messages.append(parse(s, r, raw)))
        server = self._loop.run_until_complete(asyncio.start_server(proto.handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._server = server
        self._ready.set()
        self._loop.run_forever()

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._server.close)
        self._loop.call_soon_threadsafe(self._loop.stop)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    def store(sender, recipients, raw) -> None:
        with open(args.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(parse(sender, recipients, raw), ensure_ascii=False) + "\n")

    async def serve() -> None:
        server = await asyncio.start_server(_Protocol(store).handle, "127.0.0.1", args.port)
        print("ready", flush=True)
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
