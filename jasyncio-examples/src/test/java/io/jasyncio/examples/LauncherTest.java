package io.jasyncio.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./jasyncio} launcher script's own commands: {@code test --help}, {@code bench --help}, a
 * refused bench argument and the {@code --verbose} JDK line. All stop before any build, so the test runs the real script quickly (the time limit only
 * stops a hang).
 */
class LauncherTest {
    @TempDir
    Path dir;

    private record Result(int exit, String stdout, String stderr) {}

    private Result launch(String... args) throws Exception {
        Path root = Path.of(System.getProperty("jasyncio.root", "..")).toAbsolutePath().normalize();
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("jasyncio").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the launcher hung");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void verboseSaysWhichJdkAndTestHasHelpWithExamples() throws Exception {
        Result result = launch("--verbose", "test", "--help");
        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).startsWith("Usage: ./jasyncio test").contains("Examples:");
        assertThat(result.stderr().strip())
                .matches("jasyncio: launcher JDK \\d+ at .+ \\(from JAVA_HOME\\)")
                .contains(System.getProperty("java.home"));
    }

    @Test
    void benchHasHelpWithExamplesAndRefusesArguments() throws Exception {
        Result help = launch("bench", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.stdout()).startsWith("Usage: ./jasyncio bench").contains("Examples:");
        assertThat(help.stderr()).isEmpty();

        Result refused = launch("bench", "w9");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.stderr()).isEqualTo("jasyncio: bench takes no arguments, got 'w9' (see './jasyncio bench --help')\n");
        assertThat(refused.stdout()).isEmpty();
    }
}
