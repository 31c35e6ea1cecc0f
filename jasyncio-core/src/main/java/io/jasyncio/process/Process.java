package io.jasyncio.process;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.internal.LoopCloseHooks;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamReaderProtocol;
import io.jasyncio.net.StreamWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A child process: asyncio's {@code asyncio.subprocess.Process}. Not {@link java.lang.Process},
 * which it wraps. Made by {@link #createSubprocessExec} or {@link #createSubprocessShell}.
 *
 * {@snippet class=io.jasyncio.snippets.ApiSnippets region=process}
 *
 * <p>How the blocking pipes are bridged: Java's process pipes are blocking streams that a
 * selector cannot watch, so each piped stream gets one daemon platform thread: readers block in
 * {@code read} and hand chunks to the loop with {@code callSoonThreadsafe} (parking while the
 * task's {@link StreamReader} is above its limit: bounded memory); the stdin writer blocks in
 * {@code write} and reports progress the same way, driving {@link StreamWriter#drain()}. The loop
 * thread never blocks, and no thread spins. Waiting for the exit uses the JDK's
 * {@code onExit()} future. asyncio's {@code wait()} is {@link #await()}, since
 * {@code Object.wait()} is final.
 *
 * <p>Return codes are the JDK's: a child killed by signal N reports 128+N.
 *
 * <h2>Lifetime</h2>
 * A child must not outlive the loop that started it: one still running when its loop closes (the
 * end of {@code Asyncio.run}) is killed and reaped, with a warning, as asyncio kills it when its
 * transport closes. {@link #close()} does the same at a point of the program's choosing, so
 * {@code try (Process p = createSubprocessExec(...)) { ... }} never leaves a child behind.
 */
public final class Process implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    private final java.lang.Process process;
    private final StreamWriter stdin;
    private final StreamReader stdout, stderr;
    private Integer returncode;

    private Process(java.lang.Process process, StreamWriter stdin, StreamReader stdout, StreamReader stderr) {
        this.process = process;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code command} (program and arguments, no shell). Suspends only to start it. */
    public static Process createSubprocessExec(List<String> command, Redirect stdin, Redirect stdout, Redirect stderr) throws IOException {
        Objects.requireNonNull(command, "command");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must name a program");
        }
        return start(new ProcessBuilder(command), stdin, stdout, stderr);
    }

    /** {@link #createSubprocessExec(List, Redirect, Redirect, Redirect)} with every stream piped. */
    public static Process createSubprocessExec(String program, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(program);
        cmd.addAll(List.of(args));
        return createSubprocessExec(cmd, Redirect.PIPE, Redirect.PIPE, Redirect.PIPE);
    }

    /** Runs {@code command} through {@code /bin/sh -c} (asyncio's {@code create_subprocess_shell}). */
    public static Process createSubprocessShell(String command, Redirect stdin, Redirect stdout, Redirect stderr) throws IOException {
        Objects.requireNonNull(command, "command");
        return start(new ProcessBuilder("/bin/sh", "-c", command), stdin, stdout, stderr);
    }

    private static Process start(ProcessBuilder pb, Redirect in, Redirect out, Redirect err) throws IOException {
        Objects.requireNonNull(in, "stdin");
        Objects.requireNonNull(out, "stdout");
        Objects.requireNonNull(err, "stderr");
        if (in == Redirect.STDOUT || out == Redirect.STDOUT) {
            throw new IllegalArgumentException("Redirect.STDOUT is only for stderr");
        }
        EventLoop loop = Asyncio.getRunningLoop();
        pb.redirectInput(javaRedirect(in, true));
        pb.redirectOutput(javaRedirect(out, false));
        if (err == Redirect.STDOUT) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(javaRedirect(err, false));
        }
        java.lang.Process p = pb.start();
        long pid = p.pid();
        StreamWriter stdin = null;
        if (in == Redirect.PIPE) {
            PipeWriterTransport t = new PipeWriterTransport(loop, p.getOutputStream(), "jasyncio-stdin-" + pid);
            StreamReaderProtocol proto = new StreamReaderProtocol(new StreamReader());
            t.start(proto);
            p.onExit().thenRun(t::childExited); // the writer thread must not outlive the child
            stdin = proto.writer();
        }
        StreamReader stdout = out == Redirect.PIPE ? pump(loop, p.getInputStream(), "jasyncio-stdout-" + pid) : null;
        StreamReader stderr = err == Redirect.PIPE ? pump(loop, p.getErrorStream(), "jasyncio-stderr-" + pid) : null;
        Process child = new Process(p, stdin, stdout, stderr);
        Runnable killAtLoopClose = child::killLeftBehind;
        LoopCloseHooks.add(loop, killAtLoopClose);
        p.onExit().thenRun(() -> LoopCloseHooks.remove(loop, killAtLoopClose));
        return child;
    }

    /** The loop closed while the child still ran: kill and reap it, and say so (it is a leak). */
    private void killLeftBehind() {
        if (!process.isAlive()) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "{0} was still running when its event loop closed: killed", this);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS); // reap it, so no zombie is left
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static StreamReader pump(EventLoop loop, java.io.InputStream in, String name) {
        StreamReader r = new StreamReader();
        PipeReaderPump pump = new PipeReaderPump(loop, in, r, name);
        r.attach(pump);
        pump.start();
        return r;
    }

    private static ProcessBuilder.Redirect javaRedirect(Redirect r, boolean input) {
        return switch (r) {
            case PIPE -> ProcessBuilder.Redirect.PIPE;
            case INHERIT -> ProcessBuilder.Redirect.INHERIT;
            case DEVNULL -> input ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                    : ProcessBuilder.Redirect.DISCARD;
            case STDOUT -> throw new IllegalArgumentException("Redirect.STDOUT is only for stderr");
        };
    }

    /** The child's stdin, or null if not piped. */
    public StreamWriter stdin() {
        return stdin;
    }

    /** The child's stdout, or null if not piped. */
    public StreamReader stdout() {
        return stdout;
    }

    /** The child's stderr, or null if not piped (or merged into stdout). */
    public StreamReader stderr() {
        return stderr;
    }

    public long pid() {
        return process.pid();
    }

    /** The exit code once {@link #await()} has seen the exit, else null. */
    public Integer returncode() {
        if (returncode == null && !process.isAlive()) {
            returncode = process.exitValue();
        }
        return returncode;
    }

    /**
     * Suspends until the child exits and returns its exit code (asyncio's {@code wait()}).
     * Cancellation: the child keeps running (kill it, or {@link #close()} it, if it must stop).
     */
    public int await() {
        if (process.isAlive()) {
            Asyncio.await(process.onExit());
        }
        return returncode();
    }

    /** What {@link #communicate} collected. Null for a stream that was not piped. */
    public record Output(byte[] stdout, byte[] stderr, int returncode) {}

    /**
     * Sends {@code input} (null: nothing) to stdin and closes it, reads stdout and stderr to the
     * end, all concurrently (so a child that fills both pipes cannot deadlock), then waits for the
     * exit.
     *
     * <p>Cancellation: the child keeps running; the writing and reading are cancelled with the
     * caller, so input not yet written is dropped and output not yet read stays in the pipes (read
     * it from {@link #stdout()} afterwards, or {@link #close()} the process).
     */
    public Output communicate(byte[] input) throws IOException {
        List<Task<byte[]>> parts = new ArrayList<>();
        if (stdin != null) {
            parts.add(Asyncio.createTask(() -> {
                if (input != null && input.length > 0) {
                    stdin.write(input);
                    try {
                        stdin.drain();
                    } catch (IOException brokenPipe) {
                        // the child closed its stdin early: as asyncio, ignore
                    }
                }
                stdin.close();
                return null;
            }));
        }
        Task<byte[]> out = stdout == null ? null : Asyncio.createTask(stdout::read);
        Task<byte[]> err = stderr == null ? null : Asyncio.createTask(stderr::read);
        if (out != null) {
            parts.add(out);
        }
        if (err != null) {
            parts.add(err);
        }
        Asyncio.gather(parts);
        int code = await();
        return new Output(out == null ? null : out.result(), err == null ? null : err.result(), code);
    }

    /** Sends signal {@code sig} (a number, as {@code kill -s}) to the child. */
    public void sendSignal(int sig) throws IOException {
        if (sig <= 0) {
            throw new IllegalArgumentException("signal must be positive: " + sig);
        }
        if (!process.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL. */
    public void kill() {
        process.destroyForcibly();
    }

    /**
     * Ends the child if it still runs: kills it (SIGKILL, as asyncio's transport close does), closes
     * its stdin and suspends until it has exited, so it is reaped. Does nothing to a child that has
     * exited. Cancellation: the child is already killed; only the wait for its exit is abandoned.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        if (stdin != null) {
            stdin.close();
        }
        await();
    }

    @Override
    public String toString() {
        return "Process[pid=" + process.pid() + (process.isAlive() ? ", running" : ", returncode=" + returncode()) + "]";
    }
}
