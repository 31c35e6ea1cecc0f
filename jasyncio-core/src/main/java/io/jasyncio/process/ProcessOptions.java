package io.jasyncio.process;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a child process starts: asyncio's {@code cwd=} and {@code env=} arguments of
 * {@code create_subprocess_exec}. Immutable; each {@code withX(...)} returns a copy.
 *
 * <pre>{@code
 * Process p = Process.createSubprocessExec(List.of("make"), Redirect.DEVNULL, Redirect.PIPE, Redirect.STDOUT,
 *         ProcessOptions.defaults().withCwd(project).withEnvironmentVariable("CC", "clang"));
 * }</pre>
 *
 * @param cwd         the child's working directory, or null for this process's
 * @param environment the child's whole environment (as asyncio's {@code env=}: nothing else is
 *                    inherited), or null to inherit this process's
 */
public record ProcessOptions(Path cwd, Map<String, String> environment) {

    public ProcessOptions {
        if (environment != null) {
            for (Map.Entry<String, String> e : environment.entrySet()) {
                checkVariable(e.getKey(), e.getValue());
            }
            environment = Map.copyOf(environment);
        }
    }

    /** This process's working directory and environment. */
    public static ProcessOptions defaults() {
        return new ProcessOptions(null, null);
    }

    /** A copy with {@link #cwd()} set (null: this process's). */
    public ProcessOptions withCwd(Path dir) {
        return new ProcessOptions(dir, environment);
    }

    /** A copy whose child gets exactly {@code env} as its environment (null: inherit). */
    public ProcessOptions withEnvironment(Map<String, String> env) {
        return new ProcessOptions(cwd, env);
    }

    /**
     * A copy that sets one variable on top of the environment so far (this process's, if none was
     * given).
     */
    public ProcessOptions withEnvironmentVariable(String name, String value) {
        checkVariable(name, value);
        Map<String, String> env = new LinkedHashMap<>(environment != null ? environment : System.getenv());
        env.put(name, value);
        return new ProcessOptions(cwd, env);
    }

    private static void checkVariable(String name, String value) {
        Objects.requireNonNull(name, "environment variable name");
        Objects.requireNonNull(value, "value of environment variable " + name);
        if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad environment variable name: '" + name + "'");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the value of environment variable " + name + " contains a NUL character");
        }
    }
}
