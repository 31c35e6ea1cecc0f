"""An aiohttp server for jasyncio-http's client tests: prints "PORT <n>" once listening on 127.0.0.1."""
import asyncio, sys
from aiohttp import web


async def hello(request):
    return web.Response(text="hello from aiohttp")


async def stream(request):
    resp = web.StreamResponse()
    resp.enable_chunked_encoding()
    await resp.prepare(request)
    for i in range(100):
        await resp.write(b"line %d\n" % i)
    await resp.write_eof()
    return resp


async def compressed(request):
    resp = web.Response(text="compressible " * 2000)
    resp.enable_compression()
    return resp


async def echo(request):
    body = await request.read()
    return web.json_response({"method": request.method, "length": len(body), "body": body.decode()})


async def main():
    app = web.Application()
    app.add_routes([web.get("/hello", hello), web.get("/stream", stream), web.get("/compressed", compressed),
                    web.post("/echo", echo), web.put("/echo", echo)])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print("PORT %d" % site._server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
