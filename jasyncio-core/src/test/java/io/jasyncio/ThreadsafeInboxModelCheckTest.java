package io.jasyncio;

import static io.jasyncio.testsupport.ScenarioThreads.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * The loop's door for other threads ({@link ThreadsafeInbox}), model-checked: Lincheck runs the
 * scenario under many schedules, switching threads at every shared-memory access, and reports the
 * interleaving that breaks an assertion. Issue 11: "the threadsafe inbox".
 */
class ThreadsafeInboxModelCheckTest {

    /**
     * Two threads post while the loop moves twice, then once more when they are done. Whatever the
     * interleaving: a move never finds fewer items than it counted (a null would reach the ready
     * queue, which {@code ArrayDeque} refuses), every item is moved exactly once, and each poster's
     * items keep their order.
     */
    @Test
    void everyPostIsMovedExactlyOnceInOrderAndAMoveNeverComesUpShort() {
        Lincheck.runConcurrentTest(2_000, () -> {
            ThreadsafeInbox<Integer> inbox = new ThreadsafeInbox<>();
            Thread first = new Thread(() -> {
                inbox.post(1);
                inbox.post(2);
            });
            Thread second = new Thread(() -> inbox.post(3));
            first.start();
            second.start();
            ArrayDeque<Integer> ready = new ArrayDeque<>();
            int moved = inbox.moveTo(ready); // the loop, concurrently with the posters
            moved += inbox.moveTo(ready);
            join(first, second);
            moved += inbox.moveTo(ready); // every post has returned: this move takes the rest
            List<Integer> order = new ArrayList<>(ready);
            assertEquals(3, moved, "items moved");
            assertEquals(List.of(1, 2, 3), order.stream().sorted().toList(), "each item moved once");
            assertTrue(order.indexOf(1) < order.indexOf(2), "one poster's items keep their order: " + order);
            assertTrue(inbox.isEmpty(), "nothing left behind");
        });
    }

    /**
     * The snapshot rule: a move takes only what was counted when it began, so a post that returned
     * before the move began is moved by it, and a poster racing with a move is moved by the next one
     * at the latest; nothing posted is held back once every post has returned.
     */
    @Test
    void aPostThatReturnedBeforeAMoveIsTakenByIt() {
        Lincheck.runConcurrentTest(2_000, () -> {
            ThreadsafeInbox<Integer> inbox = new ThreadsafeInbox<>();
            Thread racing = new Thread(() -> inbox.post(2));
            racing.start();
            inbox.post(1);
            ArrayDeque<Integer> ready = new ArrayDeque<>();
            inbox.moveTo(ready);
            assertTrue(ready.size() == 1 || ready.size() == 2, "1 for sure, or 2 ahead of it: " + ready);
            join(racing);
            inbox.moveTo(ready);
            assertEquals(List.of(1, 2), ready.stream().sorted().toList(), "each item moved once");
        });
    }
}
