package io.jasyncio.examples;

import io.jasyncio.examples.tour.Tour;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jasyncio} command-line program: {@code tour}, {@code demo}, {@code bench}, {@code ps}, {@code pstree}, {@code monitor}, {@code version}. */
@Command(name = "jasyncio", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Python's asyncio, natively in Java.",
        footerHeading = "%nRun by the ./jasyncio launcher itself:%n",
        footer = {"  test       Every test of the project, under both coroutine engines (./jasyncio test --help).",
                  "  --verbose  As the first argument: say which JDK the launcher chose.",
                  "",
                  "Examples:",
                  "  ./jasyncio tour              the guided tour",
                  "  ./jasyncio demo echo-server  an example server (demo --help lists them)",
                  "  ./jasyncio ps 12345          every task of the running JVM 12345 (pstree, monitor alike)",
                  "  ./jasyncio version           versions, the JDK and the coroutine engine",
                  "  ./jasyncio test              the whole test suite",
                  "Every command takes --help."},
        subcommands = {Tour.Command.class, io.jasyncio.examples.demo.Demo.class, BenchCommand.class,
                       io.jasyncio.examples.inspect.PsCommand.class, io.jasyncio.examples.inspect.PstreeCommand.class,
                       io.jasyncio.examples.inspect.MonitorCommand.class, Main.VersionCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        // One short line per log record (e.g. the slow-engine notice), unless the user chose a format.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
        int code = commandLine().execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The command line, with errors (bad input or a failing command) reported as one line and exit code 2. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
            ex.getCommandLine().getErr().println("jasyncio: " + ex.getMessage()
                    + " (see '" + spec.qualifiedName(" ") + " --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("jasyncio: " + ex.getMessage());
            return 2;
        });
        return cli;
    }

    /** {@code jasyncio version}. */
    @Command(name = "version", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Print the version, the JVM, the launcher's JDK choice and the coroutine engine.",
            footerHeading = "%nExamples:%n",
            footer = {"  ./jasyncio version", "  ./jasyncio --verbose version   also says which JDK runs it, before building"})
    static final class VersionCommand implements Runnable {
        @Override
        public void run() {
            for (String line : new Version().getVersion()) {
                System.out.println(line);
            }
        }
    }

    /** What {@code version} and every command's {@code -V} print. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            String engine = io.jasyncio.Asyncio.run(() -> io.jasyncio.Asyncio.getRunningLoop().engine(),
                    io.jasyncio.LoopOptions.defaults().withHandleSigint(false));
            String launcher = System.getenv("JASYNCIO_LAUNCHER_JDK"); // set by ./jasyncio
            return new String[] {
                "jasyncio " + (v != null ? v : "0.1.0-SNAPSHOT"),
                "JVM " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")",
                launcher != null ? launcher : "launcher JDK: not started by ./jasyncio",
                "engine " + engine,
            };
        }
    }
}
