package io.jasyncio.process;

import static io.jasyncio.Asyncio.createTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.Task;
import io.jasyncio.net.StreamReader;
import io.jasyncio.test.StrictLoop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What services need from child processes: working directory, environment, redirection to and from
 * files, signals that never block the loop, and asyncio's {@code -N} return code for a signal death.
 */
@Timeout(120)
class SubprocessOptionsTest {
    @TempDir
    Path dir;

    static <T> T run(Coroutine<T> body) {
        return StrictLoop.run(StrictLoop.realTime(), body);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void theChildRunsInTheGivenWorkingDirectory() throws Exception {
        Path real = dir.toRealPath();
        run(() -> {
            Process p = Process.createSubprocessExec(List.of("pwd"), Redirect.DEVNULL, Redirect.PIPE, Redirect.INHERIT,
                    ProcessOptions.defaults().withCwd(dir));
            assertThat(text(p.communicate(null).stdout()).strip()).isEqualTo(real.toString());
            return null;
        });
    }

    @Test
    void aMissingOrNonDirectoryWorkingDirectoryFailsAtTheCall() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        run(() -> {
            assertThatThrownBy(() -> Process.createSubprocessExec(List.of("true"), Redirect.DEVNULL, Redirect.DEVNULL, Redirect.DEVNULL,
                    ProcessOptions.defaults().withCwd(dir.resolve("missing")))).isInstanceOf(NoSuchFileException.class)
                    .hasMessageContaining("missing");
            assertThatThrownBy(() -> Process.createSubprocessExec(List.of("true"), Redirect.DEVNULL, Redirect.DEVNULL, Redirect.DEVNULL,
                    ProcessOptions.defaults().withCwd(file))).isInstanceOf(NotDirectoryException.class);
            return null;
        });
    }

    @Test
    void aGivenEnvironmentReplacesTheInheritedOne() {
        run(() -> {
            Process p = Process.createSubprocessExec(List.of("/bin/sh", "-c", "echo \"$GREETING\"; echo \"${HOME-unset}\""),
                    Redirect.DEVNULL, Redirect.PIPE, Redirect.INHERIT,
                    ProcessOptions.defaults().withEnvironment(Map.of("GREETING", "hello")));
            assertThat(text(p.communicate(null).stdout())).isEqualTo("hello\nunset\n");
            return null;
        });
    }

    @Test
    void oneVariableCanBeAddedOnTopOfTheInheritedEnvironment() {
        run(() -> {
            Process p = Process.createSubprocessShell("echo \"$GREETING\"; test -n \"$PATH\" && echo has-path",
                    Redirect.DEVNULL, Redirect.PIPE, Redirect.INHERIT,
                    ProcessOptions.defaults().withEnvironmentVariable("GREETING", "hi"));
            assertThat(text(p.communicate(null).stdout())).isEqualTo("hi\nhas-path\n");
            return null;
        });
    }

    @Test
    void badEnvironmentVariablesFailAtTheCall() {
        assertThatThrownBy(() -> ProcessOptions.defaults().withEnvironmentVariable("A=B", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessOptions.defaults().withEnvironmentVariable("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessOptions.defaults().withEnvironmentVariable("A", "x\0y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessOptions.defaults().withEnvironmentVariable("A", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void standardStreamsRedirectToAndFromFiles() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "pear\napple\nfig\n");
        Path out = dir.resolve("out.txt");
        Path log = Files.writeString(dir.resolve("err.log"), "earlier\n");
        run(() -> {
            Process p = Process.createSubprocessShell("sort; echo sorted >&2", Redirect.fromFile(in), Redirect.toFile(out),
                    Redirect.appendTo(log));
            assertThat(p.await()).isZero();
            Process again = Process.createSubprocessShell("echo once more", Redirect.DEVNULL, Redirect.appendTo(log), Redirect.INHERIT);
            assertThat(again.await()).isZero();
            return null;
        });
        assertThat(Files.readString(out)).isEqualTo("apple\nfig\npear\n");
        assertThat(Files.readString(log)).isEqualTo("earlier\nsorted\nonce more\n");
    }

    @Test
    void aRedirectThatDoesNotFitItsStreamFailsAtTheCall() {
        run(() -> {
            Path f = dir.resolve("x");
            assertThatThrownBy(() -> Process.createSubprocessExec(List.of("true"), Redirect.toFile(f), Redirect.DEVNULL, Redirect.DEVNULL))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stdin");
            assertThatThrownBy(() -> Process.createSubprocessExec(List.of("true"), Redirect.DEVNULL, Redirect.fromFile(f), Redirect.DEVNULL))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stdout");
            assertThatThrownBy(() -> Process.createSubprocessExec(List.of("true"), Redirect.DEVNULL, Redirect.STDOUT, Redirect.DEVNULL))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Process.createSubprocessExec(List.of("true"), Redirect.fromFile(dir.resolve("missing")),
                    Redirect.DEVNULL, Redirect.DEVNULL)).isInstanceOf(java.io.IOException.class);
            return null;
        });
    }

    @Test
    void aChildKilledByASignalWeSentReportsMinusN() {
        run(() -> {
            Process p = Process.createSubprocessExec(List.of("sleep", "60"), Redirect.DEVNULL, Redirect.DEVNULL, Redirect.DEVNULL);
            // SIGUSR1, through kill(1) on a worker thread. Not SIGINT: a non-interactive shell starts
            // background jobs with SIGINT ignored, children inherit that, and the child would sleep on.
            p.sendSignal(10);
            assertThat(p.await()).isEqualTo(-10);
            return null;
        });
    }

    @Test
    void aChildThatExitsWithAHighStatusOfItsOwnKeepsIt() {
        run(() -> {
            Process p = Process.createSubprocessShell("exit 137", Redirect.DEVNULL, Redirect.DEVNULL, Redirect.DEVNULL);
            assertThat(p.await()).isEqualTo(137);
            return null;
        });
    }

    @Test
    void aHandledSignalLetsTheChildExitItsOwnWay() {
        run(() -> {
            Process p = Process.createSubprocessShell("trap 'echo got-usr1; exit 7' USR1; echo ready; while true; do sleep 0.05; done",
                    Redirect.DEVNULL, Redirect.PIPE, Redirect.INHERIT);
            assertThat(StreamReader.text(p.stdout().readline())).isEqualTo("ready");
            p.sendSignal(10); // SIGUSR1 on Linux
            assertThat(StreamReader.text(p.stdout().readline())).isEqualTo("got-usr1");
            assertThat(p.await()).isEqualTo(7);
            return null;
        });
    }

    @Test
    void aChildThatHandlesSigtermCanStillWriteItsLastWords() {
        run(() -> {
            Process p = Process.createSubprocessShell("trap 'echo cleaning up; exit 3' TERM; echo ready; while true; do sleep 0.05; done",
                    Redirect.DEVNULL, Redirect.PIPE, Redirect.INHERIT);
            assertThat(StreamReader.text(p.stdout().readline())).isEqualTo("ready");
            p.sendSignal(15);
            assertThat(StreamReader.text(p.stdout().readline())).as("the pipe stayed open").isEqualTo("cleaning up");
            assertThat(p.await()).as("it exited by itself: its own status").isEqualTo(3);
            return null;
        });
    }

    @Test
    void outputWrittenBeforeAKillIsStillRead() {
        run(() -> {
            Process p = Process.createSubprocessShell("echo before; exec sleep 60", Redirect.DEVNULL, Redirect.PIPE, Redirect.INHERIT);
            assertThat(StreamReader.text(p.stdout().readline())).isEqualTo("before");
            p.kill();
            assertThat(p.stdout().read()).as("the end of the stream, not an error").isEmpty();
            assertThat(p.await()).isEqualTo(-9);
            return null;
        });
    }

    @Test
    void sendSignalLetsOtherTasksRunWhileKillRuns() {
        run(() -> {
            Process p = Process.createSubprocessExec(List.of("sleep", "60"), Redirect.DEVNULL, Redirect.DEVNULL, Redirect.DEVNULL);
            int[] ticks = new int[1];
            Task<Void> ticker = createTask(() -> {
                while (true) {
                    ticks[0]++;
                    Asyncio.yieldNow();
                }
            });
            Asyncio.yieldNow();
            int before = ticks[0];
            // SIGUSR1: neither SIGHUP (nohup makes children ignore it, and an ignored signal survives exec:
            // this sleep then ran its full minute and exited 0), nor SIGINT (ignored by a shell's & jobs),
            // nor SIGTERM/SIGKILL (delivered through Process.destroy, without a worker thread)
            p.sendSignal(10); // the task suspends while kill(1) runs on a worker thread
            assertThat(ticks[0]).as("the loop ran other tasks meanwhile").isGreaterThan(before);
            ticker.cancel();
            assertThat(p.await()).isEqualTo(-10);
            return null;
        });
    }

    @Test
    void badSignalsFailAtTheCallAndSignalsToAnExitedChildAreIgnored() {
        run(() -> {
            Process p = Process.createSubprocessExec(List.of("true"), Redirect.DEVNULL, Redirect.DEVNULL, Redirect.DEVNULL);
            assertThatThrownBy(() -> p.sendSignal(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> p.sendSignal(64)).isInstanceOf(IllegalArgumentException.class);
            assertThat(p.await()).isZero();
            p.sendSignal(15);
            p.kill();
            assertThat(p.returncode()).isZero();
            return null;
        });
    }
}
