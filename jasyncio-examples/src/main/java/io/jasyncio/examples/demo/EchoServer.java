package io.jasyncio.examples.demo;

import io.jasyncio.net.Net;
import io.jasyncio.net.Server;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import java.io.PrintStream;

/**
 * A line echo server: one task per client; Ctrl-C cancels it, and the server's scope then cancels the
 * clients' handlers and waits until they are gone, so no task outlives {@code serve}.
 */
public final class EchoServer {
    private EchoServer() {}

    /** Serves until cancelled (Ctrl-C); prints where it listens. */
    public static Void serve(String host, int port, PrintStream out) throws Exception {
        Server server = Net.startServer(EchoServer::handle, host, port);
        try (Server.Serving serving = server.serving()) {
            out.println("echo server listening on " + server.sockets() + " (Ctrl-C to stop)");
            server.serveForever();
        }
        return null;
    }

    static void handle(StreamReader reader, StreamWriter writer) throws Exception {
        for (byte[] line : reader) {
            writer.write(line);
            writer.drain();
        }
        writer.close();
    }
}
