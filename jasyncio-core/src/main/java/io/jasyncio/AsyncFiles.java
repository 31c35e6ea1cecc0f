package io.jasyncio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.stream.Stream;

/**
 * File system work for tasks: trio's {@code trio.Path} and aiofiles. Every call runs the blocking
 * {@link Files} operation on a worker thread through one {@link CapacityLimiter}, so a burst of file
 * work can neither block the loop nor starve other blocking work (a database pool on its own limiter).
 *
 * <pre>{@code
 * AsyncFiles files = AsyncFiles.onLoop();                  // this loop's shared limiter (8 at once)
 * String config = files.readString(Path.of("app.conf"));
 * for (String line : files.lines(Path.of("access.log"))) { ... }   // read in batches, off the loop
 * for (Path p : files.walk(Path.of("src"))) { ... }
 * }</pre>
 *
 * <p>Errors are {@link Files}'s own {@link IOException}s ({@code NoSuchFileException}...), thrown at
 * the caller. Cancellation: a cancelled call interrupts its worker (see {@link CapacityLimiter}); a
 * file being written may then be partly written, as with any interrupted write.
 *
 * <p>Iteration ({@link #lines}, {@link #walk}): each step that needs more reads a batch of
 * 256 lines or paths on a worker, so per-element cost stays low; the open file or
 * directory stream is closed at the end, on {@link AsyncIterator#close()}, or when an error ends it.
 * A read error ends the iteration with an {@link UncheckedIOException} from {@code hasNext()}. A plain
 * for-each never calls {@code close()}, so when the loop may stop early ({@code break}, an exception),
 * use the iterator with try-with-resources:
 * {@code try (AsyncIterator<String> it = files.lines(p).iterator()) { while (it.hasNext()) ... }}.
 *
 * <p>Threading: loop-confined, like its limiter; the workers only touch the file.
 */
public final class AsyncFiles {
    /** How many lines or paths one worker step reads ahead. */
    static final int BATCH = 256;
    /** Worker threads the per-loop default lets do file work at once. */
    public static final int DEFAULT_TOKENS = 8;

    private static final Map<EventLoop, AsyncFiles> PER_LOOP = new WeakHashMap<>();

    private final CapacityLimiter limiter;

    /** File work on {@code limiter}. */
    public AsyncFiles(CapacityLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    /** The running loop's shared instance, on a limiter of {@value #DEFAULT_TOKENS} tokens. */
    public static AsyncFiles onLoop() {
        EventLoop loop = Asyncio.getRunningLoop();
        synchronized (PER_LOOP) {
            return PER_LOOP.computeIfAbsent(loop, l -> new AsyncFiles(new CapacityLimiter(DEFAULT_TOKENS)));
        }
    }

    public CapacityLimiter limiter() {
        return limiter;
    }

    // ---------------------------------------------------------------- whole files

    public byte[] readAllBytes(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        return limiter.toThreadChecked(() -> Files.readAllBytes(path), IOException.class);
    }

    /** The file as UTF-8 text. */
    public String readString(Path path) throws IOException {
        return readString(path, StandardCharsets.UTF_8);
    }

    public String readString(Path path, Charset charset) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(charset, "charset");
        return limiter.toThreadChecked(() -> Files.readString(path, charset), IOException.class);
    }

    /** Writes {@code data} as {@link Files#write(Path, byte[], OpenOption...)} does (default: create or truncate). */
    public Path write(Path path, byte[] data, OpenOption... options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(data, "data");
        byte[] copy = data.clone(); // the caller may change its array while the worker writes
        OpenOption[] opts = options.clone();
        return limiter.toThreadChecked(() -> Files.write(path, copy, opts), IOException.class);
    }

    /** Writes {@code text} as UTF-8. */
    public Path writeString(Path path, CharSequence text, OpenOption... options) throws IOException {
        Objects.requireNonNull(text, "text");
        return write(path, text.toString().getBytes(StandardCharsets.UTF_8), options);
    }

    // ---------------------------------------------------------------- metadata and directories

    public boolean exists(Path path) {
        Objects.requireNonNull(path, "path");
        return limiter.toThread(() -> Files.exists(path));
    }

    public long size(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        return limiter.toThreadChecked(() -> Files.size(path), IOException.class);
    }

    public Path createDirectories(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        return limiter.toThreadChecked(() -> Files.createDirectories(dir), IOException.class);
    }

    /** Deletes the file or empty directory if it exists; returns whether it did. */
    public boolean deleteIfExists(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        return limiter.toThreadChecked(() -> Files.deleteIfExists(path), IOException.class);
    }

    /** Moves or renames, as {@link Files#move}. */
    public Path move(Path source, Path target, java.nio.file.CopyOption... options) throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        java.nio.file.CopyOption[] opts = options.clone();
        return limiter.toThreadChecked(() -> Files.move(source, target, opts), IOException.class);
    }

    /** The entries of a directory, sorted by name. */
    public List<Path> list(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        return limiter.toThreadChecked(() -> {
            try (Stream<Path> s = Files.list(dir)) {
                return s.sorted().toList();
            }
        }, IOException.class);
    }

    // ---------------------------------------------------------------- iteration

    /** The file's lines as UTF-8, read in batches off the loop: aiofiles' {@code async for line in f}. */
    public AsyncIterable<String> lines(Path path) {
        return lines(path, StandardCharsets.UTF_8);
    }

    /** The file's lines in {@code charset}. The file is opened when iteration starts. */
    public AsyncIterable<String> lines(Path path, Charset charset) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(charset, "charset");
        return () -> new Batches<>(() -> {
            BufferedReader r = Files.newBufferedReader(path, charset);
            return new Source<>() {
                @Override
                public List<String> next() throws IOException {
                    List<String> out = new ArrayList<>(BATCH);
                    String line;
                    while (out.size() < BATCH && (line = r.readLine()) != null) {
                        out.add(line);
                    }
                    return out;
                }

                @Override
                public void close() throws IOException {
                    r.close();
                }
            };
        });
    }

    /**
     * Every path under {@code start} (itself first), depth first, as {@link Files#walk(Path,
     * java.nio.file.FileVisitOption...)}: trio's {@code Path.rglob}. The walk happens in batches off the
     * loop, so a huge tree never sits in memory at once.
     */
    public AsyncIterable<Path> walk(Path start) {
        Objects.requireNonNull(start, "start");
        return () -> new Batches<>(() -> {
            Stream<Path> stream = Files.walk(start);
            Iterator<Path> it = stream.iterator();
            return new Source<>() {
                @Override
                public List<Path> next() throws IOException {
                    List<Path> out = new ArrayList<>(BATCH);
                    try {
                        while (out.size() < BATCH && it.hasNext()) {
                            out.add(it.next());
                        }
                    } catch (UncheckedIOException e) {
                        throw e.getCause();
                    }
                    return out;
                }

                @Override
                public void close() {
                    stream.close();
                }
            };
        });
    }

    /** What a worker reads a batch from: an open file or directory stream. */
    private interface Source<T> {
        /** The next batch; empty at the end. Runs on a worker. */
        List<T> next() throws IOException;

        void close() throws IOException;
    }

    /** How a {@link Source} is opened, on a worker. */
    @FunctionalInterface
    private interface Opener<T> {
        Source<T> open() throws IOException;
    }

    /**
     * The iterator over batches. States: UNOPENED (nothing read) -> OPEN (a source, a batch being
     * handed out) -> ENDED (source closed: at its end, on close(), or after an error, which
     * {@code hasNext()} rethrows once).
     */
    private final class Batches<T> implements AsyncIterator<T> {
        private final Opener<T> opener;
        /** Set by a worker, taken by close(): guarded by this, so a source opened after close() is closed at once. */
        private Source<T> source;
        private final ArrayDeque<T> batch = new ArrayDeque<>();
        private volatile boolean ended;

        Batches(Opener<T> opener) {
            this.opener = opener;
        }

        @Override
        public boolean hasNext() {
            if (!batch.isEmpty()) {
                return true;
            }
            if (ended) {
                return false;
            }
            List<T> next;
            try {
                next = limiter.toThreadChecked(this::readBatch, IOException.class);
            } catch (IOException e) {
                close();
                throw new UncheckedIOException(e);
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            }
            if (next.isEmpty()) {
                close();
                return false;
            }
            batch.addAll(next);
            return true;
        }

        /** On a worker: opens the source the first time, then reads one batch (empty once closed). */
        private List<T> readBatch() throws IOException {
            Source<T> s;
            synchronized (this) {
                if (ended) {
                    return List.of();
                }
                if (source == null) {
                    source = opener.open();
                }
                s = source;
            }
            return s.next();
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more elements");
            }
            return batch.pollFirst();
        }

        @Override
        public void close() {
            if (ended) {
                return;
            }
            batch.clear();
            Source<T> s;
            synchronized (this) {
                ended = true;
                s = source;
                source = null;
            }
            if (s != null) {
                try {
                    s.close(); // a close is quick; it runs here so that it also works while cancelled
                } catch (IOException ignored) {
                    // closing a read-only stream we are done with: nothing to lose
                }
            }
        }
    }

    @Override
    public String toString() {
        return "AsyncFiles[" + limiter + "]";
    }
}
