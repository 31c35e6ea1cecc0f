package io.jasyncio.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's "Use it in your project" path, end to end: clone the repository, install its artifacts
 * with the README's one command into the local Maven repository, then build {@code examples/starter}
 * offline ({@code -o}) against that repository, run its jar and check it prints its result and nothing
 * else (the library is quiet on a clean run). The clone is of the committed HEAD, as a user gets it.
 *
 * <p>Implementation notes: the local repository is the one this build uses (passed in by the pom), so the
 * third-party plugins are already there and the starter's offline build resolves; the test checks that
 * the jasyncio artifacts in it were written by its own install, so the starter is built against them.
 * Runs once, under the continuation engine's execution only: the builds start their own JVMs, so the
 * engine of this one changes nothing (an assumption, so that {@code -Dtest=...} keeps it too). The time limit only stops a hung build; it is not a
 * performance threshold.
 */
class StarterBuildTest {
    private static final long BUILD_LIMIT_MINUTES = 10;

    private Path work;

    @AfterEach
    void deleteWork() throws IOException {
        if (work == null) return;
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    void starterBuildsAndRunsAgainstFreshlyInstalledArtifacts() throws Exception {
        assumeTrue(!"virtual".equals(System.getProperty("jasyncio.engine")), "engine-independent: runs in the other execution");
        Path root = Path.of(System.getProperty("jasyncio.root", "..")).toAbsolutePath().normalize();
        assumeTrue(Files.exists(root.resolve(".git")), "not a git checkout: nothing to clone");
        work = Files.createTempDirectory("jasyncio-starter-");
        Path clone = work.resolve("jasyncio");
        Path repo = Path.of(System.getProperty("jasyncio.localRepository",
                System.getProperty("user.home") + "/.m2/repository"));
        long installStart = System.currentTimeMillis();

        run(work, List.of("git", "clone", "-q", "--no-hardlinks", root.toString(), clone.toString()));
        // The README's install command (tests are the suite's business; sources and Javadoc jars are attached).
        run(clone, mvn(repo, false, "-DskipTests", "install"));
        Path installed = repo.resolve("io/jasyncio");
        for (String file : List.of("jasyncio-bom/0.1.0-SNAPSHOT/jasyncio-bom-0.1.0-SNAPSHOT.pom",
                "jasyncio-core/0.1.0-SNAPSHOT/jasyncio-core-0.1.0-SNAPSHOT.jar",
                "jasyncio-core/0.1.0-SNAPSHOT/jasyncio-core-0.1.0-SNAPSHOT-sources.jar",
                "jasyncio-core/0.1.0-SNAPSHOT/jasyncio-core-0.1.0-SNAPSHOT-javadoc.jar",
                "jasyncio-test/0.1.0-SNAPSHOT/jasyncio-test-0.1.0-SNAPSHOT.jar")) {
            Path artifact = installed.resolve(file);
            assertThat(artifact).exists();
            // Millisecond clocks and coarse file times: allow the file system's rounding, nothing more.
            assertThat(Files.getLastModifiedTime(artifact).toMillis()).as("%s written by this install", file)
                    .isGreaterThanOrEqualTo(installStart - 2_000);
        }

        Path starter = clone.resolve("examples/starter");
        run(starter, mvn(repo, true, "package"));
        assertThat(starter.resolve("target/surefire-reports/TEST-com.example.MainTest.xml")).content()
                .contains("tests=\"2\"").contains("failures=\"0\"").contains("errors=\"0\"");

        Result app = run(starter, List.of(java(), "-jar", "target/starter.jar"));
        assertThat(app.stdout().strip()).isEqualTo("ab");
        assertThat(app.stderr()).as("library output on a clean run").isEmpty();
    }

    private static List<String> mvn(Path repo, boolean offline, String... goals) {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-ntp", "-q", "-Dmaven.repo.local=" + repo));
        if (offline) command.add("-o");
        command.addAll(List.of(goals));
        return command;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private record Result(String stdout, String stderr) {}

    /** Runs a command with this JVM's JDK as JAVA_HOME; fails with its output unless it exits 0. */
    private Result run(Path dir, List<String> command) throws Exception {
        Path out = Files.createTempFile(work, "out", ".txt"), err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        if (Runtime.version().feature() >= 24) { // Maven's own libraries use sun.misc.Unsafe: keep it from warning
            builder.environment().merge("MAVEN_OPTS", " --sun-misc-unsafe-memory-access=allow", String::concat);
        }
        Process process = builder.start();
        if (!process.waitFor(BUILD_LIMIT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + ": still running after " + BUILD_LIMIT_MINUTES + " min");
        }
        Result result = new Result(Files.readString(out), Files.readString(err));
        assertThat(process.exitValue())
                .as("%s in %s%n--- stdout:%n%s%n--- stderr:%n%s", String.join(" ", command), dir, result.stdout(), result.stderr())
                .isZero();
        return result;
    }
}
