package io.jasyncio.process;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.internal.LoopCloseHooks;
import io.jasyncio.internal.ResourceLeak;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamReaderProtocol;
import io.jasyncio.net.StreamWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
 * <p>Return codes follow asyncio: the exit status, or {@code -N} for a child killed by signal N
 * that this object signalled ({@link #kill}, {@link #terminate}, {@link #sendSignal}). The JDK reports
 * a signal death as {@code 128+N}, the way a shell does, and cannot tell it from a child that exited
 * with that status; so a child killed by a signal from someone else reports {@code 128+N}.
 *
 * <h2>Lifetime</h2>
 * A child must not outlive the loop that started it: one still running when its loop closes (the
 * end of {@code Asyncio.run}) is killed and reaped, with a warning, as asyncio kills it when its
 * transport closes. {@link #close()} does the same at a point of the program's choosing, so
 * {@code try (Process p = createSubprocessExec(...)) { ... }} never leaves a child behind. In debug mode
 * the leak is also reported to the loop's exception handler with the line that started the child
 * (asyncio's ResourceWarning); a child that exited in time is no leak, whether or not it was awaited.
 */
public final class Process implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    private static final int SIGKILL = 9, SIGTERM = 15;

    private final java.lang.Process process;
    private final StreamWriter stdin;
    private final StreamReader stdout, stderr;
    /**
     * Completes once the child has exited and its bookkeeping is done (stdin's writer told, the leak
     * detector released, the loop-close hook removed). {@link #await()} waits for this, not for the bare
     * {@code onExit()}: the JDK runs an exit future's dependents in no fixed order, so a program that
     * awaited the bare exit could end, and its loop close, before the detector heard of it (a false
     * "never closed" report for a child that was closed).
     */
    private final CompletableFuture<Void> exitHandled = new CompletableFuture<>();
    private Integer returncode;
    /** Every signal this object sent, as a bit set (bit N: signal N), to recognise a signal death. */
    private long signalsSent;

    private Process(java.lang.Process process, StreamWriter stdin, StreamReader stdout, StreamReader stderr) {
        this.process = process;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code command} (program and arguments, no shell). Suspends only to start it. */
    public static Process createSubprocessExec(List<String> command, Redirect stdin, Redirect stdout, Redirect stderr) throws IOException {
        return createSubprocessExec(command, stdin, stdout, stderr, ProcessOptions.defaults());
    }

    /**
     * Starts {@code command} (program and arguments, no shell) in the working directory and with the
     * environment {@code options} give (asyncio's {@code cwd=}, {@code env=}).
     *
     * @throws java.nio.file.NoSuchFileException if the working directory does not exist
     * @throws java.nio.file.NotDirectoryException if it is not a directory
     * @throws IllegalArgumentException for a redirect that does not fit its stream (a file to read
     *         as stdout...) or an empty command
     */
    public static Process createSubprocessExec(List<String> command, Redirect stdin, Redirect stdout, Redirect stderr,
                                               ProcessOptions options) throws IOException {
        Objects.requireNonNull(command, "command");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must name a program");
        }
        return start(new ProcessBuilder(command), stdin, stdout, stderr, options);
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
        return createSubprocessShell(command, stdin, stdout, stderr, ProcessOptions.defaults());
    }

    /** {@link #createSubprocessShell(String, Redirect, Redirect, Redirect)} with a working directory and environment. */
    public static Process createSubprocessShell(String command, Redirect stdin, Redirect stdout, Redirect stderr,
                                                ProcessOptions options) throws IOException {
        Objects.requireNonNull(command, "command");
        return start(new ProcessBuilder("/bin/sh", "-c", command), stdin, stdout, stderr, options);
    }

    private static Process start(ProcessBuilder pb, Redirect in, Redirect out, Redirect err, ProcessOptions options) throws IOException {
        Objects.requireNonNull(in, "stdin");
        Objects.requireNonNull(out, "stdout");
        Objects.requireNonNull(err, "stderr");
        Objects.requireNonNull(options, "options");
        EventLoop loop = Asyncio.getRunningLoop();
        pb.redirectInput(in.toJava("stdin"));
        pb.redirectOutput(out.toJava("stdout"));
        if (err == Redirect.STDOUT) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(err.toJava("stderr"));
        }
        if (options.cwd() != null) {
            java.nio.file.Path dir = options.cwd();
            if (!java.nio.file.Files.exists(dir)) {
                throw new java.nio.file.NoSuchFileException(dir.toString(), null, "the child's working directory does not exist");
            }
            if (!java.nio.file.Files.isDirectory(dir)) {
                throw new java.nio.file.NotDirectoryException(dir.toString());
            }
            pb.directory(dir.toFile());
        }
        if (options.environment() != null) {
            java.util.Map<String, String> env = pb.environment();
            env.clear();
            env.putAll(options.environment());
        }
        java.lang.Process p = pb.start();
        long pid = p.pid();
        StreamWriter stdin = null;
        PipeWriterTransport stdinTransport = in == Redirect.PIPE
                ? new PipeWriterTransport(loop, p.getOutputStream(), "jasyncio-stdin-" + pid) : null;
        if (stdinTransport != null) {
            StreamReaderProtocol proto = new StreamReaderProtocol(new StreamReader());
            stdinTransport.start(proto);
            stdin = proto.writer();
        }
        StreamReader stdout = out == Redirect.PIPE ? pump(loop, p.getInputStream(), "jasyncio-stdout-" + pid) : null;
        StreamReader stderr = err == Redirect.PIPE ? pump(loop, p.getErrorStream(), "jasyncio-stderr-" + pid) : null;
        Process child = new Process(p, stdin, stdout, stderr);
        // debug mode: a child still running when the loop closes is reported with this line (before the kill below)
        ResourceLeak leak = ResourceLeak.track(loop, child, "Process[pid=" + pid + ", " + String.join(" ", pb.command()) + "]");
        Runnable killAtLoopClose = child::killLeftBehind;
        LoopCloseHooks.add(loop, killAtLoopClose);
        p.onExit().thenRun(() -> { // one dependent, in this order, then await() may return
            if (stdinTransport != null) {
                stdinTransport.childExited(); // the writer thread must not outlive the child
            }
            leak.released();
            LoopCloseHooks.remove(loop, killAtLoopClose);
            child.exitHandled.complete(null);
        });
        return child;
    }

    /** The loop closed while the child still ran: kill and reap it, and say so (it is a leak). */
    private void killLeftBehind() {
        if (!process.isAlive()) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "{0} was still running when its event loop closed: killed", this);
        signalsSent |= 1L << SIGKILL;
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

    /**
     * The exit code once the child has exited, else null: its exit status, or {@code -N} if a signal N
     * this object sent ended it (see the class comment).
     */
    public Integer returncode() {
        if (returncode == null && !process.isAlive()) {
            int status = process.exitValue();
            int signal = status - 128;
            returncode = signal > 0 && signal < 64 && (signalsSent & (1L << signal)) != 0 ? -signal : status;
        }
        return returncode;
    }

    /**
     * Suspends until the child exits and returns its exit code (asyncio's {@code wait()}).
     * Cancellation: the child keeps running (kill it, or {@link #close()} it, if it must stop).
     */
    public int await() {
        if (!exitHandled.isDone()) {
            Asyncio.await(exitHandled.copy()); // a copy: a cancelled wait cancels only its own future
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

    /**
     * Sends signal {@code sig} (a number, as {@code kill -s}) to the child; nothing if it has exited.
     * The loop thread never blocks: SIGTERM and SIGKILL go through the JDK's {@link ProcessHandle} at
     * once; other signals are sent by {@code kill(1)} on a worker thread, and the calling task suspends
     * until it has run, so the signal has been delivered when this returns. The pipes stay open (unlike
     * {@link java.lang.Process#destroy()}, which closes them), so a child that handles the signal can
     * still write its last words, and what it wrote before is still read.
     *
     * <p>Cancellation: a cancellation while {@code kill(1)} runs may come before or after the signal
     * was sent.
     *
     * @throws IllegalArgumentException if {@code sig} is not between 1 and 64
     * @throws IOException if {@code kill(1)} could not be run or refused the signal
     */
    public void sendSignal(int sig) throws IOException {
        if (sig <= 0 || sig >= 64) {
            throw new IllegalArgumentException("signal must be between 1 and 63: " + sig);
        }
        if (!process.isAlive()) {
            return;
        }
        if (sig == SIGTERM) {
            terminate();
            return;
        }
        if (sig == SIGKILL) {
            kill();
            return;
        }
        signalsSent |= 1L << sig;
        String pid = Long.toString(process.pid());
        int status = Asyncio.toThreadChecked(() -> {
            java.lang.Process kill = new ProcessBuilder("kill", "-" + sig, pid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return kill.waitFor();
        }, IOException.class);
        if (status != 0 && process.isAlive()) {
            throw new IOException("kill -" + sig + " " + pid + " failed with status " + status);
        }
    }

    /** SIGTERM, through the JDK's {@link ProcessHandle} (never blocks; the pipes stay open). */
    public void terminate() {
        if (process.isAlive()) {
            signalsSent |= 1L << SIGTERM;
            process.toHandle().destroy();
        }
    }

    /** SIGKILL, through the JDK's {@link ProcessHandle} (never blocks; what the child wrote can still be read). */
    public void kill() {
        if (process.isAlive()) {
            signalsSent |= 1L << SIGKILL;
            process.toHandle().destroyForcibly();
        }
    }

    /**
     * Ends the child if it still runs: kills it (SIGKILL, as asyncio's transport close does), closes
     * its stdin and suspends until it has exited, so it is reaped. Does nothing to a child that has
     * exited. Cancellation: the child is already killed; only the wait for its exit is abandoned.
     */
    @Override
    public void close() {
        kill();
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
