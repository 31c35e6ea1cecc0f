package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RunnerTest {

    @Test
    void runReturnsTheResultAndClosesTheLoop() {
        EventLoop[] loop = new EventLoop[1];
        assertThat(Asyncio.run(() -> {
            loop[0] = Asyncio.getRunningLoop();
            return "done";
        }, TestLoop.options())).isEqualTo("done");
        assertThat(loop[0].isClosed()).isTrue();
    }

    @Test
    void runCancelsAndAwaitsRemainingTasks() {
        List<String> log = new ArrayList<>();
        Asyncio.run(() -> {
            createTask(() -> {
                try {
                    sleep(3600);
                } finally {
                    log.add("background task cleaned up");
                }
                return null;
            });
            sleep(1);
            return null;
        }, TestLoop.options());
        assertThat(log).containsExactly("background task cleaned up");
    }

    @Test
    void failuresOfRemainingTasksDuringShutdownAreReported() {
        List<ExceptionContext> reported = new ArrayList<>();
        try (Runner r = new Runner(TestLoop.options())) {
            r.getLoop().setExceptionHandler((l, ctx) -> reported.add(ctx));
            r.run(() -> {
                createTask(() -> {
                    try {
                        sleep(3600);
                    } catch (CancelledError e) {
                        throw new IllegalStateException("failed while cancelled");
                    }
                    return null;
                });
                sleep(1);
                return null;
            });
        }
        assertThat(reported).anySatisfy(ctx -> assertThat(ctx.exception()).hasMessage("failed while cancelled"));
    }

    @Test
    void runInsideARunningLoopIsRefused() {
        TestLoop.run(() -> {
            assertThatThrownBy(() -> Asyncio.run(() -> 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot be called from a running event loop");
            return null;
        });
    }

    @Test
    void runnerRunsSeveralCoroutinesOnOneLoop() {
        try (Runner r = new Runner(TestLoop.options())) {
            EventLoop first = r.run(Asyncio::getRunningLoop);
            EventLoop second = r.run(Asyncio::getRunningLoop);
            assertThat(first).isSameAs(second);
        }
        Runner closed = new Runner(TestLoop.options());
        closed.close();
        assertThatThrownBy(closed::getLoop).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void exceptionOfMainPropagatesUnchanged() {
        IllegalStateException boom = new IllegalStateException("main failed");
        assertThatThrownBy(() -> Asyncio.run(() -> {
            sleep(1);
            throw boom;
        }, TestLoop.options())).isSameAs(boom);
    }

    @Test
    void firstSigintCancelsTheMainTaskAndRunsItsFinally() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "needs kill(1)");
        AtomicBoolean finallyRan = new AtomicBoolean();
        long pid = ProcessHandle.current().pid();
        LoopOptions opts = LoopOptions.defaults().handleSigint(true);
        assertThatThrownBy(() -> Asyncio.run(() -> {
            Asyncio.getRunningLoop().runInExecutor(null, () -> {
                Thread.sleep(200);
                new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
                return null;
            });
            try {
                sleep(30);
            } finally {
                finallyRan.set(true);
            }
            return null;
        }, opts)).isInstanceOf(CancelledError.class).hasMessageContaining("SIGINT");
        assertThat(finallyRan).isTrue();
    }

    /** The next line starting with {@code prefix}, skipping the engine's log lines; null at the end. */
    private static String lineStartingWith(java.io.BufferedReader in, String prefix) throws java.io.IOException {
        String line;
        do {
            line = in.readLine();
        } while (line != null && !line.startsWith(prefix));
        return line;
    }

    @Test
    void secondSigintStopsHardEvenIfMainIgnoresTheFirst() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "needs kill(1)");
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), SigintChild.class.getName())
                .redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()));
            assertThat(lineStartingWith(out, "ready")).isEqualTo("ready");
            new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor(10, TimeUnit.SECONDS);
            assertThat(lineStartingWith(out, "first SIGINT")).isEqualTo("first SIGINT cancelled main; ignoring it");
            assertThat(child.isAlive()).isTrue();
            new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor(10, TimeUnit.SECONDS);
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("the second SIGINT stops the JVM").isTrue();
            assertThat(child.exitValue()).isEqualTo(130); // 128 + SIGINT, the JVM's default handling
        } finally {
            child.destroyForcibly();
        }
    }
}
