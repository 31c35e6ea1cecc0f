package io.jasyncio.bench;

import io.jasyncio.Asyncio;
import io.jasyncio.LoopOptions;
import io.jasyncio.net.Net;
import io.jasyncio.net.Protocol;
import io.jasyncio.net.Server;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Heap per idle TCP connection on the server side (issue 11 item 14): a server accepts {@code n}
 * connections from a child JVM that opens them and then says nothing; the heap after GC, before and
 * after, divided by {@code n}. Two servers: {@code streams} (a handler task per connection, parked
 * in {@code readline()}: what {@code startServer} users pay) and {@code protocol} (a transport and a
 * do-nothing protocol: the transport's own cost). The clients live in another process so that their
 * sockets are not counted. The measurement runs {@code rounds} times in one JVM and reports the last:
 * a parked task's captured stack is several times larger while its frames are still interpreted
 * (measured 3.5 KiB per connection in the first round, 1.5 KiB once compiled), and a server in steady
 * state runs compiled code.
 * <pre>
 * java --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -Xms1g -Xmx1g -cp jasyncio-bench.jar io.jasyncio.bench.IdleConnections streams 4000
 * java -Djasyncio.engine=virtual -Xms1g -Xmx1g -cp jasyncio-bench.jar io.jasyncio.bench.IdleConnections streams 4000
 * java --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -Xms1g -Xmx1g -cp jasyncio-bench.jar io.jasyncio.bench.IdleConnections protocol 4000
 * </pre>
 * Needs {@code ulimit -n} above {@code n} plus a few hundred (the clients' JVM gets the same limit).
 */
public final class IdleConnections {
    private IdleConnections() {}

    /** A protocol that does nothing: the connection just sits there. */
    private static final class Idle implements Protocol {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("usage: IdleConnections [streams|protocol] [connections, default 2000] [rounds, default 5]");
            System.out.println("       prints the server's heap per idle connection, in bytes, of the last round");
            System.out.println("       (the earlier rounds warm the JIT: compiled frames make the parked stacks smaller)");
            return;
        }
        if (args.length > 0 && args[0].equals("clients")) {
            clients(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        String kind = args.length > 0 ? args[0] : "streams";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        if (!kind.equals("streams") && !kind.equals("protocol")) {
            System.err.println("IdleConnections: unknown server '" + kind + "': use streams or protocol");
            return;
        }
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        double perConnection = 0;
        for (int r = 1; r <= rounds; r++) {
            perConnection = Asyncio.run(() -> measure(kind, n), LoopOptions.defaults().withHandleSigint(false));
            System.err.printf(Locale.ROOT, "round %d/%d: %.0f bytes/connection%n", r, rounds, perConnection);
        }
        System.out.printf(Locale.ROOT, "{\"workload\": \"idle-connection-%s\", \"engine\": \"%s\", \"connections\": %d, "
                + "\"value\": %.0f, \"unit\": \"bytes/connection (heap delta after GC)\"}%n",
                kind, PeerWorkloads.engine(), n, perConnection);
    }

    private static double measure(String kind, int n) throws Exception {
        int[] accepted = {0};
        Server server = kind.equals("streams")
                ? Net.startServer((r, w) -> {
                    accepted[0]++;
                    r.readline();
                    w.close();
                }, "127.0.0.1", 0)
                : Net.createServer(() -> {
                    accepted[0]++;
                    return new Idle();
                }, "127.0.0.1", 0);
        Asyncio.sleep(0.1);
        long before = PeerWorkloads.usedHeap();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.lang.Process child = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                IdleConnections.class.getName(), "clients", Integer.toString(server.port()), Integer.toString(n))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
        String ready = Asyncio.toThread(out::readLine);
        if (!"READY".equals(ready)) {
            child.destroyForcibly();
            throw new IllegalStateException("the client process failed: " + ready);
        }
        while (accepted[0] < n) {
            Asyncio.sleep(0.01);
        }
        Asyncio.sleep(0.2); // every handler has reached its readline()
        long after = PeerWorkloads.usedHeap();
        child.getOutputStream().close(); // the clients exit
        Asyncio.toThread(child::waitFor);
        server.close();
        server.abortClients();
        server.waitClosed();
        return (after - before) / (double) n;
    }

    /** The child: opens {@code n} connections, says READY, holds them until stdin closes. */
    private static void clients(int port, int n) throws Exception {
        List<Socket> sockets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sockets.add(new Socket("127.0.0.1", port));
        }
        System.out.println("READY");
        System.out.flush();
        System.in.read();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
