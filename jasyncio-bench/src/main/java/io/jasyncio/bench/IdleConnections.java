package io.jasyncio.bench;

import io.jasyncio.Asyncio;
import io.jasyncio.LoopOptions;
import io.jasyncio.net.Net;
import io.jasyncio.net.Protocol;
import io.jasyncio.net.Server;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Memory per idle TCP connection on the server side (issue 11 item 14, issue 17 item 5): one loop
 * accepts {@code n} connections from child JVMs that open them and then say nothing; the heap after
 * GC (the live objects of a class histogram, so the GC's filler arrays do not blur it) and the JDK's
 * direct buffers, before and after, divided by {@code n}. Two servers: {@code streams}
 * (a handler task per connection, parked in {@code readline()}: what {@code startServer} users pay)
 * and {@code protocol} (a transport and a do-nothing protocol: the transport's own cost). The clients
 * live in other processes so that their sockets are not counted: one child per
 * {@value #PER_CHILD} connections (a process's file limit), each connecting to a listening port of
 * its own on the one loop, because one client address has only ~28k ephemeral ports towards one
 * server port (binding each client socket to another source address instead makes the kernel's port
 * search quadratic). The measurement runs {@code rounds} times in one JVM and reports the
 * last: a parked task's captured stack is several times larger while its frames are still
 * interpreted, and a server in steady state runs compiled code. Not counted: the kernel's socket
 * buffers (outside the JVM).
 * <pre>
 * java -Xms2g -Xmx2g -cp jasyncio-bench.jar io.jasyncio.bench.IdleConnections streams 50000   # continuation engine (java -jar manifest or --add-exports)
 * java -Djasyncio.engine=virtual -Xms2g -Xmx2g -cp jasyncio-bench.jar io.jasyncio.bench.IdleConnections streams 50000
 * java ... IdleConnections protocol 50000 3 --breakdown     # plus the bytes of each class per connection
 * </pre>
 * Needs a file limit ({@code ulimit -n}) above {@code n} plus a few hundred; it says so in one line
 * when the limit is lower.
 */
public final class IdleConnections {
    private IdleConnections() {}

    /** Connections per client process: below the usual 20k-65k file limits, and below one source address's ephemeral ports. */
    static final int PER_CHILD = 15_000;

    /** A protocol that does nothing: the connection just sits there. */
    private static final class Idle implements Protocol {}

    record Figures(double heapPerConnection, double directPerConnection, String breakdown) {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("usage: IdleConnections [streams|protocol] [connections, default 2000] [rounds, default 5] [--breakdown]");
            System.out.println("       prints the server's heap and direct-buffer bytes per idle connection of the last round");
            System.out.println("       (the earlier rounds warm the JIT: compiled frames make the parked stacks smaller);");
            System.out.println("       --breakdown adds the bytes of every class that grew, per connection");
            return;
        }
        if (args.length > 0 && args[0].equals("clients")) {
            clients(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        List<String> rest = new ArrayList<>(List.of(args));
        boolean breakdown = rest.remove("--breakdown");
        String kind = rest.size() > 0 ? rest.get(0) : "streams";
        if (!kind.equals("streams") && !kind.equals("protocol")) {
            System.err.println("IdleConnections: unknown server '" + kind + "': use streams or protocol");
            System.exit(2);
        }
        int n = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 2000;
        int rounds = rest.size() > 2 ? Integer.parseInt(rest.get(2)) : 5;
        long fileLimit = fileLimit();
        if (fileLimit > 0 && n + 500 > fileLimit) {
            System.err.printf("IdleConnections: %d connections need a file limit of at least %d, this process has %d"
                    + " (raise it with ulimit -n, or measure fewer connections)%n", n, n + 500, fileLimit);
            System.exit(2);
        }
        Figures f = null;
        for (int r = 1; r <= rounds; r++) {
            boolean last = r == rounds;
            f = Asyncio.run(() -> measure(kind, n, breakdown && last), LoopOptions.defaults().withHandleSigint(false));
            System.err.printf(Locale.ROOT, "round %d/%d: %.0f heap + %.0f direct bytes/connection%n", r, rounds,
                    f.heapPerConnection(), f.directPerConnection());
        }
        if (f.breakdown() != null) {
            System.out.print(f.breakdown());
        }
        System.out.printf(Locale.ROOT, "{\"workload\": \"idle-connection-%s\", \"engine\": \"%s\", \"connections\": %d, "
                + "\"heap\": %.0f, \"direct\": %.0f, \"value\": %.0f, \"unit\": \"bytes/connection (live heap objects + direct buffers)\"}%n",
                kind, PeerWorkloads.engine(), n, f.heapPerConnection(), f.directPerConnection(),
                f.heapPerConnection() + f.directPerConnection());
    }

    private static Figures measure(String kind, int n, boolean breakdown) throws Exception {
        int[] accepted = {0};
        int[] open = {0}; // streams: handlers not finished yet
        List<Server> servers = new ArrayList<>();
        for (int left = n; left > 0; left -= PER_CHILD) {
            servers.add(kind.equals("streams")
                    ? Net.startServer((r, w) -> {
                        accepted[0]++;
                        open[0]++;
                        try {
                            r.readline();
                            w.close();
                        } finally {
                            open[0]--;
                        }
                    }, "127.0.0.1", 0)
                    : Net.createServer(() -> {
                        accepted[0]++;
                        return new Idle();
                    }, "127.0.0.1", 0, 4096, false));
        }
        Asyncio.sleep(0.1);
        PeerWorkloads.usedHeap(); // a few GCs first, as W4 does
        ClassHistogram before = ClassHistogram.take();
        long directBefore = directBytes();
        List<java.lang.Process> children = new ArrayList<>();
        try {
            for (int c = 0, left = n; left > 0; c++, left -= PER_CHILD) {
                children.add(startClients(servers.get(c).port(), Math.min(left, PER_CHILD)));
            }
            while (accepted[0] < n) {
                Asyncio.sleep(0.01);
            }
            Asyncio.sleep(0.2); // every handler has reached its readline()
            PeerWorkloads.usedHeap();
            ClassHistogram after = ClassHistogram.take();
            long directAfter = directBytes();
            String table = breakdown ? "server " + kind + ", engine " + Asyncio.getRunningLoop().engine() + ", bytes per idle connection:\n"
                    + after.perUnitChangeSince(before, n, 1.0) : null;
            return new Figures((after.totalBytes() - before.totalBytes()) / (double) n,
                    (directAfter - directBefore) / (double) n, table);
        } finally {
            for (Server server : servers) { // the server ends the connections, so the next round finds none left
                server.close();
                server.abortClients();
                server.waitClosed();
            }
            while (open[0] > 0) {
                Asyncio.sleep(0.01);
            }
            for (java.lang.Process child : children) {
                child.getOutputStream().close(); // the clients exit
            }
            for (java.lang.Process child : children) {
                Asyncio.toThread(child::waitFor);
            }
        }
    }

    /** A child JVM holding {@code count} connections to {@code port}; returns once it said READY. */
    private static java.lang.Process startClients(int port, int count) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.lang.Process child = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                IdleConnections.class.getName(), "clients", Integer.toString(port), Integer.toString(count))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
        String ready = Asyncio.toThread(out::readLine);
        if (!"READY".equals(ready)) {
            child.destroyForcibly();
            throw new IllegalStateException("a client process failed (" + count + " connections to port " + port + "): " + ready);
        }
        return child;
    }

    /** Bytes of the JDK's direct buffers in use (the NIO read buffers live there). */
    static long directBytes() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }

    /** This process's limit of open files, or -1 if the JVM does not say. */
    private static long fileLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /** The child: opens {@code n} connections to {@code port}, says READY, holds them until stdin closes. */
    private static void clients(int port, int n) throws Exception {
        List<Socket> sockets = new ArrayList<>(n);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            s.connect(server, 10_000);
            sockets.add(s);
            if (i % 50 == 49) {
                // Let the server accept: a full listen backlog (startServer's is 100) silently drops the
                // handshake's last ACK, and that connection then waits for the server's SYN-ACK retry (1 s+).
                Thread.sleep(2);
            }
        }
        OutputStream out = System.out;
        out.write("READY\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
        System.in.read();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
