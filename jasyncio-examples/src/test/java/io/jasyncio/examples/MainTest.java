package io.jasyncio.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line: help, version, and errors as one clear line with a non-zero exit. */
class MainTest {
    private final StringWriter out = new StringWriter(), err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("tour").contains("demo").contains("bench").contains("version")
                .contains("test").contains("--verbose").contains("Examples:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tour", "demo", "bench", "version"})
    void everyCommandHasHelpWithExamples(String command) {
        assertThat(run(command, "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: jasyncio " + command).contains("Examples:").contains("./jasyncio " + command);
        assertThat(err.toString()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tour", "demo", "bench", "version"})
    void everyCommandPrintsTheVersion(String command) {
        assertThat(run(command, "-V")).isZero();
        assertThat(out.toString()).startsWith("jasyncio ").contains("launcher JDK").contains("engine ");
    }

    @ParameterizedTest
    @CsvSource({"tour --frobnicate, jasyncio tour", "demo, jasyncio demo", "demo echo-server --port x, jasyncio demo",
                "bench extra, jasyncio bench", "version --nope, jasyncio version", "--nope, jasyncio"})
    void badInputIsOneLineAndExitTwo(String args, String command) {
        assertThat(run(args.split(" "))).isEqualTo(2);
        assertThat(err.toString()).endsWith("(see '" + command + " --help')" + System.lineSeparator())
                .startsWith("jasyncio: ").hasLineCount(1);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void unknownChapterIsOneLineAndExitTwo() {
        assertThat(run("tour", "99")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("jasyncio: there is no chapter 99: the tour has chapters 1 to 14 (see tour --list)");
    }

    @Test
    void unknownCommandOrDemoIsRefused() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("frobnicate").hasLineCount(1);
        assertThat(run("demo", "nope")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown demo 'nope'");
    }

    @Test
    void portInUseIsOneLineAndExitTwo() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int code = run("demo", "echo-server", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(code).isEqualTo(2);
            assertThat(err.toString().strip()).isEqualTo("jasyncio: port " + taken.getLocalPort() + " is already in use; try --port");
        }
    }
}
