package io.jasyncio.conformance;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jasyncio.CancelledError;
import io.jasyncio.Event;
import io.jasyncio.EventLoop;
import io.jasyncio.LifoQueue;
import io.jasyncio.PriorityQueue;
import io.jasyncio.Queue;
import io.jasyncio.QueueEmptyException;
import io.jasyncio.QueueFullException;
import io.jasyncio.QueueShutDownException;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * CPython's {@code test_queues.py}. {@code QueueEmpty}, {@code QueueFull}, {@code QueueShutDown}
 * are {@link QueueEmptyException}, {@link QueueFullException}, {@link QueueShutDownException}.
 * Where CPython counts the private {@code _getters}/{@code _putters}, these tests read the counts
 * jasyncio's {@code toString()} shows ({@code getters=N}, {@code putters=N}). {@code task_done()}
 * called too often raises ValueError in asyncio; jasyncio documents IllegalStateException (a
 * misuse of the queue's state, not a bad argument) and the tests keep that documented choice.
 */
class QueuesConformanceTest {

    static int count(Queue<?> q, String what) {
        Matcher m = Pattern.compile(what + "=(\\d+)").matcher(q.toString());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    static <T> Task<T> getTask(Queue<T> q) {
        return createTask(q::get);
    }

    static <T> Task<Void> putTask(Queue<T> q, T item) {
        return createTask(() -> {
            q.put(item);
            return null;
        });
    }

    @Nested
    class QueueBasicTests extends ConformanceTestBase {

        /** test_repr / test_str: jasyncio's toString shows the waiting getters, putters and the size. */
        @Test
        void toStringShowsWaitersAndSize() {
            runVoid(() -> {
                Queue<Integer> q = new Queue<>();
                assertThat(q.toString()).startsWith("Queue[");
                Task<Integer>[] getter = holder();
                TaskGroup.run(tg -> {
                    getter[0] = tg.createTask(q::get);
                    sleep(0);
                    assertThat(q.toString()).contains("getters=1");
                    q.putNowait(0);
                });
                assertThat(getter[0].await()).isZero();

                Queue<Integer> bounded = new Queue<>(1);
                Task<Void>[] putter = holder();
                TaskGroup.run(tg -> {
                    bounded.putNowait(1);
                    putter[0] = tg.createTask(() -> {
                        bounded.put(2);
                        return null;
                    });
                    sleep(0);
                    assertThat(bounded.toString()).contains("putters=1");
                    bounded.getNowait();
                });
                assertThat(putter[0].done()).isTrue();

                Queue<Integer> one = new Queue<>();
                one.putNowait(1);
                assertThat(one.toString()).contains("qsize=1");
            });
        }

        @SuppressWarnings("unchecked")
        private <T> Task<T>[] holder() {
            return new Task[1];
        }

        @Test
        void empty() {
            runVoid(() -> {
                Queue<Integer> q = new Queue<>();
                assertThat(q.empty()).isTrue();
                q.put(1);
                assertThat(q.empty()).isFalse();
                assertThat(q.get()).isEqualTo(1);
                assertThat(q.empty()).isTrue();
            });
        }

        @Test
        void full() {
            runVoid(() -> {
                assertThat(new Queue<Integer>().full()).isFalse();
                Queue<Integer> q = new Queue<>(1);
                q.put(1);
                assertThat(q.full()).isTrue();
            });
        }

        @Test
        void order() {
            runVoid(() -> {
                Queue<Integer> q = new Queue<>();
                for (int i : new int[] {1, 3, 2}) {
                    q.put(i);
                }
                assertThat(List.of(q.get(), q.get(), q.get())).containsExactly(1, 3, 2);
            });
        }

        @Test
        void maxsize() {
            runVoid(() -> {
                Queue<Integer> q = new Queue<>(2);
                assertThat(q.maxsize()).isEqualTo(2);
                List<Integer> haveBeenPut = new ArrayList<>();
                Task<Boolean> t = createTask(() -> {
                    for (int i = 0; i < 3; i++) {
                        q.put(i);
                        haveBeenPut.add(i);
                    }
                    return true;
                });
                sleep(0);
                sleep(0);
                assertThat(haveBeenPut).as("the putter is blocked after two items").containsExactly(0, 1);
                assertThat(q.get()).isZero();
                sleep(0); // the putter resumes and puts the last item
                assertThat(haveBeenPut).containsExactly(0, 1, 2);
                assertThat(q.get()).isEqualTo(1);
                assertThat(q.get()).isEqualTo(2);
                assertThat(t.done()).isTrue();
                assertThat(t.result()).isTrue();
            });
        }
    }

    @Nested
    class QueueGetTests extends ConformanceTestBase {

        @Test
        void blockingGet() {
            runVoid(() -> {
                Queue<Integer> q = new Queue<>();
                q.putNowait(1);
                assertThat(q.get()).isEqualTo(1);
            });
        }

        /** test_get_with_putters: a get from a full queue wakes the waiting putter. */
        @Test
        void getWithPutters() {
            runVoid(() -> {
                Queue<Integer> q = new Queue<>(1);
                q.put(1);
                Task<Void> putter = putTask(q, 2); // CPython appends a bare future to _putters
                sleep(0);
                assertThat(q.get()).isEqualTo(1);
                sleep(0);
                assertThat(putter.done()).isTrue();
                assertThat(putter.result()).isNull();
            });
        }

        @Test
        void blockingGetWait() {
            runVoid(() -> {
                EventLoop loop = getRunningLoop();
                Queue<Integer> q = new Queue<>();
                Event started = new Event();
                boolean[] finished = {false};
                Task<Integer> queueGet = createTask(() -> {
                    started.set();
                    int res = q.get();
                    finished[0] = true;
                    return res;
                });
                started.await();
                assertThat(finished[0]).isFalse();
                loop.callLater(0.01, () -> q.putNowait(1));
                int res = queueGet.await();
                assertThat(finished[0]).isTrue();
                assertThat(res).isEqualTo(1);
            });
        }

        @Test
        void nonblockingGet() {
            Queue<Integer> q = new Queue<>();
            q.putNowait(1);
            assertThat(q.getNowait()).isEqualTo(1);
        }

        @Test
        void nonblockingGetException() {
            assertThatThrownBy(new Queue<Integer>()::getNowait).isInstanceOf(QueueEmptyException.class);
        }

        @Test
        void getCancelledRace() {
            runVoid(() -> {
                Queue<String> q = new Queue<>();
                Task<String> t1 = getTask(q);
                Task<String> t2 = getTask(q);
                sleep(0);
                t1.cancel();
                sleep(0);
                assertThat(t1.done()).isTrue();
                q.put("a");
                sleep(0);
                assertThat(t2.await()).isEqualTo("a");
            });
        }

        @Test
        void getWithWaitingPutters() {
            runVoid(() -> {
                Queue<String> q = new Queue<>(1);
                putTask(q, "a");
                putTask(q, "b");
                assertThat(q.get()).isEqualTo("a");
                assertThat(q.get()).isEqualTo("b");
            });
        }

        @Test
        void whyAreGettersWaiting() {
            runVoid(() -> {
                int producerNumItems = 5;
                Queue<Integer> q = new Queue<>(1);
                TaskGroup.run(tg -> {
                    tg.createTask(() -> {
                        for (int i = 0; i < producerNumItems; i++) {
                            q.put(i);
                        }
                        return null;
                    });
                    tg.createTask(() -> {
                        for (int i = 0; i < producerNumItems; i++) {
                            q.get();
                        }
                        return null;
                    });
                });
            });
        }

        @Test
        void cancelledGettersNotBeingHeldInSelfGetters() {
            runVoid(() -> {
                Queue<Integer> queue = new Queue<>(5);
                assertThat(catchThrowable(() -> waitFor(queue::get, Duration.ofMillis(100))))
                        .isInstanceOf(TimeoutException.class);
                assertThat(count(queue, "getters")).isZero();
            });
        }
    }

    @Nested
    class QueuePutTests extends ConformanceTestBase {

        @Test
        void blockingPut() {
            runVoid(() -> {
                Queue<Integer> q = new Queue<>();
                q.put(1); // no maxsize: does not block
                assertThat(q.get()).isEqualTo(1);
            });
        }

        @Test
        void blockingPutWait() {
            runVoid(() -> {
                Queue<Integer> q = new Queue<>(1);
                Event started = new Event();
                boolean[] finished = {false};
                getRunningLoop().callLater(0.01, q::getNowait);
                Task<Void> queuePut = createTask(() -> {
                    started.set();
                    q.put(1);
                    q.put(2);
                    finished[0] = true;
                    return null;
                });
                started.await();
                assertThat(finished[0]).isFalse();
                queuePut.await();
                assertThat(finished[0]).isTrue();
            });
        }

        @Test
        void nonblockingPut() {
            Queue<Integer> q = new Queue<>();
            q.putNowait(1);
            assertThat(q.getNowait()).isEqualTo(1);
        }

        @Test
        void getCancelDropOnePendingReader() {
            runVoid(() -> {
                Queue<Integer> q = new Queue<>();
                Task<Integer> reader = getTask(q);
                sleep(0);
                q.putNowait(1);
                q.putNowait(2);
                reader.cancel();
                try {
                    reader.await();
                } catch (CancelledError e) {
                    reader = getTask(q); // try again
                    reader.await();
                }
                assertThat(reader.result()).as("2 would mean 1 was dropped").isEqualTo(1);
            });
        }

        @Test
        void getCancelDropManyPendingReaders() {
            runVoid(() -> {
                Queue<Integer> q = new Queue<>();
                List<Task<Integer>> readers = new ArrayList<>();
                TaskGroup.run(tg -> {
                    for (int i = 0; i < 3; i++) {
                        readers.add(tg.createTask(q::get));
                    }
                    sleep(0);
                    q.putNowait(1);
                    q.putNowait(2);
                    readers.get(0).cancel();
                    assertThatThrownBy(readers.get(0)::await).isInstanceOf(CancelledError.class);
                    readers.get(2).await();
                });
                // the order in which concurrent readers receive items is undefined
                assertThat(Set.of(readers.get(1).result(), readers.get(2).result())).isEqualTo(Set.of(1, 2));
            });
        }

        @Test
        void putCancelDrop() {
            runVoid(() -> {
                Queue<Integer> q = new Queue<>(1);
                q.putNowait(1);
                Task<Void> writer = putTask(q, 2); // blocks: the queue is full
                sleep(0);
                assertThat(q.getNowait()).isEqualTo(1);
                writer.cancel();
                try {
                    writer.await();
                } catch (CancelledError e) {
                    writer = putTask(q, 2); // try again
                    writer.await();
                }
                assertThat(q.getNowait()).isEqualTo(2);
                assertThat(q.qsize()).isZero();
            });
        }

        @Test
        void nonblockingPutException() {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(1);
            assertThatThrownBy(() -> q.putNowait(2)).isInstanceOf(QueueFullException.class);
        }

        @Test
        void putCancelled() {
            runVoid(() -> {
                Queue<Integer> q = new Queue<>();
                Task<Boolean> t = createTask(() -> {
                    q.put(1);
                    return true;
                });
                assertThat(q.get()).isEqualTo(1);
                assertThat(t.done()).isTrue();
                assertThat(t.result()).isTrue();
            });
        }

        @Test
        void putCancelledRace() {
            runVoid(() -> {
                Queue<String> q = new Queue<>(1);
                Task<Void> putA = putTask(q, "a");
                Task<Void> putB = putTask(q, "b");
                Task<Void> putC = putTask(q, "X");
                sleep(0);
                assertThat(putA.done()).isTrue();
                assertThat(putB.done()).isFalse();
                putC.cancel();
                sleep(0);
                assertThat(putC.done()).isTrue();
                assertThat(q.getNowait()).isEqualTo("a");
                sleep(0);
                assertThat(q.getNowait()).isEqualTo("b");
                putB.await();
            });
        }

        @Test
        void putWithWaitingGetters() {
            runVoid(() -> {
                Queue<String> q = new Queue<>();
                Task<String> t = getTask(q);
                sleep(0);
                q.put("a");
                assertThat(t.await()).isEqualTo("a");
            });
        }

        @Test
        void whyArePuttersWaiting() {
            runVoid(() -> {
                Queue<Integer> queue = new Queue<>(2);
                TaskGroup.run(tg -> {
                    tg.createTask(() -> {
                        sleep(0);
                        int num = queue.qsize();
                        for (int i = 0; i < num; i++) {
                            queue.getNowait();
                        }
                        return null;
                    });
                    for (int i = 0; i < 4; i++) {
                        int item = i;
                        tg.createTask(() -> {
                            queue.put(item);
                            return null;
                        });
                    }
                });
            });
        }

        @Test
        void cancelledPutsNotBeingHeldInSelfPutters() {
            runVoid(() -> {
                Queue<Integer> queue = new Queue<>(1);
                queue.putNowait(1); // full
                Task<Void> putTask = putTask(queue, 1);
                sleep(0);
                assertThat(count(queue, "putters")).isEqualTo(1);
                putTask.cancel();
                assertThatThrownBy(putTask::await).isInstanceOf(CancelledError.class);
                assertThat(count(queue, "putters")).isZero();
            });
        }

        @Test
        void cancelledPutSilenceValueErrorException() {
            runVoid(() -> {
                Queue<Integer> queue = new Queue<>(1);
                queue.putNowait(1); // full
                Task<Void> putTask = putTask(queue, 1);
                sleep(0);
                queue.getNowait(); // wakes the putter
                putTask.cancel(); // and cancels it before it runs: only the cancellation must surface
                assertThatThrownBy(putTask::await).isInstanceOf(CancelledError.class);
            });
        }
    }

    @Nested
    class LifoQueueTests extends ConformanceTestBase {
        @Test
        void order() {
            runVoid(() -> {
                Queue<Integer> q = new LifoQueue<>();
                for (int i : new int[] {1, 3, 2}) {
                    q.put(i);
                }
                assertThat(List.of(q.get(), q.get(), q.get())).containsExactly(2, 3, 1);
            });
        }
    }

    @Nested
    class PriorityQueueTests extends ConformanceTestBase {
        @Test
        void order() {
            runVoid(() -> {
                Queue<Integer> q = new PriorityQueue<>();
                for (int i : new int[] {1, 3, 2}) {
                    q.put(i);
                }
                assertThat(List.of(q.get(), q.get(), q.get())).containsExactly(1, 2, 3);
            });
        }
    }

    /** CPython's _QueueJoinTestMixin, run for each queue class. */
    abstract class JoinTests extends ConformanceTestBase {
        abstract Queue<Integer> newQueue();

        @Test
        void taskDoneUnderflow() {
            assertThatThrownBy(newQueue()::taskDone).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void taskDone() {
            runVoid(() -> {
                Queue<Integer> q = newQueue();
                for (int i = 0; i < 100; i++) {
                    q.putNowait(i);
                }
                int[] accumulator = {0};
                boolean[] running = {true};
                // two workers take items and mark each done; join() returns once all are processed
                TaskGroup.run(tg -> {
                    List<Task<Void>> tasks = new ArrayList<>();
                    for (int w = 0; w < 2; w++) {
                        tasks.add(tg.createTask(() -> {
                            while (running[0]) {
                                accumulator[0] += q.get();
                                q.taskDone();
                            }
                            return null;
                        }));
                    }
                    q.join();
                    assertThat(accumulator[0]).isEqualTo(IntStream.range(0, 100).sum());
                    running[0] = false; // end the workers
                    for (int i = 0; i < tasks.size(); i++) {
                        q.putNowait(0);
                    }
                });
            });
        }

        @Test
        void joinEmptyQueue() {
            runVoid(() -> {
                Queue<Integer> q = newQueue();
                q.join(); // returns at once, twice for insurance
                q.join();
            });
        }

        /** test_format: toString shows the unfinished tasks. */
        @Test
        void formatShowsUnfinishedTasks() {
            Queue<Integer> q = newQueue();
            assertThat(q.toString()).contains("maxsize=0").doesNotContain("tasks=");
            q.putNowait(1);
            q.putNowait(2);
            assertThat(q.toString()).contains("tasks=2");
        }
    }

    @Nested
    class QueueJoinTests extends JoinTests {
        @Override
        Queue<Integer> newQueue() {
            return new Queue<>();
        }
    }

    @Nested
    class LifoQueueJoinTests extends JoinTests {
        @Override
        Queue<Integer> newQueue() {
            return new LifoQueue<>();
        }
    }

    @Nested
    class PriorityQueueJoinTests extends JoinTests {
        @Override
        Queue<Integer> newQueue() {
            return new PriorityQueue<>();
        }
    }

    /** CPython's _QueueShutdownTestMixin, run for each queue class. */
    abstract class ShutdownTests extends ConformanceTestBase {
        abstract Queue<String> newQueue(int maxsize);

        private void assertShutDown(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
            assertThat(catchThrowable(call)).as("Didn't appear to shut-down queue").isInstanceOf(QueueShutDownException.class);
        }

        private void assertEveryOperationShutDown(Queue<String> q) {
            assertShutDown(() -> q.put("data"));
            assertShutDown(() -> q.putNowait("data"));
            assertShutDown(q::get);
            assertShutDown(q::getNowait);
        }

        @Test
        void formatShowsShutdown() {
            Queue<String> q = newQueue(0);
            q.shutdown();
            assertThat(q.toString()).contains("maxsize=0").contains("shut down");
        }

        @Test
        void shutdownEmpty() {
            runVoid(() -> {
                Queue<String> q = newQueue(0);
                Task<String> getTask = getTask(q);
                sleep(0); // the get is pending before the shutdown
                q.shutdown(false); // unfinished tasks: 0 -> 0
                assertThat(q.qsize()).isZero();
                q.join();
                sleep(0);
                assertThat(getTask.done()).isTrue();
                assertShutDown(getTask::await);
                assertEveryOperationShutDown(q);
            });
        }

        @Test
        void shutdownNonempty() {
            runVoid(() -> {
                Queue<String> q = newQueue(1);
                q.putNowait("data");
                Task<Void> joinTask = createTask(() -> {
                    q.join();
                    return null;
                });
                Task<Void> putTask = putTask(q, "data2");
                sleep(0);
                assertThat(putTask.done()).isFalse();
                q.shutdown(false); // unfinished tasks: 1 -> 1
                assertThat(q.qsize()).isEqualTo(1);
                sleep(0);
                assertThat(putTask.done()).isTrue();
                assertShutDown(putTask::await);
                assertThat(q.get()).isEqualTo("data");
                sleep(0);
                assertThat(joinTask.done()).isFalse();
                assertEveryOperationShutDown(q);
                q.taskDone(); // the one unfinished task
                sleep(0);
                assertThat(joinTask.done()).isTrue();
                joinTask.await();
                assertThatThrownBy(q::taskDone).as("Didn't appear to mark all tasks done")
                        .isInstanceOf(IllegalStateException.class);
            });
        }

        @Test
        void shutdownImmediate() {
            runVoid(() -> {
                Queue<String> q = newQueue(0);
                q.putNowait("data");
                Task<Void> joinTask = createTask(() -> {
                    q.join();
                    return null;
                });
                q.shutdown(true); // unfinished tasks: 1 -> 0
                assertThat(q.qsize()).isZero();
                sleep(0);
                assertThat(joinTask.done()).isTrue();
                joinTask.await();
                assertEveryOperationShutDown(q);
                assertThatThrownBy(q::taskDone).as("Didn't appear to mark all tasks done")
                        .isInstanceOf(IllegalStateException.class);
            });
        }

        @Test
        void shutdownImmediateWithUnfinished() {
            runVoid(() -> {
                Queue<String> q = newQueue(0);
                q.putNowait("data");
                q.putNowait("data");
                Task<Void> joinTask = createTask(() -> {
                    q.join();
                    return null;
                });
                assertThat(q.get()).isEqualTo("data");
                q.shutdown(true); // unfinished tasks: 2 -> 1
                assertThat(q.qsize()).isZero();
                sleep(0);
                assertThat(joinTask.done()).isFalse();
                assertEveryOperationShutDown(q);
                q.taskDone(); // the one unfinished task
                assertThatThrownBy(q::taskDone).as("Didn't appear to mark all tasks done")
                        .isInstanceOf(IllegalStateException.class);
                sleep(0);
                assertThat(joinTask.done()).isTrue();
                joinTask.await();
            });
        }
    }

    @Nested
    class QueueShutdownTests extends ShutdownTests {
        @Override
        Queue<String> newQueue(int maxsize) {
            return new Queue<>(maxsize);
        }
    }

    @Nested
    class LifoQueueShutdownTests extends ShutdownTests {
        @Override
        Queue<String> newQueue(int maxsize) {
            return new LifoQueue<>(maxsize);
        }
    }

    @Nested
    class PriorityQueueShutdownTests extends ShutdownTests {
        @Override
        Queue<String> newQueue(int maxsize) {
            return new PriorityQueue<>(maxsize, java.util.Comparator.naturalOrder());
        }
    }
}
