package io.jasyncio.snippets;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.timeout;

import io.jasyncio.Asyncio;
import io.jasyncio.Held;
import io.jasyncio.Lock;
import io.jasyncio.Queue;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The examples the public Javadoc shows ({@code {@snippet class=... region=...}}): real code, compiled
 * with the tests and run by {@link ApiSnippetsTest}, so a documented example cannot rot.
 */
public final class ApiSnippets {
    private ApiSnippets() {}

    static String fetch(String what) {
        sleep(1.0);
        return what;
    }

    /** The facade: run a main coroutine, start tasks, await them. */
    public static String runAndGather() {
        // @start region="run"
        String both = Asyncio.run(() -> {
            Task<String> a = createTask(() -> fetch("a"));
            Task<String> b = createTask(() -> fetch("b"));
            return a.await() + b.await();   // about 1 s in total, not 2
        });
        // @end
        return both;
    }

    /** A deadline for a block; inside it the deadline is a CancelledError, outside a TimeoutException. */
    public static String deadline() {
        // @start region="timeout"
        String page;
        try {
            page = timeout(Duration.ofMillis(500), () -> fetch("slow page"));
        } catch (TimeoutException tooSlow) {
            page = "(timed out)";
        }
        // @end
        return page;
    }

    /** Structured concurrency with asyncio's rules. */
    public static List<String> group() {
        List<String> pages = new ArrayList<>();
        // @start region="taskgroup"
        TaskGroup.run(tg -> {
            for (String url : List.of("a", "b", "c")) {
                tg.createTask(() -> pages.add(fetch(url)));   // if one fails, the others are cancelled
            }
        });                                                    // every child is done here
        // @end
        return pages;
    }

    /** Mutual exclusion between tasks. */
    public static int lock() {
        int[] counter = {0};
        Lock lock = new Lock();
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tasks.add(createTask(() -> {
                // @start region="lock"
                try (Held held = lock.acquire()) {   // suspends while another task holds it
                    int seen = counter[0];
                    sleep(0.01);                      // other tasks run, but none enters here
                    counter[0] = seen + 1;
                }
                // @end
                return null;
            }));
        }
        gather(tasks);
        return counter[0];
    }

    /** Producers and consumers. */
    public static List<Integer> queue() {
        List<Integer> handled = new ArrayList<>();
        // @start region="queue"
        Queue<Integer> jobs = new Queue<>(10);                // put() waits while 10 are queued
        Task<Void> worker = createTask(() -> {
            for (int job : jobs) {                            // ends once the queue is shut down and drained
                handled.add(job);
                jobs.taskDone();
            }
            return null;
        });
        for (int i = 0; i < 25; i++) {
            jobs.put(i);
        }
        jobs.join();                                          // every job marked done
        jobs.shutdown();
        worker.await();
        // @end
        return handled;
    }

    /** A server and a client over TCP on loopback. */
    public static String echo() throws java.io.IOException {
        io.jasyncio.net.Server server = io.jasyncio.net.Net.startServer((reader, writer) -> {
            for (byte[] line : reader) {   // one task per client; each read suspends
                writer.write(line);
                writer.drain();
            }
            writer.close();
        }, "127.0.0.1", 0);
        int port = server.port();
        // @start region="client"
        io.jasyncio.net.StreamPair conn = io.jasyncio.net.Net.openConnection("127.0.0.1", port);
        conn.writer().write("ping\n");
        byte[] line = conn.reader().readline();
        // @end
        conn.close();
        server.close();
        server.waitClosed();
        return io.jasyncio.net.StreamReader.text(line);
    }

    /** A child process fed on stdin, its stdout collected. */
    public static String grep() throws java.io.IOException {
        // @start region="process"
        io.jasyncio.process.Process p = io.jasyncio.process.Process.createSubprocessExec(List.of("grep", "x"),
                io.jasyncio.process.Redirect.PIPE, io.jasyncio.process.Redirect.PIPE, io.jasyncio.process.Redirect.INHERIT);
        io.jasyncio.process.Process.Output out = p.communicate("a\nx1\nb\nx2\n".getBytes());
        // @end
        return new String(out.stdout()) + "exit " + out.returncode();
    }

    /** A service's server as a scope: serve, then stop gracefully (a grace period, then cancel). */
    public static String serverScope() throws Exception {
        io.jasyncio.Event stop = new io.jasyncio.Event();
        io.jasyncio.net.Server server = io.jasyncio.net.Net.startServer((reader, writer) -> {
            for (byte[] line : reader) {
                writer.write(line);
            }
            writer.close();
        }, "127.0.0.1", 0);
        Task<String> client = createTask(() -> {
            io.jasyncio.net.StreamPair c = io.jasyncio.net.Net.openConnection("127.0.0.1", server.port());
            c.writer().write("bye\n");
            String answer = io.jasyncio.net.StreamReader.text(c.reader().readline());
            stop.set();
            c.close();
            return answer;
        });
        // @start region="serverScope"
        try (io.jasyncio.net.Server.Serving serving = server.serving()) {   // async with server:
            stop.await();                                // e.g. until SIGTERM
            server.shutdown(Duration.ofSeconds(10));     // stop accepting; finish or be cancelled in 10 s
        }                                                // here every handler has returned
        // @end
        return client.await();
    }

    /** A producer and a consumer over a bounded channel; the consumer's loop ends at close. */
    public static List<Integer> channel() {
        List<Integer> got = new ArrayList<>();
        // @start region="channel"
        io.jasyncio.Channel<Integer> jobs = io.jasyncio.Channel.bounded(2);   // send waits while 2 are buffered
        Task<Void> producer = createTask(() -> {
            for (int i = 0; i < 5; i++) {
                jobs.send(i);
            }
            jobs.close();                       // close(cause) would tell the consumer why
            return null;
        });
        for (int job : jobs) {                  // receives until closed and drained
            got.add(job);
        }
        // @end
        producer.await();
        return got;
    }

    /** Receive from whichever of two channels has something, or give up after a timeout. */
    public static List<String> select() throws Exception {
        io.jasyncio.Channel<String> prices = io.jasyncio.Channel.unbounded();
        io.jasyncio.Channel<String> news = io.jasyncio.Channel.unbounded();
        news.send("rates up");
        List<String> seen = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            // @start region="select"
            String event = new io.jasyncio.Select<String>()
                    .onReceive(prices, p -> "price " + p)
                    .onReceive(news, n -> "news " + n)
                    .onTimeout(Duration.ofSeconds(1), () -> "quiet")
                    .await();
            // @end
            seen.add(event);
        }
        return seen;
    }
}
