package io.jasyncio.process;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a child process's standard stream goes: asyncio's {@code PIPE}, {@code DEVNULL},
 * {@code STDOUT}, inherited, or a file (asyncio takes an open file object; here a path). Immutable.
 * Not {@link java.lang.ProcessBuilder.Redirect}, which it maps to.
 *
 * <pre>{@code
 * Process p = Process.createSubprocessExec(List.of("sort"),
 *         Redirect.fromFile(Path.of("in.txt")), Redirect.toFile(Path.of("out.txt")), Redirect.appendTo(Path.of("err.log")));
 * }</pre>
 */
public final class Redirect {
    enum Kind { PIPE, DEVNULL, INHERIT, STDOUT, READ_FILE, WRITE_FILE, APPEND_FILE }

    /** A pipe to this process: {@link Process#stdin()}, {@link Process#stdout()}, {@link Process#stderr()}. */
    public static final Redirect PIPE = new Redirect(Kind.PIPE, null);
    /** The null device. */
    public static final Redirect DEVNULL = new Redirect(Kind.DEVNULL, null);
    /** This process's own stream. */
    public static final Redirect INHERIT = new Redirect(Kind.INHERIT, null);
    /** For stderr only: into the same place as stdout. */
    public static final Redirect STDOUT = new Redirect(Kind.STDOUT, null);

    final Kind kind;
    final Path file;

    private Redirect(Kind kind, Path file) {
        this.kind = kind;
        this.file = file;
    }

    /** For stdin only: the child reads {@code file} (it must exist when the child starts). */
    public static Redirect fromFile(Path file) {
        return new Redirect(Kind.READ_FILE, Objects.requireNonNull(file, "file"));
    }

    /** For stdout or stderr: the child writes {@code file}, created or truncated. */
    public static Redirect toFile(Path file) {
        return new Redirect(Kind.WRITE_FILE, Objects.requireNonNull(file, "file"));
    }

    /** For stdout or stderr: the child appends to {@code file}, created if missing. */
    public static Redirect appendTo(Path file) {
        return new Redirect(Kind.APPEND_FILE, Objects.requireNonNull(file, "file"));
    }

    /** The JDK's redirect for this one on {@code stream} ("stdin", "stdout", "stderr"); throws if it does not fit. */
    ProcessBuilder.Redirect toJava(String stream) {
        boolean input = stream.equals("stdin");
        return switch (kind) {
            case PIPE -> ProcessBuilder.Redirect.PIPE;
            case INHERIT -> ProcessBuilder.Redirect.INHERIT;
            case DEVNULL -> input ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null")) : ProcessBuilder.Redirect.DISCARD;
            case STDOUT -> throw new IllegalArgumentException("Redirect.STDOUT is only for stderr, not for " + stream);
            case READ_FILE -> {
                if (!input) {
                    throw new IllegalArgumentException("Redirect.fromFile is only for stdin, not for " + stream + ": use toFile or appendTo");
                }
                yield ProcessBuilder.Redirect.from(file.toFile());
            }
            case WRITE_FILE, APPEND_FILE -> {
                if (input) {
                    throw new IllegalArgumentException("Redirect." + (kind == Kind.WRITE_FILE ? "toFile" : "appendTo")
                            + " is for stdout or stderr, not for stdin: use fromFile");
                }
                yield kind == Kind.WRITE_FILE ? ProcessBuilder.Redirect.to(file.toFile()) : ProcessBuilder.Redirect.appendTo(file.toFile());
            }
        };
    }

    @Override
    public String toString() {
        return file == null ? "Redirect." + kind : "Redirect." + kind.name().toLowerCase() + "(" + file + ")";
    }
}
