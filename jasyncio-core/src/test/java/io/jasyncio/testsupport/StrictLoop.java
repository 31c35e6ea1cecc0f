package io.jasyncio.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Coroutine;
import io.jasyncio.ExceptionContext;
import io.jasyncio.LoopOptions;
import io.jasyncio.Runner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The tests' shared runner (DESIGN 7.5, strict teardown): runs a body as the main task of a fresh
 * loop and fails the test on anything the loop had to report to its exception handler, since an
 * error that production would only log is a bug here.
 */
public final class StrictLoop {
    private StrictLoop() {}

    /** Options with the autojump virtual clock: timing tests run instantly and deterministically. */
    public static LoopOptions virtualTime() {
        return LoopOptions.defaults().withVirtualTime(true).withHandleSigint(false);
    }

    /** Options in real time, for tests that talk to sockets, processes or other threads. */
    public static LoopOptions realTime() {
        return LoopOptions.defaults().withHandleSigint(false);
    }

    /** Runs {@code body}; asserts that nothing was reported to the exception handler. */
    public static <T> T run(LoopOptions options, Coroutine<T> body) {
        List<ExceptionContext> reported = new ArrayList<>();
        T result;
        try (Runner runner = new Runner(options)) {
            runner.getLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            result = runner.run(body);
        }
        assertThat(reported).as("errors reported to the loop's exception handler").isEmpty();
        return result;
    }

    /** Runs {@code body} and returns what the exception handler received. */
    public static List<ExceptionContext> runCollecting(LoopOptions options, Coroutine<?> body) {
        List<ExceptionContext> reported = new ArrayList<>();
        try (Runner runner = new Runner(options)) {
            runner.getLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            runner.run(body);
        }
        return reported;
    }

    /** Open file descriptors of this process (Linux), or -1 where that cannot be read. */
    public static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
