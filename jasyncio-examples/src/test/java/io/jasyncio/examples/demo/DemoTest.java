package io.jasyncio.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Asyncio;
import io.jasyncio.LoopOptions;
import io.jasyncio.Task;
import io.jasyncio.net.Net;
import io.jasyncio.net.Server;
import io.jasyncio.net.StreamPair;
import io.jasyncio.net.StreamReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DemoTest {
    private static final LoopOptions OPTS = LoopOptions.defaults().withHandleSigint(false);

    @Test
    void echoClientAgainstEchoServer() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        int total = Asyncio.run(() -> {
            try (Server server = Net.startServer(EchoServer::handle, "127.0.0.1", 0)) {
                return EchoClient.run("127.0.0.1", server.port(), 50, 5, quiet);
            }
        }, OPTS);
        assertThat(total).isEqualTo(250);
    }

    @Test
    void chatBroadcastsToTheOthers() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Asyncio.run(() -> {
            try (Server server = new ChatServer(quiet).start("127.0.0.1", 0)) {
                StreamPair ann = Net.openConnection("127.0.0.1", server.port());
                StreamPair bob = Net.openConnection("127.0.0.1", server.port());
                assertThat(StreamReader.text(ann.reader().readline())).isEqualTo("name?");
                ann.writer().write("ann\n");
                assertThat(StreamReader.text(bob.reader().readline())).isEqualTo("name?");
                bob.writer().write("bob\n");
                assertThat(StreamReader.text(ann.reader().readline())).isEqualTo("*** bob joined");
                ann.writer().write("hi bob\n");
                assertThat(StreamReader.text(bob.reader().readline())).isEqualTo("ann: hi bob");
                bob.close();
                assertThat(StreamReader.text(ann.reader().readline())).isEqualTo("*** bob left");
                ann.close();
                server.close();
                server.closeClients();
                server.waitClosed();
            }
            return null;
        }, OPTS);
    }
}
