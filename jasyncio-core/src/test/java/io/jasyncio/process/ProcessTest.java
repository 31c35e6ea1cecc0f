package io.jasyncio.process;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import io.jasyncio.Coroutine;
import io.jasyncio.test.StrictLoop;
import io.jasyncio.net.StreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real child processes. */
@Timeout(120)
class ProcessTest {

    static <T> T run(Coroutine<T> body) {
        return StrictLoop.run(StrictLoop.realTime(), body);
    }

    @Test
    void pipeThroughCat() {
        run(() -> {
            Process p = Process.createSubprocessExec("cat");
            p.stdin().write("hello\nworld\n");
            p.stdin().drain();
            assertThat(StreamReader.text(p.stdout().readline())).isEqualTo("hello");
            p.stdin().close();
            assertThat(new String(p.stdout().read(), StandardCharsets.UTF_8)).isEqualTo("world\n");
            assertThat(p.await()).isZero();
            assertThat(p.returncode()).isZero();
            return null;
        });
    }

    @Test
    void communicateWithTenMegabytesOnBothPipesDoesNotDeadlock() {
        run(() -> {
            // The child writes 10 MiB to stdout and 10 MiB to stderr at once, and reads stdin.
            Process p = Process.createSubprocessShell(
                    "cat > /dev/null & head -c 10485760 /dev/zero & head -c 10485760 /dev/zero >&2; wait",
                    Redirect.PIPE, Redirect.PIPE, Redirect.PIPE);
            Process.Output out = p.communicate(new byte[1 << 20]);
            assertThat(out.stdout()).hasSize(10 << 20);
            assertThat(out.stderr()).hasSize(10 << 20);
            assertThat(out.returncode()).isZero();
            return null;
        });
    }

    @Test
    void exitCodesAndShellAndStderrIntoStdout() {
        run(() -> {
            Process p = Process.createSubprocessShell("echo out; echo err >&2; exit 3", Redirect.DEVNULL, Redirect.PIPE, Redirect.STDOUT);
            Process.Output out = p.communicate(null);
            assertThat(new String(out.stdout(), StandardCharsets.UTF_8)).contains("out").contains("err");
            assertThat(out.stderr()).isNull();
            assertThat(out.returncode()).isEqualTo(3);
            assertThat(p.stdin()).isNull();
            return null;
        });
    }

    @Test
    void killTerminateAndSignals() {
        run(() -> {
            Process p = Process.createSubprocessExec(List.of("sleep", "60"), Redirect.DEVNULL, Redirect.DEVNULL, Redirect.DEVNULL);
            assertThat(p.returncode()).isNull();
            p.kill();
            assertThat(p.await()).as("asyncio: killed by signal 9").isEqualTo(-9);
            Process q = Process.createSubprocessExec(List.of("sleep", "60"), Redirect.DEVNULL, Redirect.DEVNULL, Redirect.DEVNULL);
            q.sendSignal(15);
            assertThat(q.await()).isEqualTo(-15);
            Process r = Process.createSubprocessExec(List.of("sleep", "60"), Redirect.DEVNULL, Redirect.DEVNULL, Redirect.DEVNULL);
            r.terminate();
            assertThat(r.await()).isEqualTo(-15);
            assertThat(r.returncode()).isEqualTo(-15);
            return null;
        });
    }

    @Test
    void cancellingAWaitLeavesTheChildRunning() {
        run(() -> {
            Process p = Process.createSubprocessExec(List.of("sleep", "60"), Redirect.DEVNULL, Redirect.DEVNULL, Redirect.DEVNULL);
            Task<Integer> waiter = createTask(p::await);
            sleep(0.1);
            waiter.cancel();
            assertThatThrownBy(waiter::await).isInstanceOf(CancelledError.class);
            assertThat(p.returncode()).isNull();
            p.kill();
            p.await();
            return null;
        });
    }

    @Test
    void slowConsumerBoundsTheReadersMemory() {
        run(() -> {
            Process p = Process.createSubprocessExec(List.of("head", "-c", "8388608", "/dev/zero"),
                    Redirect.DEVNULL, Redirect.PIPE, Redirect.DEVNULL);
            sleep(0.5); // let the child fill everything it can while nobody reads
            String state = p.stdout().toString();
            long total = 0;
            while (true) {
                byte[] b = p.stdout().read(65536);
                if (b.length == 0) {
                    break;
                }
                total += b.length;
            }
            assertThat(total).isEqualTo(8L << 20);
            assertThat(state).contains("paused");
            p.await();
            return null;
        });
    }

    @Test
    void badArguments() {
        run(() -> {
            assertThatThrownBy(() -> Process.createSubprocessExec(List.of(), Redirect.PIPE, Redirect.PIPE, Redirect.PIPE))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Process.createSubprocessExec(List.of("true"), Redirect.STDOUT, Redirect.PIPE, Redirect.PIPE))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Process.createSubprocessExec("/no/such/program"))
                    .isInstanceOf(java.io.IOException.class);
            return null;
        });
    }

    @Test
    void aChildStillRunningWhenRunEndsIsKilledAndReaped() {
        long pid = io.jasyncio.Asyncio.run(() -> {
            Process p = Process.createSubprocessExec(List.of("sleep", "60"), Redirect.DEVNULL, Redirect.DEVNULL, Redirect.DEVNULL);
            return p.pid(); // forgotten: nobody kills or awaits it
        }, StrictLoop.realTime());
        java.util.Optional<ProcessHandle> child = ProcessHandle.of(pid);
        assertThat(child.map(ProcessHandle::isAlive).orElse(false)).as("child %s after run() ended", pid).isFalse();
    }

    @Test
    void closeKillsARunningChildAndReapsIt() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Process kept;
            try (Process p = Process.createSubprocessExec("sleep", "60")) {
                kept = p;
                assertThat(p.returncode()).isNull();
            }
            assertThat(kept.returncode()).as("killed by SIGKILL (asyncio: -9)").isEqualTo(-9);
            try (Process done = Process.createSubprocessExec("true")) {
                assertThat(done.await()).isZero();
            } // closing an exited child changes nothing
            return null;
        });
    }

    @Test
    void noPipeThreadOutlivesItsChildAfterManySpawnKillAwaitCycles() throws Exception {
        int cycles = 500;
        java.util.Set<String> names = new java.util.HashSet<>();
        run(() -> {
            for (int i = 0; i < cycles; i++) {
                Process p = Process.createSubprocessExec("cat"); // stdin piped and never closed by us
                names.add("jasyncio-stdin-" + p.pid());
                names.add("jasyncio-stdout-" + p.pid());
                names.add("jasyncio-stderr-" + p.pid());
                p.kill();
                p.await();
            }
            return null;
        });
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30); // a hang bound, not a timing check
        List<String> alive = new java.util.ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (names.contains(t.getName())) {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (t.isAlive()) {
                    alive.add(t.getName());
                }
            }
        }
        assertThat(alive).as("pipe threads still alive after their child exited").isEmpty();
    }

    @Test
    void closingStdinEndsItsThreadWhileTheChildRuns() throws Exception {
        long[] pid = {0};
        run(() -> {
            Process p = Process.createSubprocessExec(List.of("sleep", "30"), Redirect.PIPE, Redirect.DEVNULL, Redirect.DEVNULL);
            pid[0] = p.pid();
            p.stdin().close();
            p.stdin().waitClosed(); // the writer thread closed the pipe and said so
            Thread stdinThread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("jasyncio-stdin-" + pid[0])).findFirst().orElse(null);
            if (stdinThread != null) {
                Asyncio.toThread(() -> {
                    stdinThread.join(30_000); // a hang bound
                    return null;
                });
                assertThat(stdinThread.isAlive()).as("the stdin thread after close()").isFalse();
            }
            assertThat(p.returncode()).as("the child still runs").isNull();
            p.kill();
            p.await();
            return null;
        });
    }
}

