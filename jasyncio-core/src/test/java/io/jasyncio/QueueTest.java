package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class QueueTest {

    @Test
    void fifoLifoAndPriorityOrder() {
        TestLoop.run(() -> {
            Queue<Integer> fifo = new Queue<>();
            LifoQueue<Integer> lifo = new LifoQueue<>();
            PriorityQueue<Integer> prio = new PriorityQueue<>();
            PriorityQueue<String> byLength = new PriorityQueue<>(0, Comparator.comparing(String::length));
            for (int i : new int[] {3, 1, 2}) {
                fifo.put(i);
                lifo.put(i);
                prio.put(i);
            }
            byLength.put("ccc");
            byLength.put("a");
            assertThat(List.of(fifo.get(), fifo.get(), fifo.get())).containsExactly(3, 1, 2);
            assertThat(List.of(lifo.get(), lifo.get(), lifo.get())).containsExactly(2, 1, 3);
            assertThat(List.of(prio.get(), prio.get(), prio.get())).containsExactly(1, 2, 3);
            assertThat(byLength.get()).isEqualTo("a");
            return null;
        });
    }

    @Test
    void boundedQueueSuspendsPutWhileFull() {
        TestLoop.run(() -> {
            Queue<Integer> q = new Queue<>(2);
            q.put(1);
            q.put(2);
            assertThat(q.full()).isTrue();
            Task<Void> putter = createTask(() -> {
                q.put(3);
                return null;
            });
            sleep(1);
            assertThat(putter.done()).isFalse();
            assertThat(q.get()).isEqualTo(1);
            putter.await();
            assertThat(q.qsize()).isEqualTo(2);
            return null;
        });
    }

    @Test
    void nowaitVariantsThrow() {
        TestLoop.run(() -> {
            Queue<Integer> q = new Queue<>(1);
            assertThatThrownBy(q::getNowait).isInstanceOf(QueueEmptyException.class);
            q.putNowait(1);
            assertThatThrownBy(() -> q.putNowait(2)).isInstanceOf(QueueFullException.class);
            assertThatThrownBy(() -> q.put(null)).isInstanceOf(NullPointerException.class).hasMessage("item");
            assertThatThrownBy(() -> new Queue<Integer>(-1)).isInstanceOf(IllegalArgumentException.class);
            return null;
        });
    }

    @Test
    void cancelledGetLosesNoItem() {
        TestLoop.run(() -> {
            Queue<String> q = new Queue<>();
            Task<String> a = createTask(q::get);
            Task<String> b = createTask(q::get);
            yieldNow();
            q.putNowait("x"); // wakes a ...
            a.cancel();        // ... which is cancelled before taking it
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class);
            assertThat(b.await()).isEqualTo("x");
            assertThat(q.empty()).isTrue();
            return null;
        });
    }

    @Test
    void cancelledPutInsertsNothing() {
        TestLoop.run(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("first");
            Task<Void> a = createTask(() -> {
                q.put("cancelled");
                return null;
            });
            Task<Void> b = createTask(() -> {
                q.put("second");
                return null;
            });
            yieldNow();
            assertThat(q.get()).isEqualTo("first"); // wakes a ...
            a.cancel();                              // ... which is cancelled
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class);
            b.await();
            assertThat(q.get()).isEqualTo("second");
            assertThat(q.empty()).isTrue();
            return null;
        });
    }

    @Test
    void joinWaitsForTaskDone() {
        TestLoop.run(() -> {
            Queue<Integer> q = new Queue<>();
            List<Integer> done = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                q.put(i);
            }
            Task<Object> worker = createTask(() -> {
                while (true) {
                    int item = q.get();
                    sleep(1);
                    done.add(item);
                    q.taskDone();
                }
            });
            q.join();
            worker.cancel();
            assertThat(done).containsExactly(0, 1, 2, 3, 4);
            assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class).hasMessageContaining("more often than items were put");
            assertThatThrownBy(worker::await).isInstanceOf(CancelledError.class);
            return null;
        });
    }

    @Test
    void shutdownLetsGettersDrainThenEndsIteration() {
        TestLoop.run(() -> {
            Queue<Integer> q = new Queue<>();
            List<Integer> seen = new ArrayList<>();
            Task<Void> consumer = createTask(() -> {
                for (int item : q) {
                    seen.add(item);
                    q.taskDone();
                }
                return null;
            });
            q.put(1);
            q.put(2);
            q.shutdown();
            assertThatThrownBy(() -> q.put(3)).isInstanceOf(QueueShutDownException.class);
            consumer.await();
            assertThat(seen).containsExactly(1, 2);
            assertThatThrownBy(q::get).isInstanceOf(QueueShutDownException.class);
            return null;
        });
    }

    @Test
    void immediateShutdownDiscardsItemsWakesEveryoneAndReleasesJoin() {
        TestLoop.run(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.put(1);
            Task<Void> putter = createTask(() -> {
                q.put(2);
                return null;
            });
            Task<Void> joiner = createTask(() -> {
                q.join();
                return null;
            });
            Queue<Integer> empty = new Queue<>();
            Task<Integer> getter = createTask(empty::get);
            yieldNow();
            q.shutdown(true);
            empty.shutdown(true);
            assertThatThrownBy(putter::await).isInstanceOf(QueueShutDownException.class);
            assertThatThrownBy(getter::await).isInstanceOf(QueueShutDownException.class);
            joiner.await();
            assertThat(q.empty()).isTrue();
            return null;
        });
    }

    @Test
    void producersAndConsumersMoveEveryItemOnce() {
        TestLoop.run(() -> {
            Queue<Integer> q = new Queue<>(3);
            List<Integer> got = new ArrayList<>();
            List<Task<Void>> producers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                int base = p * 1000;
                producers.add(createTask(() -> {
                    for (int i = 0; i < 250; i++) {
                        q.put(base + i);
                    }
                    return null;
                }));
            }
            List<Task<Void>> consumers = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                consumers.add(createTask(() -> {
                    for (int item : q) {
                        got.add(item);
                        yieldNow();
                    }
                    return null;
                }));
            }
            gather(producers);
            q.shutdown();
            gather(consumers);
            assertThat(got).hasSize(1000).doesNotHaveDuplicates();
            return null;
        });
    }
}
