package io.jasyncio.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Asyncio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library says nothing on a clean run: a tiny program started with the fast-engine flag prints its
 * result and an empty stderr; without the flag it prints exactly one line, naming the flag to add.
 * Each case is a child JVM on this test's class path (the time limit only stops a hang).
 */
class QuietByDefaultTest {
    /** The tiny program: runs one coroutine that sleeps and returns. */
    public static final class Tiny {
        public static void main(String[] args) {
            System.out.println(Asyncio.run(() -> {
                Asyncio.sleep(0.001);
                return "done";
            }));
        }
    }

    @TempDir
    Path dir;

    private record Output(String stdout, String stderr) {}

    private Output runTiny(String... jvmFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Tiny.class.getName()));
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the tiny program hung");
        }
        assertThat(process.exitValue()).isZero();
        return new Output(Files.readString(out), Files.readString(err));
    }

    @Test
    void fastEngineRunPrintsNothingButTheResult() throws Exception {
        Output output = runTiny("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
        assertThat(output.stdout().strip()).isEqualTo("done");
        assertThat(output.stderr()).isEmpty();
    }

    @Test
    void forcedEngineIsQuietToo() throws Exception {
        Output output = runTiny("-Djasyncio.engine=virtual");
        assertThat(output.stdout().strip()).isEqualTo("done");
        assertThat(output.stderr()).isEmpty();
    }

    @Test
    void slowFallbackSaysOnceWhichFlagGivesTheFastEngine() throws Exception {
        Output output = runTiny();
        assertThat(output.stdout().strip()).isEqualTo("done");
        assertThat(output.stderr()).contains("virtual-thread engine")
                .contains("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED")
                .containsOnlyOnce("jasyncio: using");
    }
}
