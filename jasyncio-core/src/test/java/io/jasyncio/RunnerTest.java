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

    /** True where SIGINT is ignored for this process (e.g. started as a background job): it cannot be tested then. */
    static boolean sigintIgnored() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0; // bit of signal 2
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return true;
        }
        return true;
    }

    @Test
    void firstSigintCancelsTheMainTaskAndRunsItsFinally() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "needs kill(1)");
        assumeTrue(!sigintIgnored(), "SIGINT is ignored in this process (background job): nothing to deliver");
        AtomicBoolean finallyRan = new AtomicBoolean();
        long pid = ProcessHandle.current().pid();
        LoopOptions opts = LoopOptions.defaults().withHandleSigint(true);
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

    @Test
    void firstSigintWhileMainSitsInATaskGroupCancelsTheChildrenAndRunsEveryFinally() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "needs kill(1)");
        assumeTrue(!sigintIgnored(), "SIGINT is ignored in this process (background job): nothing to deliver");
        long pid = ProcessHandle.current().pid();
        for (boolean lambdaForm : new boolean[] {true, false}) {
            java.util.List<String> finallies = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            TaskGroup.Body body = tg -> {
                for (int i = 0; i < 3; i++) {
                    String name = "child " + i;
                    tg.createTask(() -> {
                        try {
                            return sleep(30, null);
                        } finally {
                            finallies.add(name);
                        }
                    });
                }
                Asyncio.getRunningLoop().runInExecutor(null, () -> {
                    Thread.sleep(200);
                    new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
                    return null;
                });
            };
            assertThatThrownBy(() -> Asyncio.run(() -> {
                try {
                    if (lambdaForm) {
                        TaskGroup.run(body);
                    } else {
                        try (TaskGroup tg = new TaskGroup()) {
                            body.run(tg);
                        }
                    }
                } finally {
                    finallies.add("main");
                }
                return null;
            }, LoopOptions.defaults().withHandleSigint(true))).as(lambdaForm ? "run form" : "try-with-resources form")
                    .isInstanceOf(CancelledError.class).hasMessageContaining("SIGINT");
            assertThat(finallies).containsExactlyInAnyOrder("child 0", "child 1", "child 2", "main");
        }
    }

    /**
     * The next line starting with {@code prefix}, skipping the engine's log lines; null at the end.
     * Bounded: a child that never prints it fails the test instead of hanging it.
     */
    private static String lineStartingWith(java.io.BufferedReader in, String prefix) throws Exception {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                do {
                    line = in.readLine();
                } while (line != null && !line.startsWith(prefix));
                return line;
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
    }

    @Test
    void secondSigintStopsHardEvenIfMainIgnoresTheFirst() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "needs kill(1)");
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.List<String> command = new java.util.ArrayList<>();
        if (sigintIgnored()) {
            // An ignored SIGINT is inherited: start the child with the default disposition again.
            assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS),
                    "SIGINT is ignored here and python3 is not available to reset it for the child");
            command.addAll(java.util.List.of("python3", "-c",
                    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])"));
        }
        command.addAll(java.util.List.of(javaBin, "-cp", System.getProperty("java.class.path"), SigintChild.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
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

    @Test
    void sigtermCancelsMainGracefullyWhenTheRunnerHandlesIt() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "needs kill(1)");
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), SigtermChild.class.getName())
                .redirectErrorStream(true).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()));
            assertThat(lineStartingWith(out, "ready")).isEqualTo("ready");
            new ProcessBuilder("kill", "-TERM", Long.toString(child.pid())).start().waitFor(10, TimeUnit.SECONDS);
            List<String> lines = new ArrayList<>();
            for (String line; (line = lineStartingWith(out, "")) != null; ) {
                lines.add(line);
            }
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(lines).contains("finally worker 0", "finally worker 1", "stopped: terminated by SIGTERM");
            assertThat(child.exitValue()).isEqualTo(143);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aLoopSignalHandlerRunsOnTheLoopAndIsRemovedAtClose() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "needs kill(1)");
        long pid = ProcessHandle.current().pid();
        io.jasyncio.test.StrictLoop.run(io.jasyncio.test.StrictLoop.realTime(), () -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Event got = new Event();
            Thread[] ranOn = new Thread[1];
            loop.addSignalHandler("SIGUSR2", () -> {
                ranOn[0] = Thread.currentThread();
                got.set();
            });
            Asyncio.toThread(() -> new ProcessBuilder("kill", "-USR2", Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS));
            Asyncio.timeout(java.time.Duration.ofSeconds(20), got::await);
            assertThat(ranOn[0]).isNotNull();
            assertThat(loop.removeSignalHandler("USR2")).isTrue();
            assertThat(loop.removeSignalHandler("USR2")).isFalse();
            assertThatThrownBy(() -> loop.addSignalHandler("NOSUCH", () -> { })).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown signal");
            assertThatThrownBy(() -> loop.addSignalHandler("QUIT", () -> { })).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot be handled");
            return null;
        });
    }
}
