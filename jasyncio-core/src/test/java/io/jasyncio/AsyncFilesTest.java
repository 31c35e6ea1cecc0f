package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.test.StrictLoop;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File helpers on a CapacityLimiter: whole files, lines and directory walks as AsyncIterables. */
class AsyncFilesTest {
    @TempDir
    Path dir;

    @Test
    void writeThenReadBackBytesAndText() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            AsyncFiles files = AsyncFiles.onLoop();
            assertThat(AsyncFiles.onLoop()).as("one per loop").isSameAs(files);
            Path p = dir.resolve("a.txt");
            files.writeString(p, "héllo\n");
            files.writeString(p, "more\n", StandardOpenOption.APPEND);
            assertThat(files.readString(p)).isEqualTo("héllo\nmore\n");
            assertThat(files.readAllBytes(p)).isEqualTo("héllo\nmore\n".getBytes(StandardCharsets.UTF_8));
            assertThat(files.size(p)).isEqualTo(12);
            assertThat(files.exists(p)).isTrue();
            Path moved = files.move(p, dir.resolve("b.txt"));
            assertThat(files.exists(p)).isFalse();
            assertThat(files.deleteIfExists(moved)).isTrue();
            assertThat(files.deleteIfExists(moved)).isFalse();
            return null;
        });
    }

    @Test
    void writeCopiesTheCallersArray() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            AsyncFiles files = AsyncFiles.onLoop();
            byte[] data = "original".getBytes(StandardCharsets.UTF_8);
            Task<Path> writing = createTask(() -> files.write(dir.resolve("c"), data));
            Asyncio.yieldNow(); // the task is now inside write(), waiting for its worker
            data[0] = 'X';      // while the worker may still be writing
            writing.await();
            assertThat(files.readString(dir.resolve("c"))).isEqualTo("original");
            return null;
        });
    }

    @Test
    void errorsAreTheFilesOwnAtTheCall() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            AsyncFiles files = AsyncFiles.onLoop();
            assertThatThrownBy(() -> files.readString(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
            assertThatThrownBy(() -> {
                for (String line : files.lines(dir.resolve("missing"))) {
                    throw new AssertionError(line);
                }
            }).isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(NoSuchFileException.class);
            assertThatThrownBy(() -> new AsyncFiles(null)).isInstanceOf(NullPointerException.class);
            return null;
        });
    }

    @Test
    void linesComeInOrderAcrossManyBatches() throws Exception {
        List<String> expected = IntStream.range(0, AsyncFiles.BATCH * 3 + 5).mapToObj(i -> "line " + i).toList();
        Path p = Files.write(dir.resolve("log"), expected);
        Path empty = Files.createFile(dir.resolve("empty"));
        StrictLoop.run(StrictLoop.realTime(), () -> {
            List<String> got = new ArrayList<>();
            for (String line : AsyncFiles.onLoop().lines(p)) {
                got.add(line);
            }
            assertThat(got).isEqualTo(expected);
            assertThat(AsyncFiles.onLoop().lines(empty).iterator().hasNext()).isFalse();
            return null;
        });
    }

    @Test
    void closingTheIteratorEarlyClosesTheFile() throws Exception {
        Path p = Files.write(dir.resolve("log"), IntStream.range(0, 1000).mapToObj(Integer::toString).toList());
        StrictLoop.run(StrictLoop.realTime(), () -> {
            long before = StrictLoop.openFds();
            try (AsyncIterator<String> it = AsyncFiles.onLoop().lines(p).iterator()) {
                assertThat(it.next()).isEqualTo("0");
                assertThat(it.next()).isEqualTo("1");
            }
            if (before >= 0) {
                assertThat(StrictLoop.openFds()).isLessThanOrEqualTo(before);
            }
            return null;
        });
    }

    @Test
    void walkVisitsEveryPathDepthFirstAndListSortsByName() throws Exception {
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/deep.txt"), "x");
        Files.writeString(dir.resolve("a/top.txt"), "y");
        Files.writeString(dir.resolve("z.txt"), "z");
        StrictLoop.run(StrictLoop.realTime(), () -> {
            AsyncFiles files = AsyncFiles.onLoop();
            List<Path> seen = new ArrayList<>();
            for (Path p : files.walk(dir)) {
                seen.add(dir.relativize(p));
            }
            assertThat(seen).first().isEqualTo(Path.of(""));
            assertThat(seen).containsExactlyInAnyOrder(Path.of(""), Path.of("a"), Path.of("a/b"), Path.of("a/b/deep.txt"),
                    Path.of("a/top.txt"), Path.of("z.txt"));
            assertThat(seen.indexOf(Path.of("a"))).isLessThan(seen.indexOf(Path.of("a/b/deep.txt")));
            assertThat(files.list(dir)).containsExactly(dir.resolve("a"), dir.resolve("z.txt"));
            files.createDirectories(dir.resolve("n/e/w"));
            assertThat(Files.isDirectory(dir.resolve("n/e/w"))).isTrue();
            return null;
        });
    }

    @Test
    void fileWorkRunsWithinItsLimiter() throws Exception {
        for (int i = 0; i < 6; i++) {
            Files.writeString(dir.resolve("f" + i), "content " + i);
        }
        StrictLoop.run(StrictLoop.realTime(), () -> {
            CapacityLimiter two = new CapacityLimiter(2);
            AsyncFiles files = new AsyncFiles(two);
            int[] maxBorrowed = new int[1];
            List<Task<String>> reads = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Path p = dir.resolve("f" + i);
                reads.add(createTask(() -> {
                    String s = files.readString(p);
                    maxBorrowed[0] = Math.max(maxBorrowed[0], two.borrowedTokens());
                    return s;
                }));
            }
            for (int i = 0; i < 6; i++) {
                assertThat(reads.get(i).await()).isEqualTo("content " + i);
            }
            assertThat(maxBorrowed[0]).isLessThanOrEqualTo(2);
            assertThat(two.borrowedTokens()).isZero();
            return null;
        });
    }
}
