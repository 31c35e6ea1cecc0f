package io.jasyncio.examples.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.examples.Main;
import io.jasyncio.examples.tour.HungProgram;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code ps}, {@code pstree} and {@code monitor} against a real second JVM that really hangs ({@link HungProgram}:
 * two tasks deadlocked on two Locks, one waiting on a forgotten Event), started without any flag for
 * inspection; and their one-line errors for PIDs that cannot be inspected.
 */
@Timeout(120)
class InspectCommandsTest {
    private static ChildProgram hung;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startTheHungProgram() throws Exception {
        hung = ChildProgram.java(HungProgram.class);
        hung.expect("hung");
    }

    @AfterAll
    static void stopIt() throws Exception {
        hung.close();
    }

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void psListsEachTaskWhatItAwaitsAndTheUsersLine() {
        assertThat(run("ps", Long.toString(hung.pid()))).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).startsWith("loop-1 (running, ").contains("4 tasks)")
                .containsPattern("ID +NAME +STATE +AWAITED BY +AT +AWAITING");
        assertThat(text).containsPattern("transfer +waiting +1 +io\\.jasyncio\\.examples\\.tour\\.HungProgram\\.move\\(HungProgram\\.java:30\\) +"
                + "Lock\\.acquire on Lock\\[locked by report, waiters=1\\]");
        assertThat(text).containsPattern("report +waiting +1 +.*HungProgram\\.java:30\\) +Lock\\.acquire on Lock\\[locked by transfer");
        assertThat(text).containsPattern("notifier +waiting +1 +.*\\(HungProgram\\.java:54\\) +Event\\.await on Event\\[unset, waiters=1\\]");
        assertThat(text).containsPattern("main +waiting +- +.*HungProgram\\.day\\(HungProgram\\.java:\\d+\\) +TaskGroup join on TaskGroup\\[joining, tasks=3\\]");
        assertThat(text).contains("deadlock: ").contains("transfer (waits for a Lock held by report at HungProgram.java:30)")
                .contains("report (waits for a Lock held by transfer at HungProgram.java:30)");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void pstreeShowsWhoAwaitsWhom() {
        assertThat(run("pstree", Long.toString(hung.pid()))).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).contains("└── main (id 1) waiting: TaskGroup join on TaskGroup[joining, tasks=3] at io.jasyncio.examples.tour.HungProgram.day(HungProgram.java:");
        assertThat(text).containsPattern("\\n    [├└]── notifier \\(id \\d+\\) waiting: Event\\.await on Event\\[unset, waiters=1\\] at .*HungProgram\\.java:54\\)");
        assertThat(text).containsPattern("\\n    [├└]── transfer \\(id \\d+\\) waiting: Lock\\.acquire on Lock\\[locked by report, waiters=1\\] at .*HungProgram\\.java:30\\)");
        assertThat(text).containsPattern("\\n    [├└]── report \\(id \\d+\\) waiting: Lock\\.acquire");
        assertThat(text).contains("deadlock: ");
    }

    @Test
    void monitorRefreshesAndShowsTheLongestWaiters() {
        assertThat(run("monitor", Long.toString(hung.pid()), "--iterations", "2", "--interval", "0.2")).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text.split("jasyncio monitor: PID " + hung.pid(), -1)).hasSize(3); // two screens
        assertThat(text).contains("tasks: 0 running, 0 ready, 4 waiting").contains("lag p50 ").contains("steps/s")
                .contains("longest waiters:").containsPattern("\\d+\\.\\d s  transfer \\(id \\d+\\): Lock\\.acquire on Lock\\[locked by report")
                .contains("deadlock: ");
    }

    @Test
    void aProcessThatIsNotAJvmIsRefusedAndLeftAlone() throws Exception {
        try (ChildProgram sleeper = ChildProgram.command("sleep", "60")) {
            assertThat(run("ps", Long.toString(sleeper.pid()))).isEqualTo(2);
            assertThat(err.toString()).isEqualTo("jasyncio: PID " + sleeper.pid() + " is not a Java virtual machine this user can"
                    + " attach to (not a JVM, another user's, or started with -XX:-UsePerfData)" + System.lineSeparator());
            assertThat(sleeper.isAlive()).as("attaching would have sent it SIGQUIT").isTrue();
        }
    }

    @Test
    void aJvmWithoutAnEventLoopIsNamedAsSuch() throws Exception {
        try (ChildProgram plain = ChildProgram.java(NoLoopJvm.class)) {
            plain.expect("up");
            assertThat(run("pstree", Long.toString(plain.pid()))).isEqualTo(2);
            assertThat(err.toString()).startsWith("jasyncio: PID " + plain.pid() + " runs no jasyncio event loop").hasLineCount(1);
        }
    }

    @Test
    void missingAndBadPidsAreOneLineErrors() {
        assertThat(run("ps", "99999999")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("jasyncio: there is no process with PID 99999999" + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run("monitor", "twelve")).isEqualTo(2);
        assertThat(err.toString()).startsWith("jasyncio: ").contains("twelve").hasLineCount(1);
        err.getBuffer().setLength(0);
        assertThat(run("ps", Long.toString(ProcessHandle.current().pid()))).isEqualTo(2);
        assertThat(err.toString()).contains("is this jasyncio command itself").hasLineCount(1);
        err.getBuffer().setLength(0);
        assertThat(run("monitor", Long.toString(hung.pid()), "--interval", "0")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("jasyncio: --interval must be between 0 and 3600 seconds, not 0.0" + System.lineSeparator());
    }

    @Test
    void everyInspectCommandHasHelpWithExamples() {
        for (String command : new String[] {"ps", "pstree", "monitor"}) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString()).startsWith("Usage: jasyncio " + command).contains("PID").contains("Examples:")
                    .contains("./jasyncio " + command);
        }
    }
}
