package io.jasyncio.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./jasyncio} launcher script's own commands: {@code test --help} and the {@code --verbose}
 * JDK line. Both stop before any build, so the test runs the real script quickly (the time limit only
 * stops a hang).
 */
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void verboseSaysWhichJdkAndTestHasHelpWithExamples() throws Exception {
        Path root = Path.of(System.getProperty("jasyncio.root", "..")).toAbsolutePath().normalize();
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("jasyncio").toString(), "--verbose", "test", "--help")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the launcher hung");
        }
        assertThat(process.exitValue()).isZero();
        assertThat(Files.readString(out)).startsWith("Usage: ./jasyncio test").contains("Examples:");
        assertThat(Files.readString(err).strip())
                .matches("jasyncio: launcher JDK \\d+ at .+ \\(from JAVA_HOME\\)")
                .contains(System.getProperty("java.home"));
    }
}
