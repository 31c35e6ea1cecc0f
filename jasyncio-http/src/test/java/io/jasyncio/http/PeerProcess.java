package io.jasyncio.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real peer in its own process (a Python server, openssl s_server, ...), started by a test and killed
 * after it. A peer announces its port with a line {@code PORT <n>} (or the test gives the port); its other
 * output is kept for the failure message.
 */
final class PeerProcess implements AutoCloseable {
    final Process process;
    final int port;

    private PeerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Debian's python3, where apt-get installs python3-aiohttp, rather than whatever python3 comes first on
     * PATH (pyenv's, a virtualenv's) and lacks the packages.
     */
    static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    /** Runs a Python script from the test resources' peers/ directory and waits for its PORT line. */
    static PeerProcess python(String script, String... args) throws Exception {
        assumePython(script.startsWith("aiohttp") ? "aiohttp" : "http.server");
        Path path = Path.of(PeerProcess.class.getResource("/peers/" + script).toURI());
        List<String> command = new ArrayList<>(List.of(PYTHON, path.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("PORT ")) {
                Thread drain = new Thread(() -> drain(out), "peer-output-" + script);
                drain.setDaemon(true);
                drain.start();
                return new PeerProcess(p, Integer.parseInt(line.substring(5).trim()));
            }
            seen.append(line).append('\n');
        }
        p.destroyForcibly();
        throw new IOException(script + " ended before it listened:\n" + seen);
    }

    /** Starts a command in {@code dir} that listens on {@code port} and waits until a TCP connect succeeds. */
    static PeerProcess listening(int port, List<String> command, Path dir) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 200; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return new PeerProcess(p, port);
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IOException(command + " exited with " + p.exitValue());
                }
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IOException(command + " did not listen on port " + port);
    }

    static void assumePython(String module) throws Exception {
        Process check = new ProcessBuilder(PYTHON, "-c", "import " + module).redirectErrorStream(true).start();
        check.getInputStream().readAllBytes();
        boolean ok = check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
        if (!ok && System.getenv("CI") != null) {
            throw new IllegalStateException("python3 module " + module + " missing; .ci/run installs it");
        }
        assumeTrue(ok, "python3 with " + module + " is not installed");
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // discard
            }
        } catch (IOException ignored) {
            // the peer was killed
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
