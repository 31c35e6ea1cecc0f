package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.timeout;

import io.jasyncio.Held;
import io.jasyncio.Lock;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TimeoutException;
import io.jasyncio.net.Net;
import io.jasyncio.net.Server;
import io.jasyncio.net.StreamPair;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Chapter 9: asynchronous context managers as try-with-resources. */
final class AsyncWith implements Chapter {
    @Override
    public String title() {
        return "async with: try-with-resources that may suspend";
    }

    @Override
    public String explanation() {
        return """
                Python's async with enters and leaves a context that may pause on the way in or out. In
                Java it is try-with-resources: lock.acquire() may suspend until the lock is free and
                returns a Held that releases it on exit; a TaskGroup waits for its tasks when the block
                ends; a connection (StreamPair) is closed on exit, after what was written has been flushed.
                Exit always runs, also when the block fails or is cancelled. One context manager is a
                lambda instead: async with timeout(d) is timeout(d, () -> ...), because only a lambda's end
                can turn the deadline (a CancelledError inside the block, which no catch (Exception e) can
                swallow) into a TimeoutException, the way asyncio's __aexit__ does.""";
    }

    @Override
    public String takeaway() {
        return "acquire in the try header, and exit is guaranteed: locks, task groups, connections; deadlines are lambdas.";
    }

    @Override
    public Object run(Out out) throws Exception {
        Lock lock = new Lock();
        List<String> log = new ArrayList<>();
        List<Task<Void>> users = new ArrayList<>();
        for (String who : List.of("first", "second")) {
            users.add(createTask(() -> {
                try (Held held = lock.acquire()) { // suspends while the other holds it
                    log.add(who + " in");
                    sleep(0.1);
                    log.add(who + " out");
                }
                return null;
            }));
        }
        gather(users);
        out.result("lock: " + log);

        try {
            timeout(Duration.ofMillis(100), () -> sleep(1, null));
        } catch (TimeoutException e) {
            out.result("timeout block: left after its deadline, expired=" + e.scope().expired());
        }

        try (TaskGroup tg = new TaskGroup()) {
            tg.createTask(() -> {
                sleep(0.1);
                log.add("group task done");
                return null;
            });
        }
        out.result("task group: exit waited for its task -> " + log.get(log.size() - 1));

        byte[][] received = new byte[1][];
        try (Server server = Net.startServer((r, w) -> {
            received[0] = r.read(); // until the client's connection closes
            w.close();
        }, "127.0.0.1", 0)) {
            try (StreamPair conn = Net.openConnection("127.0.0.1", server.port())) {
                conn.writer().write(new byte[200_000]);
                conn.writer().write("end".getBytes(StandardCharsets.US_ASCII));
            } // close(): flushes the 200 KB, then closes
            while (received[0] == null) {
                sleep(0.01);
            }
        }
        out.result("connection closed on exit after flushing " + received[0].length + " bytes");
        log.add("received " + received[0].length);
        return log;
    }
}
