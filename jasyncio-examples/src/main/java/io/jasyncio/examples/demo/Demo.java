package io.jasyncio.examples.demo;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jasyncio demo NAME}: each example runnable on its own. */
@CommandLine.Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = io.jasyncio.examples.Main.Version.class,
        description = "Run an example: echo-server, echo-client, chat, kv.",
        footerHeading = "%nExamples:%n",
        footer = {"  ./jasyncio demo echo-server --port 8888            serve until Ctrl-C",
                  "  ./jasyncio demo echo-client --clients 10 --lines 5  against that server",
                  "  ./jasyncio demo chat                               a chat room (nc 127.0.0.1 8888)",
                  "  ./jasyncio demo kv --grace 5000                    a key-value service; kill -TERM stops it gracefully"})
public final class Demo implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "echo-server | echo-client | chat | kv")
    String name;

    @Option(names = "--host", description = "Address to listen on or connect to (default ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "Port (default ${DEFAULT-VALUE}).")
    int port = 8888;

    @Option(names = "--clients", description = "echo-client: concurrent connections (default ${DEFAULT-VALUE}).")
    int clients = 100;

    @Option(names = "--lines", description = "echo-client: round trips per connection (default ${DEFAULT-VALUE}).")
    int lines = 10;

    @Option(names = "--grace", description = "kv: milliseconds clients get to finish at SIGTERM (default ${DEFAULT-VALUE}).")
    long graceMillis = 10_000;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        try {
            switch (name) {
                case "echo-server" -> Asyncio.run(() -> EchoServer.serve(host, port, out));
                case "echo-client" -> Asyncio.run(() -> EchoClient.run(host, port, clients, lines, out));
                case "chat" -> Asyncio.run(() -> new ChatServer(out).serve(host, port));
                case "kv" -> {
                    if (graceMillis < 0) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "--grace must be >= 0, not " + graceMillis);
                    }
                    Asyncio.run(() -> new KeyValueServer(out).serve(host, port, java.time.Duration.ofMillis(graceMillis)));
                }
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown demo '" + name + "': use echo-server, echo-client, chat or kv");
            }
        } catch (CancelledError interrupted) {
            out.println("stopped.");
        } catch (Exception e) {
            // Checked exceptions travel out of Asyncio.run unchanged (see the README): test their type.
            if (e instanceof java.net.BindException) {
                spec.commandLine().getErr().println("jasyncio: port " + port + " is already in use; try --port");
                return 2;
            }
            if (e instanceof java.net.ConnectException) {
                spec.commandLine().getErr().println("jasyncio: nothing listens on " + host + ":" + port + "; start 'jasyncio demo echo-server' first");
                return 2;
            }
            throw e;
        }
        return 0;
    }
}
