package io.jasyncio.examples.demo;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jasyncio demo NAME}: each example runnable on its own. */
@CommandLine.Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = io.jasyncio.examples.Main.Version.class,
        description = "Run an example: echo-server, echo-client, chat, kv, http-server, crawl.",
        footerHeading = "%nExamples:%n",
        footer = {"  ./jasyncio demo echo-server --port 8888            serve until Ctrl-C",
                  "  ./jasyncio demo echo-client --clients 10 --lines 5  against that server",
                  "  ./jasyncio demo chat                               a chat room (nc 127.0.0.1 8888)",
                  "  ./jasyncio demo kv --grace 5000                    a key-value service; kill -TERM stops it gracefully",
                  "  ./jasyncio demo http-server --port 8080            a site, /echo, /slow?ms=N, a WebSocket chat (/chat.html)",
                  "  ./jasyncio demo crawl http://127.0.0.1:8000/ --max-pages 500 --db crawl.db",
                  "                                                     crawl a site, store the pages in SQLite"})
public final class Demo implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "echo-server | echo-client | chat | kv | http-server | crawl")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "URL", description = "crawl: the start page; links on its site are followed.")
    String url;

    @Option(names = "--concurrency", description = "crawl: pages fetched at once (default ${DEFAULT-VALUE}).")
    int concurrency = 16;

    @Option(names = "--per-host", description = "crawl: connections to the site at once (default ${DEFAULT-VALUE}).")
    int perHost = 4;

    @Option(names = "--max-pages", description = "crawl: stop scheduling after this many pages (default ${DEFAULT-VALUE}).")
    int maxPages = 200;

    @Option(names = "--deadline", paramLabel = "SECONDS", description = "crawl: stop after this many seconds (default: none).")
    Double deadline;

    @Option(names = "--retries", description = "crawl: retries of a failed page, with backoff (default ${DEFAULT-VALUE}).")
    int retries = 2;

    @Option(names = "--db", paramLabel = "FILE", description = "crawl: store every page (url, status, bytes, title, links) in this SQLite file.")
    java.nio.file.Path db;

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

    @Option(names = "--root", paramLabel = "DIR", description = "http-server: serve the files of DIR instead of the bundled site.")
    java.nio.file.Path root;

    @Option(names = "--access-log", description = "http-server: log every request (System.Logger io.jasyncio.http.access).")
    boolean accessLog;

    private Crawler.Settings crawlSettings() {
        if (url == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "crawl needs a start URL, e.g. ./jasyncio demo crawl http://127.0.0.1:8000/");
        }
        java.net.URI start = Crawler.normalize(url);
        if (start == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "not an http(s) URL: " + url);
        }
        if (concurrency < 1 || perHost < 1 || maxPages < 1 || retries < 0 || (deadline != null && !(deadline > 0))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--concurrency, --per-host and --max-pages must be at least 1, --retries at least 0, --deadline positive");
        }
        return new Crawler.Settings(start, concurrency, perHost, maxPages,
                deadline == null ? null : java.time.Duration.ofMillis((long) (deadline * 1000)), db, retries);
    }

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
                case "crawl" -> Asyncio.run(() -> Crawler.crawl(crawlSettings(), out));
                case "http-server" -> {
                    if (root != null && !java.nio.file.Files.isDirectory(root)) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "--root " + root + " is not a directory");
                    }
                    Asyncio.run(() -> new HttpServerDemo(out).serve(host, port, root, accessLog));
                }
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown demo '" + name + "': use echo-server, echo-client, chat, kv, http-server or crawl");
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
