package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JFR events, recorded with jdk.jfr.Recording and read back from the file. */
@Timeout(120)
class FlightEventsTest {

    private static List<RecordedEvent> record(LoopOptions options, Coroutine<?> program) throws Exception {
        Path file = Files.createTempFile("jasyncio-", ".jfr");
        try (Recording r = new Recording()) {
            for (String name : List.of("io.jasyncio.TaskCreated", "io.jasyncio.TaskStep", "io.jasyncio.TaskFinished",
                    "io.jasyncio.SlowStep")) {
                r.enable(name).withoutThreshold();
            }
            r.enable("io.jasyncio.LoopLag").withThreshold(Duration.ofMillis(20));
            r.start();
            assertThat(FlightEvents.recording).isTrue();
            io.jasyncio.test.StrictLoop.runCollecting(options, program);
            r.stop();
            r.dump(file);
            return RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().startsWith("io.jasyncio.")).toList();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String type, String task) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type))
                .filter(e -> task == null || task.equals(e.getString("taskName"))).toList();
    }

    @Test
    void aTaskTimelineIsRecorded() throws Exception {
        List<RecordedEvent> events = record(TestLoop.options(), () -> {
            Task<Integer> ok = createTask("ok", () -> {
                yieldNow();
                return 1;
            });
            Task<Void> failing = createTask("failing", () -> {
                throw new IllegalStateException("boom");
            });
            Task<Void> cancelled = createTask("cancelled", () -> {
                sleep(10);
                return null;
            });
            yieldNow();
            cancelled.cancel();
            Asyncio.gatherSettled(List.of(ok, failing, cancelled));
            return null;
        });
        assertThat(named(events, "io.jasyncio.TaskCreated", "ok")).singleElement()
                .satisfies(e -> assertThat(e.getStackTrace().getFrames()).anyMatch(f -> f.getMethod().getType().getName()
                        .equals(FlightEventsTest.class.getName())));
        assertThat(named(events, "io.jasyncio.TaskStep", "ok")).hasSize(2); // before and after its yield
        assertThat(named(events, "io.jasyncio.TaskFinished", "ok")).singleElement()
                .satisfies(e -> assertThat(e.getString("outcome")).isEqualTo("result"));
        assertThat(named(events, "io.jasyncio.TaskFinished", "failing")).singleElement().satisfies(e -> {
            assertThat(e.getString("outcome")).isEqualTo("exception");
            assertThat(e.getString("exception")).contains("IllegalStateException: boom");
        });
        assertThat(named(events, "io.jasyncio.TaskFinished", "cancelled")).singleElement()
                .satisfies(e -> assertThat(e.getString("outcome")).isEqualTo("cancelled"));
        long loop = named(events, "io.jasyncio.TaskCreated", "ok").get(0).getLong("loop");
        assertThat(named(events, "io.jasyncio.TaskFinished", null)).allSatisfy(e -> assertThat(e.getLong("loop")).isEqualTo(loop));
    }

    @Test
    void slowStepsAndLoopLagAreRecordedWithWhereTheLoopBlocked() throws Exception {
        LoopOptions debug = TestLoop.options().withDebug(true).withSlowCallbackDuration(Duration.ofMillis(20));
        List<RecordedEvent> events = record(debug, () -> {
            createTask("blocker", () -> {
                Thread.sleep(200); // blocks the loop: a slow step and a laggy turn
                return null;
            }).await();
            return null;
        });
        assertThat(named(events, "io.jasyncio.SlowStep", null)).anySatisfy(e -> {
            assertThat(e.getString("step")).isEqualTo("task blocker");
            assertThat(e.getLong("nanos")).isGreaterThanOrEqualTo(200_000_000L);
            assertThat(e.getString("blockedAt")).contains("FlightEventsTest");
        });
        assertThat(named(events, "io.jasyncio.LoopLag", null)).anySatisfy(e ->
                assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(200)));
    }

    @Test
    void withoutARecordingTheGuardIsOff() {
        assertThat(FlightEvents.recording).isFalse();
    }
}
