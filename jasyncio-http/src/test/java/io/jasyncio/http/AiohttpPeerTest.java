package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.Asyncio;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with Python's aiohttp (Debian's python3-aiohttp, run by /usr/bin/python3): our
 * WebSocket client against an aiohttp server, and aiohttp's HTTP and WebSocket client against our server.
 * Each peer is a small script started on 127.0.0.1 by the test and bounded in time.
 */
@Timeout(120)
class AiohttpPeerTest {
    private static final String PYTHON = PeerProcess.PYTHON;

    private static final String WS_SERVER = """
            import asyncio
            from aiohttp import web, WSMsgType
            async def echo(request):
                ws = web.WebSocketResponse()
                await ws.prepare(request)
                async for msg in ws:
                    if msg.type == WSMsgType.TEXT:
                        if msg.data == "close-me":
                            await ws.close(code=4001, message=b"asked")
                            break
                        await ws.send_str("py:" + msg.data)
                    elif msg.type == WSMsgType.BINARY:
                        await ws.send_bytes(msg.data[::-1])
                return ws
            async def main():
                app = web.Application()
                app.router.add_get("/ws", echo)
                runner = web.AppRunner(app)
                await runner.setup()
                site = web.TCPSite(runner, "127.0.0.1", 0)
                await site.start()
                print(site._server.sockets[0].getsockname()[1], flush=True)
                await asyncio.sleep(60)
            asyncio.run(main())
            """;

    private static final String CLIENT = """
            import asyncio, sys, aiohttp
            async def main(base):
                async with aiohttp.ClientSession() as s:
                    for i in range(2):
                        async with s.get(base + "/hello?n=%d" % i) as r:
                            print("get", r.status, await r.text(), flush=True)
                    async with s.post(base + "/upload", data=b"z" * 100000) as r:
                        print("post", r.status, len(await r.read()), flush=True)
                    print("connections", len(s.connector._conns), flush=True)
                    async with s.ws_connect(base.replace("http", "ws") + "/ws") as ws:
                        await ws.send_str("hello")
                        m = await ws.receive(timeout=10)
                        print("text", m.data, flush=True)
                        await ws.send_bytes(bytes(range(256)) * 1000)
                        m = await ws.receive(timeout=10)
                        print("binary", len(m.data), m.data[:3] == bytes([0, 1, 2]), flush=True)
                        await ws.ping(b"x")
                        await ws.close()
                        print("closed", ws.close_code, flush=True)
            asyncio.run(asyncio.wait_for(main(sys.argv[1]), 30))
            """;

    @BeforeAll
    static void needsAiohttp() throws Exception {
        PeerProcess.assumePython("aiohttp");
    }

    @Test
    void ourWebSocketClientTalksToAnAiohttpServer(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("ws_server.py");
        Files.writeString(script, WS_SERVER);
        java.lang.Process py = new ProcessBuilder(PYTHON, script.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
            int port = Integer.parseInt(out.readLine().trim());
            io.jasyncio.test.StrictLoop.run(io.jasyncio.test.StrictLoop.realTime(), () -> {
                WebSocket ws = WebSocket.connect(URI.create("ws://127.0.0.1:" + port + "/ws"));
                ws.sendText("hi é");
                assertThat(ws.receive().text()).isEqualTo("py:hi é");
                byte[] data = new byte[200_000];
                for (int i = 0; i < data.length; i++) data[i] = (byte) i;
                ws.sendBinary(data);
                byte[] back = ws.receive().bytes();
                assertThat(back).hasSize(data.length);
                assertThat(back[0]).isEqualTo(data[data.length - 1]);
                ws.ping(new byte[] {1});
                ws.sendText("close-me");
                assertThat(ws.receive()).isNull();
                assertThat(ws.closeCode()).isEqualTo(4001);
                assertThat(ws.closeReason()).isEqualTo("asked");
                return null;
            });
        } finally {
            py.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aiohttpClientTalksHttpAndWebSocketToOurServer(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("client.py");
        Files.writeString(script, CLIENT);
        Router router = WebSocketTest.echoRouter()
                .get("/hello", r -> HttpResponse.text("hello " + r.queryParam("n")))
                .post("/upload", r -> HttpResponse.bytes(r.body().bytes(), "application/octet-stream"))
                .websocket("/ws", (ws, request) -> {
                    for (WebSocketMessage m : ws) {
                        if (m.isText()) ws.sendText(m.text() + "!"); else ws.sendBinary(m.bytes());
                    }
                });
        String[] output = new String[1];
        HttpServerTest.serve(router, server -> {
            output[0] = Asyncio.toThread(() -> {
                java.lang.Process py = new ProcessBuilder(PYTHON, script.toString(), "http://127.0.0.1:" + server.port())
                        .redirectErrorStream(true).start();
                try {
                    String text = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(py.waitFor(40, TimeUnit.SECONDS)).isTrue();
                    return text;
                } finally {
                    py.destroyForcibly();
                }
            });
        });
        assertThat(output[0]).contains("get 200 hello 0\n", "get 200 hello 1\n", "post 200 100000\n", "connections 1\n",
                "text hello!\n", "binary 256000 True\n", "closed 1000\n");
    }
}
