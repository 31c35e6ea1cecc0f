package io.jasyncio.examples.demo;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jasyncio demo NAME}: each example runnable on its own. */
@CommandLine.Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = io.jasyncio.examples.Main.Version.class,
        description = "Run an example: echo-server, echo-client, chat, http-server.",
        footerHeading = "%nExamples:%n",
        footer = {"  ./jasyncio demo echo-server --port 8888            serve until Ctrl-C",
                  "  ./jasyncio demo echo-client --clients 10 --lines 5  against that server",
                  "  ./jasyncio demo chat                               a chat room (nc 127.0.0.1 8888)",
                  "  ./jasyncio demo http-server --port 8080            a site, /echo, /slow?ms=N, a WebSocket chat (/chat.html)"})
public final class Demo implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "echo-server | echo-client | chat | http-server")
    String name;

    @Option(names = "--host", description = "Address to listen on or connect to (default ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "Port (default ${DEFAULT-VALUE}).")
    int port = 8888;

    @Option(names = "--clients", description = "echo-client: concurrent connections (default ${DEFAULT-VALUE}).")
    int clients = 100;

    @Option(names = "--lines", description = "echo-client: round trips per connection (default ${DEFAULT-VALUE}).")
    int lines = 10;

    @Option(names = "--root", paramLabel = "DIR", description = "http-server: serve the files of DIR instead of the bundled site.")
    java.nio.file.Path root;

    @Option(names = "--access-log", description = "http-server: log every request (System.Logger io.jasyncio.http.access).")
    boolean accessLog;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        try {
            switch (name) {
                case "echo-server" -> Asyncio.run(() -> EchoServer.serve(host, port, out));
                case "echo-client" -> Asyncio.run(() -> EchoClient.run(host, port, clients, lines, out));
                case "chat" -> Asyncio.run(() -> new ChatServer(out).serve(host, port));
                case "http-server" -> {
                    if (root != null && !java.nio.file.Files.isDirectory(root)) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "--root " + root + " is not a directory");
                    }
                    Asyncio.run(() -> new HttpServerDemo(out).serve(host, port, root, accessLog));
                }
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown demo '" + name + "': use echo-server, echo-client, chat or http-server");
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
