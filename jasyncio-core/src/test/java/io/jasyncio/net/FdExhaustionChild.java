package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.ExceptionContext;
import io.jasyncio.LoopOptions;
import io.jasyncio.Runner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of the descriptor-exhaustion tests (run with a low {@code ulimit -n}): an echo server
 * driven by commands on stdin, one per line, each answered on stdout.
 * <ul>
 *   <li>{@code FILL}: once the connections of the last round are gone, opens /dev/null until the
 *       process is out of descriptors (again after a few loop turns, for descriptors released late);
 *       answers {@code FILLED n message}</li>
 *   <li>{@code HOLD ms}: waits for a new report to the exception handler, then {@code ms} more (the
 *       server retries meanwhile); answers {@code REPORTS total FAILURES n}, n the accepts that failed
 *       during those {@code ms}</li>
 *   <li>{@code RELEASE}: closes those files; answers {@code RELEASED}</li>
 *   <li>{@code QUIT}: closes the server; answers {@code REPORTS total} and exits</li>
 * </ul>
 */
public final class FdExhaustionChild {
    private FdExhaustionChild() {}

    /** Opens /dev/null until the process is out of descriptors; returns how many it opened, the error in {@code why}. */
    private static int fill(List<FileChannel> hog, String[] why) {
        int added = 0;
        try {
            while (true) {
                hog.add(FileChannel.open(Path.of("/dev/null")));
                added++;
            }
        } catch (IOException outOfDescriptors) {
            why[0] = outOfDescriptors.getMessage();
        }
        return added;
    }

    public static void main(String[] args) throws Exception {
        List<ExceptionContext> reports = new ArrayList<>();
        int[] connections = {0};
        List<FileChannel> hog = new ArrayList<>();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in));
        try (Runner runner = new Runner(LoopOptions.defaults().withHandleSigint(false))) {
            runner.getLoop().setExceptionHandler((loop, ctx) -> reports.add(ctx));
            runner.run(() -> {
                Server server = Net.startServer((r, w) -> {
                    connections[0]++;
                    try {
                        for (byte[] line : r) {
                            w.write(line);
                            w.drain();
                        }
                        w.close();
                        w.waitClosed();
                    } finally {
                        connections[0]--;
                    }
                }, "127.0.0.1", 0);
                System.out.println("PORT " + server.port());
                int seen = 0;
                while (true) {
                    String cmd = Asyncio.toThread(commands::readLine);
                    if (cmd == null || cmd.equals("QUIT")) {
                        break;
                    }
                    if (cmd.equals("FILL")) {
                        while (connections[0] > 0) {
                            Asyncio.sleep(0.01);
                        }
                        String[] why = {""};
                        fill(hog, why);
                        do { // a closed socket's descriptor is released a loop turn later: fill until none comes back
                            Asyncio.sleep(0.02);
                        } while (fill(hog, why) > 0);
                        System.out.println("FILLED " + hog.size() + " " + why[0]);
                    } else if (cmd.startsWith("HOLD ")) {
                        while (reports.size() == seen) {
                            Asyncio.sleep(0.01);
                        }
                        long failuresBefore = server.acceptFailures();
                        Asyncio.sleep(Long.parseLong(cmd.substring(5)) / 1000.0);
                        seen = reports.size();
                        System.out.println("REPORTS " + reports.size() + " FAILURES " + (server.acceptFailures() - failuresBefore));
                    } else if (cmd.equals("RELEASE")) {
                        for (FileChannel f : hog) {
                            f.close();
                        }
                        hog.clear();
                        System.out.println("RELEASED");
                    }
                }
                server.close();
                server.waitClosed();
                return null;
            });
        }
        System.out.println("REPORTS " + reports.size());
        for (ExceptionContext ctx : reports.subList(0, Math.min(3, reports.size()))) {
            System.out.println("REPORT " + ctx.message());
        }
    }
}
