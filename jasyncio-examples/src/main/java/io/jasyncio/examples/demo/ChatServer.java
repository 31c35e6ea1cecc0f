package io.jasyncio.examples.demo;

import io.jasyncio.net.Net;
import io.jasyncio.net.Server;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A line-based chat: the first line a client sends is its name; every later line is broadcast
 * to all other clients. One task per client, all on one loop, so the member map needs no lock.
 * A slow client cannot hold the others up: broadcasts only buffer (the transport pauses reading
 * that client's socket if it is flooded), and each writer drains in its own task.
 */
public final class ChatServer {
    private final Map<String, StreamWriter> members = new LinkedHashMap<>();
    private final PrintStream log;

    public ChatServer(PrintStream log) {
        this.log = log;
    }

    /** Serves until cancelled (Ctrl-C). */
    public Void serve(String host, int port) throws Exception {
        try (Server server = Net.startServer(this::member, host, port)) {
            log.println("chat server on " + server.sockets() + " (first line = your name; Ctrl-C to stop)");
            try {
                server.serveForever();
            } finally {
                broadcast(null, "*** server shutting down");
                server.closeClients();
            }
        }
        return null;
    }

    /** Starts the chat on {@code server}: for tests and embedding. */
    public Server start(String host, int port) throws Exception {
        return Net.startServer(this::member, host, port);
    }

    private void member(StreamReader reader, StreamWriter writer) throws Exception {
        writer.write("name?\n");
        String name = StreamReader.text(reader.readline()).strip();
        if (name.isEmpty() || members.containsKey(name)) {
            writer.write("name taken or empty, bye\n");
            writer.close();
            return;
        }
        members.put(name, writer);
        broadcast(name, "*** " + name + " joined");
        try {
            for (byte[] line : reader) {
                broadcast(name, name + ": " + StreamReader.text(line));
            }
        } finally {
            members.remove(name);
            broadcast(name, "*** " + name + " left");
            writer.close();
        }
    }

    private void broadcast(String from, String text) {
        log.println(text);
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, StreamWriter> m : members.entrySet()) {
            if (!m.getKey().equals(from) && !m.getValue().isClosing()) {
                m.getValue().write(bytes);
            }
        }
    }
}
