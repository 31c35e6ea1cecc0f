package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the server logs through System.Logger (backed by java.util.logging here): one access line per
 * request when asked for, and a failing handler logged once, with its exception.
 */
@Timeout(60)
class HttpServerLoggingTest {
    private final List<LogRecord> access = new CopyOnWriteArrayList<>();
    private final List<LogRecord> server = new CopyOnWriteArrayList<>();
    private Handler accessHandler;
    private Handler serverHandler;

    private static Handler collect(String name, List<LogRecord> into) {
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord record) {
                into.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.ALL);
        logger.setUseParentHandlers(false);
        logger.addHandler(h);
        return h;
    }

    @BeforeEach
    void listen() {
        accessHandler = collect("io.jasyncio.http.access", access);
        serverHandler = collect("io.jasyncio.http.server", server);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("io.jasyncio.http.access").removeHandler(accessHandler);
        Logger.getLogger("io.jasyncio.http.server").removeHandler(serverHandler);
        Logger.getLogger("io.jasyncio.http.access").setUseParentHandlers(true);
        Logger.getLogger("io.jasyncio.http.server").setUseParentHandlers(true);
    }

    @Test
    void accessLogHasOneLinePerRequestAndAFailingHandlerIsLoggedOnce() {
        HttpServerTest.serve(HttpServerTest.demoRouter(), HttpServerOptions.defaults().withAccessLog(true), srv -> {
            try (RawHttpClient c = RawHttpClient.connect(srv.port())) {
                c.send("GET /users/9?x=1 HTTP/1.1\r\nHost: t\r\n\r\nGET /fail HTTP/1.1\r\nHost: t\r\n\r\nGET /nope HTTP/1.1\r\nHost: t\r\n\r\n");
                c.read();
                c.read();
                c.read();
            }
        });
        assertThat(access).extracting(LogRecord::getMessage).hasSize(3)
                .satisfiesExactly(
                        m -> assertThat(m).matches("127\\.0\\.0\\.1 \"GET /users/9\\?x=1 HTTP/1\\.1\" 200 \\d+ [0-9.]+ms"),
                        m -> assertThat(m).contains("\"GET /fail HTTP/1.1\" 500 21 "),
                        m -> assertThat(m).contains("\"GET /nope HTTP/1.1\" 404 9 "));
        List<LogRecord> warnings = server.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).getMessage()).contains("GET /fail").contains("answered 500");
        assertThat(warnings.get(0).getThrown()).hasMessageContaining("boom");
    }

    @Test
    void noAccessLogByDefault() {
        HttpServerTest.serve(HttpServerTest.demoRouter(), srv -> {
            try (RawHttpClient c = RawHttpClient.connect(srv.port())) {
                c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(200);
            }
        });
        assertThat(access).isEmpty();
    }
}
