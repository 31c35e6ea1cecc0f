package io.jasyncio.net;

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

import static org.assertj.core.api.Assertions.assertThat;

/** Runs network tests on a real-time loop, strict about reported errors and leaked descriptors. */
final class NetTestSupport {
    private NetTestSupport() {}

    static <T> T run(Coroutine<T> body) {
        List<ExceptionContext> reported = new ArrayList<>();
        T result;
        try (Runner runner = new Runner(LoopOptions.defaults().handleSigint(false))) {
            runner.getLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            result = runner.run(body);
        }
        assertThat(reported).as("errors reported to the loop's exception handler").isEmpty();
        return result;
    }

    /** Open file descriptors of this process (Linux), or -1 where that cannot be read. */
    static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
