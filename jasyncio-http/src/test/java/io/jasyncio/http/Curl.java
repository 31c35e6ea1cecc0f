package io.jasyncio.http;

import io.jasyncio.Asyncio;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real curl (a client we did not write) against a test server, off the loop thread, bounded in
 * time (curl's own {@code --max-time} and a process wait). Only ever pointed at 127.0.0.1.
 */
final class Curl {
    record Result(int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private Curl() {}

    static boolean available() {
        try {
            return new ProcessBuilder("curl", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs {@code curl -sS --max-time 30 args...} and waits for it (suspending, not blocking the loop). */
    static Result run(String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30", "--noproxy", "*"));
        command.addAll(List.of(args));
        return Asyncio.toThread(() -> {
            java.lang.Process p = new ProcessBuilder(command).start();
            try {
                byte[][] out = new byte[2][];
                Thread err = Thread.ofPlatform().start(() -> {
                    try {
                        out[1] = p.getErrorStream().readAllBytes();
                    } catch (IOException e) {
                        out[1] = e.toString().getBytes(StandardCharsets.UTF_8);
                    }
                });
                out[0] = p.getInputStream().readAllBytes();
                err.join(40_000);
                if (!p.waitFor(40, TimeUnit.SECONDS)) {
                    throw new AssertionError("curl did not finish: " + command);
                }
                return new Result(p.exitValue(), out[0], out[1] == null ? "" : new String(out[1], StandardCharsets.UTF_8));
            } finally {
                p.destroyForcibly();
            }
        });
    }
}
