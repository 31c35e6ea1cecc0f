package io.jasyncio.net;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.CancelledError;
import io.jasyncio.Event;
import io.jasyncio.Task;
import io.jasyncio.test.StrictLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server's serving states (created not serving, startServing, serveForever), its clients
 * (closeClients, abortClients: asyncio 3.13) and the server as a scope that waits for its handlers
 * ({@code async with server}) or stops them gracefully (shutdown with a grace period).
 */
@Timeout(60)
class ServerScopeTest {

    private static Net.ClientHandler echo(List<String> log) {
        return (reader, writer) -> {
            try {
                for (byte[] line : reader) {
                    writer.write(line);
                    writer.drain();
                }
                writer.close();
            } finally {
                log.add("handler done");
            }
        };
    }

    private static String line(StreamPair c) throws IOException {
        return StreamReader.text(c.reader().readline());
    }

    @Test
    void serverCreatedNotServingKeepsConnectionsInTheBacklogUntilStartServing() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            List<String> log = new ArrayList<>();
            Server server = Net.startServer(echo(log), "127.0.0.1", 0, ServerOptions.defaults().withStartServing(false));
            assertThat(server.isServing()).isFalse();
            assertThat(server.isClosed()).isFalse();
            StreamPair c = Net.openConnection("127.0.0.1", server.port()); // completes in the backlog
            c.writer().write("early\n");
            for (int i = 0; i < 20; i++) {
                yieldNow();
            }
            assertThat(server.clientCount()).as("nothing accepted before startServing").isZero();
            server.startServing();
            assertThat(server.isServing()).isTrue();
            assertThat(line(c)).isEqualTo("early");
            assertThat(server.clientCount()).isEqualTo(1);
            c.close();
            server.close();
            server.waitClosed();
            assertThat(log).containsExactly("handler done");
            assertThatThrownBy(server::startServing).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            return null;
        });
    }

    @Test
    void closingAServerThatNeverServedReleasesItsPort() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Server server = Net.startServer(echo(new ArrayList<>()), "127.0.0.1", 0, ServerOptions.defaults().withStartServing(false));
            int port = server.port();
            server.close();
            server.waitClosed();
            Server again = Net.startServer(echo(new ArrayList<>()), "127.0.0.1", port);
            again.close();
            again.waitClosed();
            return null;
        });
    }

    @Test
    void serveForeverStartsAServerCreatedNotServingAndRefusesASecondCaller() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Server server = Net.startServer(echo(new ArrayList<>()), "127.0.0.1", 0, ServerOptions.defaults().withStartServing(false));
            Task<Void> forever = createTask(() -> {
                server.serveForever();
                return null;
            });
            yieldNow();
            assertThat(server.isServing()).isTrue();
            assertThatThrownBy(server::serveForever).isInstanceOf(IllegalStateException.class).hasMessageContaining("already");
            StreamPair c = Net.openConnection("127.0.0.1", server.port());
            c.writer().write("hi\n");
            assertThat(line(c)).isEqualTo("hi");
            c.close();
            forever.cancel();
            assertThatThrownBy(forever::await).isInstanceOf(CancelledError.class);
            assertThat(server.isClosed()).isTrue();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void closeClientsFlushesWhatWasWrittenThenEndsEachConnection() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            List<String> log = new ArrayList<>();
            Event greeted = new Event();
            Server server = Net.startServer((reader, writer) -> {
                try {
                    writer.write("welcome\n".repeat(1000)); // more than one socket write
                    greeted.set();
                    assertThat(reader.read()).as("the end of the stream once the server closed it").isEmpty();
                } finally {
                    log.add("handler done");
                }
            }, "127.0.0.1", 0);
            StreamPair c = Net.openConnection("127.0.0.1", server.port());
            greeted.await();
            server.close();
            server.closeClients();
            byte[] all = c.reader().read();
            assertThat(StreamReader.text(all)).isEqualTo("welcome\n".repeat(1000).strip());
            assertThat(c.reader().atEof()).isTrue();
            server.waitClosed();
            assertThat(log).containsExactly("handler done");
            c.close();
            return null;
        });
    }

    @Test
    void abortClientsDropsTheConnectionsAtOnceAndTheirReadsFail() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            List<String> log = new ArrayList<>();
            Event reading = new Event();
            Server server = Net.startServer((reader, writer) -> {
                reading.set();
                try {
                    reader.read();
                    log.add("read returned");
                } catch (IOException e) {
                    log.add("read failed");
                }
            }, "127.0.0.1", 0);
            StreamPair c = Net.openConnection("127.0.0.1", server.port());
            reading.await();
            server.close();
            server.abortClients();
            server.waitClosed();
            assertThat(server.clientCount()).isZero();
            assertThat(log).hasSize(1);
            // the client sees the connection end (a reset, or the end of the stream)
            try {
                assertThat(c.reader().read()).isEmpty();
            } catch (IOException reset) {
                assertThat(reset).hasMessageContaining("reset");
            }
            c.close();
            return null;
        });
    }

    @Test
    void waitClosedWaitsForAHandlerThatOutlivesItsConnection() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Event release = new Event();
            List<String> log = new ArrayList<>();
            Server server = Net.startServer((reader, writer) -> {
                writer.close();             // the connection goes away at once
                release.await();            // but the handler is still busy
                log.add("handler done");
            }, "127.0.0.1", 0);
            StreamPair c = Net.openConnection("127.0.0.1", server.port());
            assertThat(c.reader().read()).isEmpty();
            c.close();
            server.close();
            Task<Void> waiting = createTask(() -> {
                server.waitClosed();
                return null;
            });
            for (int i = 0; i < 20; i++) {
                yieldNow();
            }
            assertThat(server.clientCount()).isZero();
            assertThat(server.handlerCount()).isEqualTo(1);
            assertThat(waiting.done()).as("a handler still runs").isFalse();
            release.set();
            waiting.await();
            assertThat(log).containsExactly("handler done");
            return null;
        });
    }

    @Test
    void servingScopeWaitsOnExitForEveryHandler() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            List<String> log = new ArrayList<>();
            Server server = Net.startServer(echo(log), "127.0.0.1", 0);
            Task<String> client = createTask(() -> {
                StreamPair c = Net.openConnection("127.0.0.1", server.port());
                c.writer().write("one\n");
                String got = line(c);
                sleep(0.05);             // the scope's exit waits for this client
                c.writer().writeEof();
                c.reader().read();
                c.close();
                log.add("client done");
                return got;
            });
            try (Server.Serving serving = server.serving()) {
                while (server.handlerCount() == 0) {
                    sleep(0.005);
                }
            }
            log.add("scope exited");
            assertThat(server.isClosed()).isTrue();
            assertThat(server.handlerCount()).isZero();
            assertThat(log).containsSubsequence("handler done", "scope exited");
            assertThat(client.await()).isEqualTo("one");
            return null;
        });
    }

    @Test
    void servingScopeOfACancelledTaskCancelsItsHandlers() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            List<String> log = new ArrayList<>();
            Event started = new Event();
            Server server = Net.startServer((reader, writer) -> {
                started.set();
                try {
                    sleep(3600);
                } finally {
                    log.add("handler finally");
                }
            }, "127.0.0.1", 0);
            Task<Void> service = createTask(() -> {
                try (Server.Serving serving = server.serving()) {
                    sleep(3600);
                }
                return null;
            });
            StreamPair c = Net.openConnection("127.0.0.1", server.port());
            started.await();
            service.cancel();
            assertThatThrownBy(service::await).isInstanceOf(CancelledError.class);
            assertThat(log).containsExactly("handler finally");
            assertThat(server.handlerCount()).isZero();
            assertThat(server.clientCount()).isZero();
            c.close();
            return null;
        });
    }

    @Test
    void lambdaScopeCancelsTheHandlersWhenItsBodyFails() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            List<String> log = new ArrayList<>();
            Event started = new Event();
            Server server = Net.startServer((reader, writer) -> {
                started.set();
                try {
                    reader.read();
                } finally {
                    log.add("handler finally");
                }
            }, "127.0.0.1", 0);
            StreamPair[] c = new StreamPair[1];
            assertThatThrownBy(() -> server.serving(() -> {
                c[0] = Net.openConnection("127.0.0.1", server.port());
                started.await();
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            assertThat(log).containsExactly("handler finally");
            assertThat(server.isClosed()).isTrue();
            c[0].close();
            return null;
        });
    }

    @Test
    void lambdaScopeReturnsTheBodysValueAfterTheHandlersEnded() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            List<String> log = new ArrayList<>();
            Server server = Net.startServer(echo(log), "127.0.0.1", 0, ServerOptions.defaults().withStartServing(false));
            String got = server.serving(() -> {
                StreamPair c = Net.openConnection("127.0.0.1", server.port());
                c.writer().write("x\n");
                String l = line(c);
                c.close();
                return l;
            });
            assertThat(got).isEqualTo("x");
            assertThat(log).containsExactly("handler done");
            return null;
        });
    }

    @Test
    void shutdownLetsBusyHandlersFinishWithinTheGracePeriod() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            List<String> log = new ArrayList<>();
            Event started = new Event();
            Event finish = new Event();
            Server server = Net.startServer((reader, writer) -> {
                started.set();
                finish.await();
                writer.write("finished\n");
                writer.close();
                log.add("handler done");
            }, "127.0.0.1", 0);
            StreamPair c = Net.openConnection("127.0.0.1", server.port());
            started.await();
            Task<Boolean> stopping = createTask(() -> server.shutdown(Duration.ofSeconds(60)));
            yieldNow();
            assertThat(server.isServing()).as("stopped accepting at once").isFalse();
            finish.set();
            assertThat(stopping.await()).isTrue();
            assertThat(line(c)).isEqualTo("finished");
            assertThat(log).containsExactly("handler done");
            c.close();
            return null;
        });
    }

    @Test
    void shutdownCancelsHandlersStillRunningAfterTheGracePeriod() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            List<String> log = new ArrayList<>();
            Event started = new Event();
            Server server = Net.startServer((reader, writer) -> {
                started.set();
                try {
                    sleep(3600);
                } catch (CancelledError e) {
                    log.add("handler cancelled");
                    throw e;
                }
            }, "127.0.0.1", 0);
            StreamPair c = Net.openConnection("127.0.0.1", server.port());
            started.await();
            assertThat(server.shutdown(Duration.ofMillis(20))).isFalse();
            assertThat(log).containsExactly("handler cancelled");
            assertThat(server.handlerCount()).isZero();
            assertThat(server.clientCount()).isZero();
            c.close();
            return null;
        });
    }

    @Test
    void cancellingShutdownDuringTheGracePeriodStillStopsTheHandlers() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            List<String> log = new ArrayList<>();
            Event started = new Event();
            Server server = Net.startServer((reader, writer) -> {
                started.set();
                try {
                    sleep(3600);
                } finally {
                    log.add("handler finally");
                }
            }, "127.0.0.1", 0);
            StreamPair c = Net.openConnection("127.0.0.1", server.port());
            started.await();
            Task<Boolean> stopping = createTask(() -> server.shutdown(Duration.ofHours(1)));
            yieldNow();
            stopping.cancel();
            assertThatThrownBy(stopping::await).isInstanceOf(CancelledError.class);
            assertThat(log).containsExactly("handler finally");
            assertThat(server.handlerCount()).isZero();
            c.close();
            return null;
        });
    }

    @Test
    void badShutdownArgumentsFailAtTheCall() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Server server = Net.startServer(echo(new ArrayList<>()), "127.0.0.1", 0);
            assertThatThrownBy(() -> server.shutdown(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> server.shutdown(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ServerOptions.defaults().withBacklog(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ServerOptions.defaults().withLimit(0)).isInstanceOf(IllegalArgumentException.class);
            server.close();
            server.waitClosed();
            return null;
        });
    }
}
