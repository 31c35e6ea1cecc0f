package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.test.StrictLoop;
import io.jasyncio.testsupport.StressScale;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Selects over two channels, with send and receive clauses and timeouts, under random cancellations:
 * every element whose send completed (a plain send or a send clause that returned) is received exactly
 * once, and nothing else is. Rounds scale with {@code -Djasyncio.stress.scale}.
 */
class ChannelStressTest {

    @Test
    void selectsUnderRandomCancellationNeitherLoseNorDuplicate() {
        int rounds = 10 * StressScale.factor();
        for (int capacity : new int[] {0, 2}) {
            for (int round = 0; round < rounds; round++) {
                long seed = round * 7919L + capacity;
                StrictLoop.run(StrictLoop.virtualTime(), () -> {
                    Random random = new Random(seed);
                    List<Channel<Integer>> channels = List.of(Channel.bounded(capacity), Channel.bounded(capacity));
                    List<Integer> sent = new ArrayList<>();
                    List<Integer> received = new ArrayList<>();
                    List<Task<Void>> tasks = new ArrayList<>();
                    for (int p = 0; p < 3; p++) {
                        int base = p * 10_000;
                        tasks.add(createTask(() -> {
                            for (int i = 0; i < 40; i++) {
                                int value = base + i;
                                if (value % 2 == 0) {
                                    channels.get(value % 4 == 0 ? 0 : 1).send(value);
                                    sent.add(value);
                                } else {
                                    boolean done = new Select<Boolean>()
                                            .onSend(channels.get(0), value, () -> true)
                                            .onSend(channels.get(1), value, () -> true)
                                            .onTimeout(Duration.ofMillis(5), () -> false)
                                            .await();
                                    if (done) {
                                        sent.add(value);
                                    }
                                }
                            }
                            return null;
                        }));
                    }
                    for (int c = 0; c < 3; c++) {
                        tasks.add(createTask(() -> {
                            while (true) {
                                Integer got = new Select<Integer>()
                                        .onReceive(channels.get(0), v -> v)
                                        .onReceive(channels.get(1), v -> v)
                                        .onTimeout(Duration.ofMillis(3), () -> null)
                                        .await();
                                if (got != null) {
                                    received.add(got);
                                }
                            }
                        }));
                    }
                    for (int step = 0; step < 300; step++) {
                        if (random.nextInt(8) == 0) {
                            tasks.get(random.nextInt(tasks.size())).cancel();
                        }
                        if (random.nextBoolean()) {
                            yieldNow();
                        } else {
                            Asyncio.sleep(0.001);
                        }
                    }
                    for (Task<Void> t : tasks) {
                        t.cancel();
                    }
                    for (Task<Void> t : tasks) {
                        try {
                            t.await();
                        } catch (CancelledError stopped) {
                            // expected
                        }
                    }
                    for (Channel<Integer> ch : channels) {
                        Integer rest;
                        while ((rest = ch.tryReceive()) != null) {
                            received.add(rest);
                        }
                    }
                    assertThat(sent).as("the round did some work").isNotEmpty();
                    assertThat(received).as("seed %d", seed).doesNotHaveDuplicates();
                    assertThat(received).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(sent);
                    return null;
                });
            }
        }
    }
}
