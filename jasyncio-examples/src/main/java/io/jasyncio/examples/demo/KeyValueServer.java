package io.jasyncio.examples.demo;

import io.jasyncio.Asyncio;
import io.jasyncio.Event;
import io.jasyncio.EventLoop;
import io.jasyncio.net.Net;
import io.jasyncio.net.Server;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A complete small service: an in-memory key-value store over a line protocol, which shuts down
 * gracefully on SIGTERM: it stops accepting, lets every client finish the request it is
 * in the middle of (an idle client is told goodbye at once), gives them a grace period, then cancels
 * whatever still runs, and exits 0. Ctrl-C cancels the main task instead: the server's scope then
 * cancels every client at once.
 *
 * <pre>
 *  SET key value  -> OK          GET key -> VALUE value | NONE       DEL key -> DELETED | NONE
 *  WAIT ms        -> WAITING, then OK after ms (a slow request)      QUIT    -> BYE
 *  anything else  -> ERR ...     at shutdown an idle client gets "BYE server shutting down"
 * </pre>
 *
 * <p>All clients are tasks of one loop, so the map needs no lock. Each connection is either idle
 * (waiting for its next line) or busy (running a request); at shutdown the idle ones are cancelled
 * right away (a cancelled {@code readline} consumes nothing), and the busy ones stop after their
 * current request. {@link Server#shutdown(Duration)} is the deadline: what is still running then is
 * cancelled and its connection aborted.
 */
public final class KeyValueServer {
    private final Map<String, String> store = new HashMap<>();
    /** Each connection's handler task -> whether it is idle (waiting for a request). */
    private final Map<io.jasyncio.Task<?>, Boolean> idle = new LinkedHashMap<>();
    private final PrintStream log;
    private boolean stopping;

    public KeyValueServer(PrintStream log) {
        this.log = log;
    }

    /**
     * Serves on {@code host:port} until SIGTERM, then shuts down with {@code grace} for the
     * clients to finish. Returns whether every client finished within it.
     */
    public boolean serve(String host, int port, Duration grace) throws Exception {
        EventLoop loop = Asyncio.getRunningLoop();
        Event stop = new Event();
        loop.addSignalHandler("TERM", stop::set); // Ctrl-C still cancels main: the scope below then stops at once
        Server server = Net.startServer(this::client, host, port);
        log.println("kv server on port " + server.port() + " (SET/GET/DEL/WAIT/QUIT; SIGTERM or Ctrl-C stops it)");
        log.flush();
        try (Server.Serving serving = server.serving()) {       // on exit: wait for every handler
            stop.await();
            log.println("shutting down: not accepting; " + idle.size() + " client(s) get up to " + grace.toMillis() + " ms");
            log.flush();
            boolean clean = shutdown(server, grace);
            log.println(clean ? "stopped: every client finished" : "stopped: cancelled the clients still running after the grace period");
            log.flush();
            return clean;
        } finally {
            loop.removeSignalHandler("TERM");
        }
    }

    /** The graceful stop: no new clients, idle ones told goodbye, busy ones finish, then the deadline. */
    boolean shutdown(Server server, Duration grace) {
        stopping = true;
        server.close();
        for (Map.Entry<io.jasyncio.Task<?>, Boolean> e : idle.entrySet()) {
            if (e.getValue()) {
                e.getKey().cancel("server shutting down");
            }
        }
        return server.shutdown(grace);
    }

    /** Starts the service's server on {@code host:port} without signal handling: for tests and embedding. */
    public Server start(String host, int port) throws Exception {
        return Net.startServer(this::client, host, port);
    }

    private void client(StreamReader reader, StreamWriter writer) throws Exception {
        io.jasyncio.Task<?> me = Asyncio.currentTask();
        idle.put(me, true);
        try {
            while (!stopping) {
                byte[] raw = reader.readline(); // idle: cancelled at shutdown, and the finally says goodbye
                if (raw.length == 0) {
                    return; // the client hung up
                }
                idle.put(me, false);
                String reply = handle(StreamReader.text(raw).strip(), writer);
                writer.write(reply + "\n");
                writer.drain();
                if (reply.equals("BYE")) {
                    return;
                }
                idle.put(me, true);
            }
        } finally {
            idle.remove(me);
            if (stopping && !writer.isClosing()) {
                writer.write("BYE server shutting down\n");
            }
            writer.close();
        }
    }

    /** One request; returns the reply. WAIT writes a first reply itself, then suspends. */
    String handle(String line, StreamWriter writer) throws java.io.IOException {
        String[] w = line.split(" ", 3);
        switch (w[0].toUpperCase(java.util.Locale.ROOT)) {
            case "SET":
                if (w.length < 3) {
                    return "ERR usage: SET key value";
                }
                store.put(w[1], w[2]);
                return "OK";
            case "GET":
                if (w.length != 2) {
                    return "ERR usage: GET key";
                }
                String v = store.get(w[1]);
                return v == null ? "NONE" : "VALUE " + v;
            case "DEL":
                if (w.length != 2) {
                    return "ERR usage: DEL key";
                }
                return store.remove(w[1]) != null ? "DELETED" : "NONE";
            case "WAIT":
                long ms;
                try {
                    ms = w.length == 2 ? Long.parseLong(w[1]) : -1;
                } catch (NumberFormatException e) {
                    ms = -1;
                }
                if (ms < 0) {
                    return "ERR usage: WAIT milliseconds";
                }
                writer.write("WAITING\n");
                writer.drain();
                Asyncio.sleep(Duration.ofMillis(ms));
                return "OK";
            case "QUIT":
                return "BYE";
            default:
                return "ERR unknown command '" + w[0] + "': use SET, GET, DEL, WAIT or QUIT";
        }
    }
}
