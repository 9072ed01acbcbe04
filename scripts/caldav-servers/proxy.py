#!/usr/bin/env python3
"""A reverse proxy in front of a test CalDAV server, on the loopback interface.

It adds what the tests need and a bare server lacks:
  --user/--password  Basic authentication (Xandikos has none of its own: it is meant to sit
                     behind a proxy that does it, as here).
  --die-after N      the process exits after answering N requests: a server killed mid-sync.
  --delay S          every answer waits S seconds: a slow server.
  --race             just before the first conditional PUT (If-Match), the same object is
                     rewritten by "someone else", so the real server answers 412
                     (--race-log FILE: and its path is written to FILE).
Prints "ready PORT" once it listens.
"""
import argparse
import asyncio
import base64
import os
import sys

from aiohttp import ClientSession, web

# Not passed on; Content-Encoding is (the body is passed on as it came, compressed or not).
HOP = {"host", "connection", "keep-alive", "transfer-encoding", "content-length"}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--backend", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--die-after", type=int)
    p.add_argument("--delay", type=float, default=0.0)
    p.add_argument("--race", action="store_true")
    p.add_argument("--race-log", help="where --race writes the path it raced on")
    a = p.parse_args()
    state = {"answered": 0, "raced": False}
    expected = None
    if a.user is not None:
        expected = "Basic " + base64.b64encode(f"{a.user}:{a.password}".encode()).decode()

    async def handle(request: web.Request) -> web.StreamResponse:
        if expected is not None and request.headers.get("Authorization") != expected:
            return web.Response(status=401, headers={"WWW-Authenticate": 'Basic realm="test"'})
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP}
        url = a.backend.rstrip("/") + request.path_qs
        async with ClientSession(auto_decompress=False) as s:
            if a.race and not state["raced"] and request.method == "PUT" and "If-Match" in headers:
                state["raced"] = True
                other = {k: v for k, v in headers.items() if k.lower() != "if-match"}
                edited = body.replace(b"SUMMARY:", b"SUMMARY:(edited elsewhere) ", 1)
                async with s.request("PUT", url, headers=other, data=edited) as r:
                    await r.read()
                if a.race_log:
                    with open(a.race_log, "a") as f:
                        f.write(request.path + "\n")
            async with s.request(request.method, url, headers=headers, data=body,
                                 allow_redirects=False) as r:
                data = await r.read()
                out = {k: v for k, v in r.headers.items() if k.lower() not in HOP}
                if "Location" in out:
                    out["Location"] = out["Location"].replace(a.backend.rstrip("/"), "")
                status = r.status
        if a.delay:
            await asyncio.sleep(a.delay)
        state["answered"] += 1
        if a.die_after is not None and state["answered"] > a.die_after:
            # Killed: the connection drops without an answer, and nothing listens any more.
            sys.stdout.flush()
            os._exit(0)
        return web.Response(status=status, headers=out, body=data)

    async def serve():
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", a.port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        print(f"ready {port}", flush=True)
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
