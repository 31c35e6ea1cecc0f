package io.jasyncio.examples.inspect;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.LoopOptions;
import io.jasyncio.http.HttpServer;
import io.jasyncio.http.Router;
import io.jasyncio.http.monitor.MonitorPage;
import io.jasyncio.http.monitor.MonitorSampler;
import io.jasyncio.http.monitor.MonitorSnapshot;
import io.jasyncio.http.monitor.MonitorSnapshot.LoopEntry;
import io.jasyncio.http.monitor.MonitorSnapshot.TaskEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jasyncio monitor PID}: a live view of another JVM's loops, like {@code top}: tasks by state, loop
 * lag and step rate, and the tasks that have waited longest on the same thing; with {@code --web PORT}, the
 * same as a web page (the task tree, a lag plot, the longest waits) on {@code http://127.0.0.1:PORT/}.
 *
 * <p>Both read the target through one {@link MonitorSampler} over the attached JVM's beans: how long a task
 * has waited is seen from here, so the target pays nothing for it (a task that was already waiting when the
 * monitor started shows "at least" that long). The screen is redrawn in place on a terminal; into a pipe
 * each refresh is appended, separated by a blank line. The web page is served on the loopback address only:
 * it shows task names and stacks.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true, versionProvider = io.jasyncio.examples.Main.Version.class,
        description = {"Watch the jasyncio event loops of another running JVM, refreshed each second: tasks by state,",
                       "loop lag (p50/p99/max), steps per second, slow steps, and the longest waiters. Ctrl-C leaves it.",
                       "With --web, serve the same live as a web page: the task tree, a lag plot and the longest waits."},
        footerHeading = "%nExamples:%n",
        footer = {"  ./jasyncio monitor 12345                   until Ctrl-C",
                  "  ./jasyncio monitor 12345 --iterations 5    five refreshes, then exit",
                  "  ./jasyncio monitor 12345 --web 8090        open http://127.0.0.1:8090/ in a browser; Ctrl-C stops it"})
public final class MonitorCommand extends AbstractInspectCommand {
    private static final int LONGEST_WAITERS = 5;
    /** Lines of a blocked loop's stack shown on the screen (the web page shows all of it). */
    private static final int BLOCKED_STACK_LINES = 12;
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Option(names = "--iterations", paramLabel = "N", description = "Stop after N refreshes (default: until Ctrl-C).")
    int iterations;

    @Option(names = "--interval", paramLabel = "SECONDS", description = "Seconds between refreshes (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    double interval;

    @Option(names = "--web", paramLabel = "PORT",
            description = "Serve the live monitor page on http://127.0.0.1:PORT/ instead (0: a free port) until Ctrl-C.")
    Integer web;

    @Override
    void inspect(AttachedJvm jvm, PrintWriter out) {
        MonitorSampler sampler = new MonitorSampler("PID " + jvm.pid(), jvm::loops);
        if (web != null) {
            serveWeb(jvm, sampler, out);
            return;
        }
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
            String screen = render(jvm, sampled(sampler));
            if (terminal) {
                out.print(CLEAR_SCREEN);
            } else if (i > 0) {
                out.println();
            }
            out.print(screen);
            out.flush();
        }
    }

    /** A fresh snapshot, or the reason it could not be read as a one-line failure. */
    private static MonitorSnapshot sampled(MonitorSampler sampler) {
        MonitorSnapshot s = sampler.sample();
        if (!s.error().isEmpty()) {
            throw new InspectException(s.error());
        }
        return s;
    }

    private void serveWeb(AttachedJvm jvm, MonitorSampler sampler, PrintWriter out) {
        if (web < 0 || web > 65535) {
            throw new InspectException("--web must be a port between 0 and 65535 (0: a free one), not " + web);
        }
        if (iterations != 0 || spec.commandLine().getParseResult().hasMatchedOption("--interval")) {
            throw new InspectException("--iterations and --interval are for the terminal view; --web serves until Ctrl-C"
                    + " and the page refreshes each second");
        }
        sampled(sampler); // a target that cannot be read fails here, before anything is served
        try {
            Asyncio.run(() -> {
                HttpServer server;
                try {
                    server = HttpServer.start(MonitorPage.mount(new Router(), "", sampler), "127.0.0.1", web);
                } catch (IOException e) {
                    throw new InspectException("cannot serve the monitor on 127.0.0.1:" + web + ": " + e.getMessage());
                }
                out.println("monitor of PID " + jvm.pid() + " on http://127.0.0.1:" + server.port() + "/ (Ctrl-C to stop)");
                out.flush();
                server.serveUntilCancelled(Duration.ofSeconds(1));
                return null;
            }, LoopOptions.defaults());
        } catch (CancelledError interrupted) {
            out.println("monitor stopped");
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

    private static String render(AttachedJvm jvm, MonitorSnapshot snapshot) {
        StringBuilder screen = new StringBuilder();
        screen.append("jasyncio monitor: PID ").append(jvm.pid()).append(", ")
                .append(LocalTime.now().truncatedTo(ChronoUnit.SECONDS)).append(" (Ctrl-C to leave)\n");
        for (LoopEntry loop : snapshot.loops()) {
            long running = loop.tasks().stream().filter(t -> t.state().equals("running")).count();
            long ready = loop.tasks().stream().filter(t -> t.state().equals("ready")).count();
            long waiting = loop.tasks().stream().filter(t -> t.state().equals("waiting")).count();
            screen.append('\n').append(header(loop.id(), loop.state(), loop.engine(), loop.debug(), loop.tasks().size())).append('\n')
                    .append(String.format(Locale.ROOT, "  tasks: %d running, %d ready, %d waiting%n", running, ready, waiting))
                    .append("  ").append(metricsLine(loop.metrics())).append('\n');
            if (waiting > 0) {
                screen.append("  longest waiters:\n");
                loop.tasks().stream().filter(t -> t.state().equals("waiting"))
                        .sorted(Comparator.comparingDouble(TaskEntry::waitingSeconds).reversed()).limit(LONGEST_WAITERS)
                        .forEach(t -> screen.append(String.format(Locale.ROOT, "  %s%7.1f s  %s (id %d): %s%s%n",
                                t.waitingAtLeast() ? ">" : " ", t.waitingSeconds(), t.name(), t.id(), t.awaiting(),
                                t.location().isEmpty() ? "" : " at " + t.location())));
            }
            for (String line : loop.deadlocks()) {
                screen.append("  ").append(line).append('\n');
            }
            if (!loop.blockedAt().isEmpty()) {
                screen.append("  blocked in a step, at:\n");
                loop.blockedAt().lines().limit(BLOCKED_STACK_LINES).forEach(l -> screen.append("    ").append(l).append('\n'));
            }
        }
        return screen.toString();
    }
}
