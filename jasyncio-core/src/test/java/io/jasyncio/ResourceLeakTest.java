package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.net.DatagramProtocol;
import io.jasyncio.net.Net;
import io.jasyncio.process.Pipes;
import io.jasyncio.process.Process;
import io.jasyncio.process.Redirect;
import io.jasyncio.test.StrictLoop;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Debug mode's leak reports beyond sockets and servers (those are in {@link DebugDetectorsTest}): a child
 * process, a datagram endpoint, a write pipe and an async generator, each in a program that really leaks it,
 * reported with the line that made it; the same resources closed properly are not reported, and nothing is
 * reported outside debug mode.
 */
@Timeout(60)
class ResourceLeakTest {
    private static final LoopOptions DEBUG = StrictLoop.realTime().withDebug(true);

    private static List<String> leaksOf(LoopOptions options, Coroutine<?> program) {
        return StrictLoop.runCollecting(options, program).stream().map(ExceptionContext::message)
                .filter(m -> m.contains("was never closed")).toList();
    }

    private static AsyncGenerator<Integer> counter() {
        return AsyncGenerator.of(out -> {
            for (int i = 0; ; i++) {
                out.emit(i);
            }
        });
    }

    @Test
    void aChildStillRunningWhenTheLoopClosesIsReportedWithTheLineThatStartedIt() {
        List<String> leaks = leaksOf(DEBUG, () -> {
            Process sleeper = Process.createSubprocessExec(List.of("sleep", "60"), Redirect.DEVNULL, Redirect.DEVNULL, Redirect.DEVNULL);
            assertThat(sleeper.returncode()).isNull(); // forgotten: the loop's close kills it
            return null;
        });
        assertThat(leaks).singleElement().satisfies(m -> assertThat(m)
                .startsWith("Process[pid=").contains(", sleep 60] was never closed (still open when its event loop closed);"
                        + " created at io.jasyncio.ResourceLeakTest.").contains("ResourceLeakTest.java:"));
    }

    @Test
    void aChildThatExitedOrWasClosedIsNoLeak() {
        List<String> leaks = leaksOf(DEBUG, () -> {
            Process quick = Process.createSubprocessExec(List.of("true"), Redirect.DEVNULL, Redirect.DEVNULL, Redirect.DEVNULL);
            assertThat(quick.await()).isZero();
            try (Process cat = Process.createSubprocessExec("cat")) {
                cat.stdin().write("x\n");
            }
            return null;
        });
        assertThat(leaks).isEmpty();
    }

    @Test
    void aDatagramEndpointNeverClosedIsReported() {
        List<String> leaks = leaksOf(DEBUG, () -> {
            var forgotten = Net.createDatagramEndpoint(() -> new DatagramProtocol() {}, new InetSocketAddress("127.0.0.1", 0), null, false);
            var closed = Net.createDatagramEndpoint(() -> new DatagramProtocol() {}, new InetSocketAddress("127.0.0.1", 0), null, false);
            yieldNow();
            closed.transport().close();
            assertThat(forgotten.transport().isClosing()).isFalse();
            return null;
        });
        assertThat(leaks).singleElement().satisfies(m -> assertThat(m)
                .startsWith("DatagramTransport was never closed (still open when its event loop closed); created at io.jasyncio.ResourceLeakTest."));
    }

    @Test
    void aWritePipeNeverClosedIsReported() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        List<String> leaks = leaksOf(DEBUG, () -> {
            var forgotten = Pipes.connectWritePipe(sink);
            forgotten.write("kept\n");
            var closed = Pipes.connectWritePipe(new ByteArrayOutputStream());
            closed.close();
            closed.waitClosed();
            return null;
        });
        assertThat(leaks).singleElement().satisfies(m -> assertThat(m)
                .startsWith("write pipe was never closed (still open when its event loop closed); created at io.jasyncio.ResourceLeakTest."));
    }

    @Test
    void anAsyncGeneratorLeftToItsConsumersEndIsReported() {
        List<String> leaks = leaksOf(DEBUG, () -> {
            Task<Integer> reader = createTask("reader", () -> {
                for (int i : counter()) {
                    if (i == 2) {
                        return i; // breaks out without closing the generator
                    }
                }
                return -1;
            });
            assertThat(reader.await()).isEqualTo(2);
            yieldNow();
            return null;
        });
        assertThat(leaks).singleElement().satisfies(m -> assertThat(m)
                .startsWith("AsyncGenerator was never closed (closed only when the task iterating it finished); created at"
                        + " io.jasyncio.ResourceLeakTest.").contains("ResourceLeakTest.java:"));
    }

    @Test
    void anAsyncGeneratorStillOpenAtShutdownIsReported() {
        List<String> leaks = leaksOf(DEBUG, () -> {
            Event never = new Event();
            createTask("reader", () -> {
                AsyncGenerator<Integer> g = counter();
                g.hasNext(); // started, then forgotten while this task waits for ever
                never.await();
                return null;
            });
            sleep(0.01);
            return null;
        });
        assertThat(leaks).singleElement().satisfies(m -> assertThat(m)
                .startsWith("AsyncGenerator was never closed (closed only by the loop's shutdown of async generators)"));
    }

    @Test
    void asyncGeneratorsClosedExhaustedOrNeverStartedAreNoLeak() {
        List<String> leaks = leaksOf(DEBUG, () -> {
            try (AsyncGenerator<Integer> g = counter()) {
                assertThat(g.next()).isZero();
            }
            AsyncGenerator<Integer> finite = AsyncGenerator.of(out -> out.emit(1));
            int sum = 0;
            for (int i : finite) {
                sum += i;
            }
            assertThat(sum).isEqualTo(1);
            AsyncGenerator<Integer> neverStarted = counter();
            assertThat(neverStarted.toString()).isEqualTo("AsyncGenerator[new]");
            return null;
        });
        assertThat(leaks).isEmpty();
    }

    @Test
    void nothingIsReportedOutsideDebugMode() {
        List<String> leaks = leaksOf(StrictLoop.realTime(), () -> {
            Net.createDatagramEndpoint(() -> new DatagramProtocol() {}, new InetSocketAddress("127.0.0.1", 0), null, false);
            Pipes.connectWritePipe(new ByteArrayOutputStream());
            Process.createSubprocessExec(List.of("sleep", "60"), Redirect.DEVNULL, Redirect.DEVNULL, Redirect.DEVNULL);
            createTask("reader", () -> {
                for (int i : counter()) {
                    return i;
                }
                return -1;
            }).await();
            return null;
        });
        assertThat(leaks).isEmpty();
    }
}
