package io.jasyncio.examples.inspect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM for the inspection tests, started with no flag beyond the coroutine engine of this test JVM
 * (what a user's program would have), on this module's test class path. Killed on close.
 */
final class ChildProgram implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;

    private ChildProgram(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ChildProgram java(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String engine = System.getProperty("jasyncio.engine", "continuation");
        if (engine.equals("continuation")) {
            command.add("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
        }
        command.add("-Djasyncio.engine=" + engine);
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ChildProgram(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }

    static ChildProgram command(String... command) throws IOException {
        return new ChildProgram(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits (bounded) for an output line equal to {@code line}. */
    void expect(String line) throws Exception {
        awaitLine(line, line::equals);
    }

    /** Waits (bounded) for an output line that starts with {@code prefix}, and returns it. */
    String expectStart(String prefix) throws Exception {
        return awaitLine(prefix, l -> l.startsWith(prefix));
    }

    private String awaitLine(String what, java.util.function.Predicate<String> wanted) throws Exception {
        String seen = CompletableFuture.supplyAsync(() -> {
            try {
                String l;
                do {
                    l = out.readLine();
                } while (l != null && !wanted.test(l));
                return l;
            } catch (IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        if (seen == null) {
            throw new AssertionError("the child exited before printing '" + what + "' (exit " + process.waitFor() + ")");
        }
        return seen;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
