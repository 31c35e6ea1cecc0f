package io.jasyncio.examples.inspect;

import io.jasyncio.EventLoopMXBean;
import io.jasyncio.LoopMetrics;
import io.jasyncio.TaskInfo;
import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jasyncio monitor PID}: a live view of another JVM's loops, like {@code top}: tasks by state, loop
 * lag and step rate, and the tasks that have waited longest on the same thing.
 *
 * <p>How long a task has waited is seen from here: the monitor remembers when it first saw each task waiting
 * on what it waits for now, so the target pays nothing for it (a task that was already waiting when the
 * monitor started shows "at least" that long). The screen is redrawn in place on a terminal; into a pipe
 * each refresh is appended, separated by a blank line.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true, versionProvider = io.jasyncio.examples.Main.Version.class,
        description = {"Watch the jasyncio event loops of another running JVM, refreshed each second: tasks by state,",
                       "loop lag (p50/p99/max), steps per second, slow steps, and the longest waiters. Ctrl-C leaves it."},
        footerHeading = "%nExamples:%n",
        footer = {"  ./jasyncio monitor 12345                   until Ctrl-C",
                  "  ./jasyncio monitor 12345 --iterations 5    five refreshes, then exit"})
public final class MonitorCommand extends AbstractInspectCommand {
    private static final int LONGEST_WAITERS = 5;
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Option(names = "--iterations", paramLabel = "N", description = "Stop after N refreshes (default: until Ctrl-C).")
    int iterations;

    @Option(names = "--interval", paramLabel = "SECONDS", description = "Seconds between refreshes (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    double interval;

    /** First time each (loop, task, what it awaits) was seen, in System.nanoTime. */
    private final Map<String, Long> waitingSince = new HashMap<>();

    @Override
    void inspect(AttachedJvm jvm, PrintWriter out) {
        if (iterations < 0) {
            throw new InspectException("--iterations must be 1 or more (or left out: until Ctrl-C), not " + iterations);
        }
        if (!(interval > 0) || interval > 3600) {
            throw new InspectException("--interval must be between 0 and 3600 seconds, not " + interval);
        }
        boolean terminal = System.console() != null && out == spec.commandLine().getOut();
        for (int i = 0; iterations == 0 || i < iterations; i++) {
            if (i > 0) {
                sleep();
            }
            StringBuilder screen = new StringBuilder();
            render(jvm, screen);
            if (terminal) {
                out.print(CLEAR_SCREEN);
            } else if (i > 0) {
                out.println();
            }
            out.print(screen);
            out.flush();
        }
    }

    private void sleep() {
        try {
            TimeUnit.NANOSECONDS.sleep((long) (interval * 1e9));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InspectException("interrupted");
        }
    }

    private void render(AttachedJvm jvm, StringBuilder screen) {
        long now = System.nanoTime();
        screen.append("jasyncio monitor: PID ").append(jvm.pid()).append(", ")
                .append(LocalTime.now().truncatedTo(ChronoUnit.SECONDS)).append(" (Ctrl-C to leave)\n");
        Map<String, Long> stillWaiting = new HashMap<>();
        for (EventLoopMXBean loop : jvm.loops()) {
            LoopMetrics m = loop.getMetrics();
            List<TaskInfo> tasks = loop.getTasks();
            long running = tasks.stream().filter(t -> t.state().equals("running")).count();
            long ready = tasks.stream().filter(t -> t.state().equals("ready")).count();
            long waiting = tasks.stream().filter(t -> t.state().equals("waiting")).count();
            screen.append('\n').append(header(loop, tasks.size())).append('\n')
                    .append(String.format(Locale.ROOT, "  tasks: %d running, %d ready, %d waiting%n", running, ready, waiting))
                    .append("  ").append(metricsLine(m)).append('\n');
            record Waiter(TaskInfo task, long since) {}
            List<Waiter> waiters = new java.util.ArrayList<>();
            for (TaskInfo t : tasks) {
                if (t.state().equals("waiting")) {
                    String key = loop.getId() + "/" + t.id() + "/" + t.awaiting();
                    long since = waitingSince.getOrDefault(key, now);
                    stillWaiting.put(key, since);
                    waiters.add(new Waiter(t, since));
                }
            }
            if (!waiters.isEmpty()) {
                screen.append("  longest waiters:\n");
                waiters.stream().sorted(Comparator.comparingLong(Waiter::since)).limit(LONGEST_WAITERS).forEach(w ->
                        screen.append(String.format(Locale.ROOT, "    %7.1f s  %s (id %d): %s%s%n", (now - w.since()) / 1e9,
                                w.task().name(), w.task().id(), w.task().awaiting(),
                                w.task().location().isEmpty() ? "" : " at " + w.task().location())));
            }
            String deadlocks = loop.getDeadlocks();
            for (String line : deadlocks.split("\n")) {
                if (!line.isBlank()) {
                    screen.append("  ").append(line).append('\n');
                }
            }
        }
        waitingSince.clear();
        waitingSince.putAll(stillWaiting);
    }
}
