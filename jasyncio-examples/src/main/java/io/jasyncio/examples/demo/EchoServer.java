package io.jasyncio.examples.demo;

import io.jasyncio.net.Net;
import io.jasyncio.net.Server;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import java.io.PrintStream;

/** A line echo server: one task per client, Ctrl-C stops it cleanly. */
public final class EchoServer {
    private EchoServer() {}

    /** Serves until cancelled (Ctrl-C); prints where it listens. */
    public static Void serve(String host, int port, PrintStream out) throws Exception {
        try (Server server = Net.startServer(EchoServer::handle, host, port)) {
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
