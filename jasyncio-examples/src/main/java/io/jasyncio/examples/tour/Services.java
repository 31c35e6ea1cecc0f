package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.currentEffectiveDeadline;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.shielded;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.timeout;
import static io.jasyncio.Asyncio.timeoutOrNull;

import io.jasyncio.CancelledError;
import io.jasyncio.Channel;
import io.jasyncio.Select;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.net.Net;
import io.jasyncio.net.Server;
import io.jasyncio.net.StreamPair;
import io.jasyncio.net.StreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Chapter 13: what a long-running service needs: supervision, readiness, cancel scopes, channels. */
final class Services implements Chapter {
    /** What the chapter measured, for its test. */
    record Results(List<String> supervised, String failureSeen, String echoed, String gaveUp, double secondsLeft,
                   List<String> cleanup, List<String> selected) {}

    @Override
    public String title() {
        return "Services: supervision, readiness, cancel scopes, channels";
    }

    @Override
    public String explanation() {
        return """
                A service runs for weeks, so one failing child must not take the others down, start-up
                must wait until a part is really ready, and every wait needs a deadline. Supervision
                (Kotlin's supervisorScope): TaskGroup.supervise runs children whose failures cancel
                nobody; a failure stays with its task for whoever awaits it (and is reported if nobody
                does). Readiness (trio's nursery.start): tg.start(status -> ...) returns only once the
                child called status.started(value), so a server task can hand back the port it bound
                before anyone connects. Cancel scopes: timeoutOrNull gives up quietly at its own deadline
                (trio's move_on_after); currentEffectiveDeadline() tells a library how long it may take;
                shielded(...) lets clean-up finish even while the task is being cancelled (trio's
                shield, Kotlin's NonCancellable). Channels connect the parts: a send waits while the
                channel is full, close() ends the receivers' loops, and a Select waits on several channels
                and a timeout at once; a cancelled send or receive never loses an element.""";
    }

    @Override
    public String takeaway() {
        return "supervise what may fail alone, start() what others depend on, put a deadline on every wait, shield the clean-up.";
    }

    @Override
    public Object run(Out out) throws Exception {
        // Supervision: the failing worker cancels nobody; its failure is read by awaiting it.
        List<String> supervised = new ArrayList<>();
        String[] failure = new String[1];
        TaskGroup.supervise(tg -> {
            List<Task<String>> workers = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                workers.add(tg.createTask(() -> {
                    sleep(0.01);
                    if (name.equals("b")) {
                        throw new IllegalStateException("worker b broke");
                    }
                    supervised.add(name + " done");
                    return name;
                }));
            }
            try {
                workers.get(1).await();
            } catch (IllegalStateException e) {
                failure[0] = e.getMessage();
            }
        });
        out.result("supervise: " + supervised + ", and the failure was read by its awaiter: " + failure[0]);

        // Readiness: the server task reports its port once it listens; then a client may connect.
        String[] echoed = new String[1];
        TaskGroup.run(tg -> {
            int port = tg.start(status -> {
                Server server = Net.startServer((reader, writer) -> {
                    writer.write(reader.readline());
                    writer.close();
                }, "127.0.0.1", 0);
                try (Server.Serving serving = server.serving()) {   // on exit: waits for its handlers
                    status.started(server.port());
                    server.serveForever();
                }
            });
            StreamPair c = Net.openConnection("127.0.0.1", port);
            c.writer().write("ready before the first connection\n");
            echoed[0] = StreamReader.text(c.reader().readline());
            c.close();
            tg.cancel();   // the service is done: stop the server task
        });
        out.result("start(): " + echoed[0]);

        // Cancel scopes: give up quietly; read the deadline; shield the clean-up.
        String gaveUp = timeoutOrNull(Duration.ofMillis(50), () -> sleep(10, "slow answer"));
        out.result("timeoutOrNull: " + gaveUp + " (no exception: its own deadline ended it)");
        double secondsLeft = timeout(Duration.ofSeconds(5), () -> currentEffectiveDeadline() - getRunningLoop().time());
        out.result(String.format(java.util.Locale.ROOT, "currentEffectiveDeadline: %.1f s left for a library call", secondsLeft));
        List<String> cleanup = new ArrayList<>();
        Task<Void> request = io.jasyncio.Asyncio.createTask(() -> {
            try {
                sleep(3600);
            } finally {
                shielded(() -> {
                    sleep(0.02);                    // suspends although the task is being cancelled
                    cleanup.add("connection returned to the pool");
                    return null;
                });
            }
            return null;
        });
        sleep(0.01);
        request.cancel();
        try {
            request.await();
        } catch (CancelledError expected) {
            cleanup.add("request cancelled");
        }
        out.result("shielded: " + cleanup);

        // Channels and select: a producer, a consumer of two channels, and a timeout.
        Channel<String> orders = Channel.bounded(2);
        Channel<String> alerts = Channel.rendezvous();
        List<String> selected = new ArrayList<>();
        TaskGroup.run(tg -> {
            tg.createTask(() -> {
                orders.send("order 1");
                orders.send("order 2");
                alerts.send("stock low");
                return null;
            });
            for (int i = 0; i < 4; i++) {
                selected.add(new Select<String>()
                        .onReceive(orders, o -> "got " + o)
                        .onReceive(alerts, a -> "alert: " + a)
                        .onTimeout(Duration.ofMillis(100), () -> "quiet")
                        .await());
            }
        });
        out.result("select: " + selected);
        return new Results(supervised, failure[0], echoed[0], gaveUp, secondsLeft, cleanup, selected);
    }
}
