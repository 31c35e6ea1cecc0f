package io.jasyncio.examples.demo;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.getRunningLoop;

import io.jasyncio.Task;
import io.jasyncio.net.Net;
import io.jasyncio.net.StreamPair;
import io.jasyncio.net.StreamReader;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Many concurrent clients of the echo server, each sending a few lines; prints the timing. */
public final class EchoClient {
    private EchoClient() {}

    /** Runs {@code clients} concurrent connections of {@code lines} round trips each; returns the total round trips. */
    public static int run(String host, int port, int clients, int lines, PrintStream out) throws Exception {
        double start = getRunningLoop().time();
        List<Task<Integer>> tasks = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            tasks.add(createTask(() -> {
                try (StreamPair conn = Net.openConnection(host, port)) {
                    int ok = 0;
                    for (int i = 0; i < lines; i++) {
                        String msg = "client " + id + " line " + i;
                        conn.writer().write(msg + "\n");
                        conn.writer().drain();
                        if (StreamReader.text(conn.reader().readline()).equals(msg)) {
                            ok++;
                        }
                    }
                    return ok;
                }
            }));
        }
        int total = 0;
        for (int n : gather(tasks)) {
            total += n;
        }
        out.printf("%d clients x %d lines: %d echoed correctly in %.3f s%n", clients, lines, total, getRunningLoop().time() - start);
        return total;
    }
}
