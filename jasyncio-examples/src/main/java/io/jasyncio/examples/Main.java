package io.jasyncio.examples;

import io.jasyncio.examples.tour.Tour;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jasyncio} command-line program: {@code tour}, {@code demo}, {@code bench}, {@code version}. */
@Command(name = "jasyncio", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Python's asyncio, natively in Java.",
        subcommands = {Tour.Command.class, io.jasyncio.examples.demo.Demo.class, BenchCommand.class, Main.VersionCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        // One short line per log record (the engine's INFO line among the tour's output), unless the user chose a format.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
        int code = commandLine().execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The command line, with errors reported as one line and exit code 2. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("jasyncio: " + ex.getMessage());
            return 2;
        });
        return cli;
    }

    /** {@code jasyncio version}. */
    @Command(name = "version", description = "Print the version, the JVM and the coroutine engine.")
    static final class VersionCommand implements Runnable {
        @Override
        public void run() {
            for (String line : new Version().getVersion()) {
                System.out.println(line);
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            String engine = io.jasyncio.Asyncio.run(() -> io.jasyncio.Asyncio.getRunningLoop().engine(),
                    io.jasyncio.LoopOptions.defaults().withHandleSigint(false));
            return new String[] {
                "jasyncio " + (v != null ? v : "0.1.0-SNAPSHOT"),
                "JVM " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")",
                "engine " + engine,
            };
        }
    }
}
