package io.jasyncio.examples.tour;

import io.jasyncio.Asyncio;
import io.jasyncio.LoopOptions;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The guided tour: every chapter, in order. Chapters land as the features they teach do. */
public final class Tour {
    private Tour() {}

    /** The chapters, in tour order (chapter n is {@code CHAPTERS.get(n - 1)}). */
    public static final List<Chapter> CHAPTERS = List.of(new Coroutines(), new Await(), new AsyncProgramming(),
            new AsyncioModel(), new CreatingCoroutines(), new TheEventLoop(), new Tasks(), new Concurrently(),
            new AsyncWith(), new SleepVersusThreadSleep(), new UseCases(), new TheGil(), new Services(),
            new FindingAHang());

    /** Runs one chapter on its own event loop and returns its measurement. */
    public static Object runChapter(int number, Out out, boolean explain, LoopOptions options) {
        Chapter c = chapter(number);
        out.heading("Chapter " + number + ". " + c.title());
        if (explain) {
            out.line(c.explanation());
            out.line("");
            String code = sourceOf(c);
            if (code != null) {
                out.code(code);
            }
        }
        Object measured = Asyncio.run(() -> c.run(out), options);
        out.takeaway(c.takeaway());
        return measured;
    }

    /** The chapter's source file, packaged with the program (null when run from classes without it). */
    static String sourceOf(Chapter c) {
        String path = "/tour-source/" + c.getClass().getName().replace('.', '/') + ".java";
        try (java.io.InputStream in = Tour.class.getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static Chapter chapter(int number) {
        if (number < 1 || number > CHAPTERS.size()) {
            throw new IllegalArgumentException("there is no chapter " + number + ": the tour has chapters 1 to "
                    + CHAPTERS.size() + " (see tour --list)");
        }
        return CHAPTERS.get(number - 1);
    }

    /** {@code jasyncio tour [--list] [--explain] [chapter]}. */
    @CommandLine.Command(name = "tour", mixinStandardHelpOptions = true, versionProvider = io.jasyncio.examples.Main.Version.class,
            description = "The guided tour of asyncio in Java (all chapters, or one).",
            footerHeading = "%nExamples:%n",
            footer = {"  ./jasyncio tour              every chapter, with live timings",
                      "  ./jasyncio tour --list       the chapters' titles",
                      "  ./jasyncio tour 7 --explain  chapter 7 (tasks) with its code and explanation"})
    public static final class Command implements Runnable {
        @Option(names = "--list", description = "List the chapters.")
        boolean list;

        @Option(names = "--explain", description = "Print each chapter's explanation with its demonstration.")
        boolean explain;

        @Parameters(arity = "0..1", paramLabel = "CHAPTER", description = "Run only this chapter.")
        Integer only;

        @Override
        public void run() {
            Out out = Out.forStdout();
            if (list) {
                for (int i = 0; i < CHAPTERS.size(); i++) {
                    out.line(String.format("%2d. %s", i + 1, CHAPTERS.get(i).title()));
                }
                return;
            }
            LoopOptions options = LoopOptions.defaults();
            if (only != null) {
                runChapter(only, out, explain, options);
                return;
            }
            for (int i = 1; i <= CHAPTERS.size(); i++) {
                runChapter(i, out, explain, options);
            }
        }
    }
}
