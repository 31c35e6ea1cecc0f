package io.jasyncio.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A child JVM running a test main class under the same coroutine engine, talking line by line over
 * its stdin and stdout, optionally with a lowered descriptor limit ({@code ulimit -n} in a bash
 * wrapper) for tests that exhaust descriptors for real.
 *
 * <p>The child's class path is one jar of this module's classes and test classes, built once per test
 * JVM: a jar stays open, so the child can load classes while it has no descriptor left (loading from a
 * directory needs a new one per class).
 */
public final class ChildJvm implements AutoCloseable {
    private static Path jar;

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    private ChildJvm(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Starts {@code main} with {@code args}; {@code fdLimit > 0} lowers its descriptor limit first. */
    public static ChildJvm start(Class<?> main, int fdLimit, String... args) throws IOException {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String engine = io.jasyncio.internal.Engines.selected().name();
        if (engine.equals("continuation")) {
            java.add("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
        }
        java.add("-Djasyncio.engine=" + engine);
        java.add("-Xmx256m");
        java.add("-cp");
        java.add(classPathJar().toString());
        java.add(main.getName());
        java.addAll(List.of(args));
        List<String> command = new ArrayList<>();
        if (fdLimit > 0) {
            command.addAll(List.of("bash", "-c", "ulimit -n " + fdLimit + " && exec \"$@\"", "child"));
        }
        command.addAll(java);
        return new ChildJvm(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** Sends one line to the child's stdin. */
    public void send(String line) {
        in.println(line);
    }

    /** The child's next output line starting with {@code prefix} (others are skipped); fails after {@code seconds}. */
    public String expect(String prefix, int seconds) throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                String l;
                do {
                    l = out.readLine();
                } while (l != null && !l.startsWith(prefix));
                return l;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(seconds, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("the child ended before printing '" + prefix + "'");
        }
        return line;
    }

    public Process process() {
        return process;
    }

    /** Waits for the child to end (it is killed if it does not within 30 s); returns its exit code. */
    public int waitFor() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            OutputStream o = process.getOutputStream();
            o.close();
        } catch (IOException ignored) {
            // the child is gone
        }
    }

    private static synchronized Path classPathJar() throws IOException {
        if (jar != null) {
            return jar;
        }
        Path built = Files.createTempFile("jasyncio-child-", ".jar");
        built.toFile().deleteOnExit();
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(built))) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path dir = Path.of(entry);
                if (Files.isDirectory(dir)) {
                    addTree(j, dir, seen);
                }
            }
        }
        jar = built;
        return jar;
    }

    private static void addTree(JarOutputStream j, Path root, java.util.Set<String> seen) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                if (name.endsWith(".class") && seen.add(name)) {
                    j.putNextEntry(new JarEntry(name));
                    Files.copy(file, j);
                    j.closeEntry();
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
