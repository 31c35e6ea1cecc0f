package io.jasyncio.examples.inspect;

import io.jasyncio.EventLoopMXBean;
import io.jasyncio.LoopMetrics;
import java.io.PrintWriter;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What {@code ps}, {@code pstree} and {@code monitor} share: the PID argument, attaching, and turning a
 * failure into one line (an {@link InspectException}: the command line prints it and exits with 2).
 */
abstract class AbstractInspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PID", description = "The process id of a running JVM that uses jasyncio (jps lists them).")
    long pid;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (AttachedJvm jvm = AttachedJvm.attach(pid)) {
            inspect(jvm, out);
        } catch (UndeclaredThrowableException e) { // a JMX proxy call whose connection broke
            throw new InspectException("lost the connection to PID " + pid + " (did it exit?): " + e.getCause());
        }
        out.flush();
        return 0;
    }

    /** Prints what the command shows about the attached JVM. */
    abstract void inspect(AttachedJvm jvm, PrintWriter out);

    /** "loop-1 (running, continuation engine, 4 tasks)". */
    static String header(EventLoopMXBean loop, int tasks) {
        return header(loop.getId(), loop.getState(), loop.getEngine(), loop.isDebug(), tasks);
    }

    static String header(long id, String state, String engine, boolean debug, int tasks) {
        return "loop-" + id + " (" + state + ", " + engine + " engine" + (debug ? ", debug" : "") + ", "
                + tasks + (tasks == 1 ? " task" : " tasks") + ")";
    }

    /** One line of a loop's metrics. */
    static String metricsLine(LoopMetrics m) {
        if (!m.measuring()) {
            return String.format(Locale.ROOT, "ready queue %d, steps %d (lag not measured yet)", m.readyQueueLength(), m.steps());
        }
        return String.format(Locale.ROOT, "ready queue %d, steps %d, %.0f steps/s, lag p50 %s p99 %s max %s (%d turns), slow steps %d",
                m.readyQueueLength(), m.steps(), m.stepsPerSecond(), millis(m.lagP50Nanos()), millis(m.lagP99Nanos()),
                millis(m.lagMaxNanos()), m.lagSamples(), m.slowSteps());
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    /** Deadlock lines of a loop, indented, or nothing. */
    static void printDeadlocks(EventLoopMXBean loop, PrintWriter out) {
        String deadlocks = loop.getDeadlocks();
        for (String line : deadlocks.split("\n")) {
            if (!line.isBlank()) {
                out.println("  " + line);
            }
        }
    }
}
