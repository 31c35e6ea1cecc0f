package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.Event;
import io.jasyncio.Future;
import io.jasyncio.Task;
import io.jasyncio.test.StrictLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Graceful shutdown: idle connections at once, in-flight requests finish with Connection: close, then the rest cancelled. */
@Timeout(120)
class HttpServerShutdownTest {
    private static final int IN_FLIGHT = 10;

    @Test
    void shutdownUnderLoadFinishesInFlightRequestsAndClosesIdleOnesAtOnce() {
        StrictLoop.run(StrictLoop.realTime(), (Coroutine<Void>) () -> {
            Event release = new Event();
            int[] started = {0};
            Event allStarted = new Event();
            Router router = new Router()
                    .get("/", r -> HttpResponse.text("hello"))
                    .get("/work", r -> {
                        if (++started[0] == IN_FLIGHT) {
                            allStarted.set();
                        }
                        release.await();
                        return HttpResponse.text("done");
                    });
            HttpServer server = HttpServer.start(router, "127.0.0.1", 0);
            int port = server.port();
            RawHttpClient idle = RawHttpClient.connect(port);
            idle.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(idle.read().text()).isEqualTo("hello");

            List<Task<RawHttpClient.Response>> clients = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                clients.add(Asyncio.createTask(() -> {
                    try (RawHttpClient c = RawHttpClient.connect(port)) {
                        c.send("GET /work HTTP/1.1\r\nHost: t\r\n\r\n");
                        RawHttpClient.Response r = c.read();
                        assertThat(c.closedByServer()).isTrue();
                        return r;
                    }
                }));
            }
            Asyncio.timeout(Duration.ofSeconds(20), () -> allStarted.await());
            Task<Void> shutdown = Asyncio.createTask(() -> {
                server.shutdown(Duration.ofSeconds(30));
                return null;
            });
            // while every handler is still held: the idle connection is closed, no new connection is accepted
            assertThat(idle.closedByServer()).isTrue();
            idle.close();
            assertThatThrownBy(() -> RawHttpClient.connect(port).close()).isInstanceOf(IOException.class);
            assertThat(server.isServing()).isFalse();
            assertThat(shutdown.done()).isFalse();
            release.set();
            for (Task<RawHttpClient.Response> t : clients) {
                RawHttpClient.Response r = t.await();
                assertThat(r.text()).isEqualTo("done");
                assertThat(r.header("Connection")).isEqualTo("close");
            }
            shutdown.await();
            assertThat(server.connectionCount()).isZero();
            return null;
        });
    }

    @Test
    void aResponseStillBeingFlushedToASlowReaderIsNotCutByTheShutdown() {
        StrictLoop.run(StrictLoop.realTime(), (Coroutine<Void>) () -> {
            byte[] big = new byte[4 * 1024 * 1024];
            java.util.Arrays.fill(big, (byte) 'x');
            Event started = new Event();
            Router router = new Router().get("/big", r -> {
                started.set();
                return HttpResponse.bytes(big, "application/octet-stream");
            });
            HttpServer server = HttpServer.start(router, "127.0.0.1", 0);
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n");
                Asyncio.timeout(Duration.ofSeconds(20), () -> started.await());
                Task<Void> shutdown = Asyncio.createTask(() -> {
                    server.shutdown(Duration.ofSeconds(60));
                    return null;
                });
                long got = 0;
                for (int reads = 0; ; reads++) {
                    byte[] b = c.readRaw(16 * 1024);
                    if (b.length == 0) {
                        break;
                    }
                    got += b.length;
                    if (reads % 16 == 0) {
                        Asyncio.sleep(0.001); // slow: the server's buffer stays full to the end
                    }
                }
                shutdown.await();
                assertThat(got).as("head + the whole body").isGreaterThan(big.length);
                assertThat(got).isLessThan(big.length + 400L);
            }
            return null;
        });
    }

    @Test
    void handlersStillRunningWhenTheGraceEndsAreCancelled() {
        StrictLoop.run(StrictLoop.realTime(), (Coroutine<Void>) () -> {
            Future<String> outcome = Asyncio.getRunningLoop().createFuture();
            Event started = new Event();
            Router router = new Router().get("/stuck", r -> {
                started.set();
                try {
                    Asyncio.sleep(Duration.ofHours(1));
                } catch (CancelledError e) {
                    outcome.setResult("cancelled");
                    throw e;
                }
                return HttpResponse.text("never");
            });
            HttpServer server = HttpServer.start(router, "127.0.0.1", 0);
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("GET /stuck HTTP/1.1\r\nHost: t\r\n\r\n");
                Asyncio.timeout(Duration.ofSeconds(20), () -> started.await());
                server.shutdown(Duration.ofMillis(100));
                assertThat(outcome.result()).isEqualTo("cancelled");
                assertThat(c.closedByServer()).isTrue();
            }
            return null;
        });
    }
}
