package io.jasyncio.sql.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, in a temporary directory: {@code initdb} (trust
 * authentication, user {@code test}), then {@code pg_ctl start} on a free loopback port with its
 * unix socket in the same directory; {@link #close()} stops it ({@code -m immediate}) and deletes
 * the directory. The binaries come from Debian's {@code postgresql} package
 * (/usr/lib/postgresql/N/bin, or {@code -Djasyncio.test.pgbin=DIR}).
 *
 * <p>initdb and postgres refuse to run as root: as root the server runs as the {@code postgres}
 * system user (through {@code runuser}), which then owns the directory.
 *
 * <p>{@link #unavailableReason()} says why no server can be had here (no binaries; root without
 * a postgres user), for a clear skip message.
 */
public final class PostgresServer implements AutoCloseable {
    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresServer(Path dir, Path bin, int port, boolean asPostgresUser) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Null when a server can be started, else why not. */
    public static String unavailableReason() {
        if (binaries() == null) {
            return "no PostgreSQL binaries (install Debian's postgresql package, or set -Djasyncio.test.pgbin)";
        }
        if (isRoot() && runuser() == null) {
            return "running as root without runuser: initdb refuses root";
        }
        if (isRoot() && !userExists("postgres")) {
            return "running as root and there is no 'postgres' user to run the server as";
        }
        return null;
    }

    /** Starts a fresh server; throws if it cannot. */
    public static PostgresServer start() throws IOException, InterruptedException {
        String reason = unavailableReason();
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
        Path dir = Files.createTempDirectory("jasyncio-pg");
        boolean root = isRoot();
        PostgresServer s = new PostgresServer(dir, binaries(), freePort(), root);
        if (root) {
            run(List.of("chown", "postgres:postgres", dir.toString()), false, 30);
        }
        try {
            s.pg(List.of("initdb", "-D", dir.resolve("data").toString(), "-U", "test", "-A", "trust", "-E", "UTF8", "--no-sync"), 120);
            s.pg(List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
                    "-o", "-p " + s.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60",
                    "start"), 90);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The JDBC URL of database {@code postgres} as user {@code test}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=test";
    }

    /** The same as a {@code postgresql://} URL. */
    public String url() {
        return "postgresql://test@127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                pg(List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"), 60);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void pg(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of(runuser(), "-u", "postgres", "--")); // absolute: /usr/sbin may not be on PATH
        }
        full.add(bin.resolve(command.get(0)).toString());
        full.addAll(command.subList(1, command.size()));
        run(full, true, timeoutSeconds);
    }

    private static void run(List<String> command, boolean inTmp, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (inTmp) {
            pb.directory(Path.of(System.getProperty("java.io.tmpdir")).toFile()); // readable by the postgres user
        }
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes(); // pg_ctl -w detaches the server's output into the log file
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + new String(out, StandardCharsets.UTF_8));
        }
    }

    private static Path binaries() {
        String configured = System.getProperty("jasyncio.test.pgbin");
        if (configured != null) {
            return Files.isExecutable(Path.of(configured, "initdb")) ? Path.of(configured) : null;
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString)).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean userExists(String name) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(name + ":"));
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[port=" + port + ", dir=" + dir + "]";
    }

    /** The runuser binary (util-linux), or null; looked up by path since /usr/sbin is often not on PATH. */
    private static String runuser() {
        for (String candidate : List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }
}
