package io.jasyncio.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}) for the browser tests: whether it is installed (the tests are
 * skipped only where it is missing; {@code .ci/run} installs it), and a launch with the flags that keep it quiet,
 * offline and out of the user's profile: a fresh profile and temporary directory under {@code dir}, removed
 * with it.
 */
public final class Chromium {
    private Chromium() {}

    /** Whether {@code chromium --version} runs. */
    public static boolean available() {
        try {
            return new ProcessBuilder("chromium", "--version").redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** A headless Chromium launch with {@code args} (further flags, then the URL), its files under {@code dir}. */
    public static ProcessBuilder headless(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createDirectories(dir.resolve("profile"))));
        command.addAll(List.of(args));
        ProcessBuilder launch = new ProcessBuilder(command);
        // Chromium's own temporary files go to the test's directory, removed with it
        launch.environment().put("TMPDIR", Files.createDirectories(dir.resolve("tmp")).toString());
        return launch;
    }
}
