package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.test.StrictLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Channels: bounded, unbounded and rendezvous; closing with a cause; iteration; and the rule that a
 * cancelled send or receive neither loses nor duplicates an element. Several cases follow trio's
 * {@code test_channel.py} (basics, close wakes the blocked, fairness, unbuffered, a cancelled receive
 * keeps its element).
 */
class ChannelTest {

    private static void settle() {
        for (int i = 0; i < 10; i++) {
            yieldNow();
        }
    }

    @Test
    void boundedChannelBuffersUpToItsCapacityThenSendWaits() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<Integer> ch = Channel.bounded(2);
            ch.send(1);
            ch.send(2);
            assertThat(ch.trySend(3)).as("full").isFalse();
            Task<Void> third = createTask(() -> {
                ch.send(3);
                return null;
            });
            settle();
            assertThat(third.done()).isFalse();
            assertThat(ch.receive()).isEqualTo(1);
            settle();
            assertThat(third.done()).as("the waiting sender's element moved into the buffer").isTrue();
            assertThat(ch.size()).isEqualTo(2);
            assertThat(ch.receive()).isEqualTo(2);
            assertThat(ch.receive()).isEqualTo(3);
            assertThat(ch.tryReceive()).isNull();
            return null;
        });
    }

    @Test
    void unboundedChannelNeverMakesASenderWait() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<Integer> ch = Channel.unbounded();
            for (int i = 0; i < 10_000; i++) {
                assertThat(ch.trySend(i)).isTrue();
            }
            assertThat(ch.size()).isEqualTo(10_000);
            for (int i = 0; i < 10_000; i++) {
                assertThat(ch.receive()).isEqualTo(i);
            }
            return null;
        });
    }

    @Test
    void rendezvousSendWaitsUntilAReceiverTakesTheElement() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> ch = Channel.rendezvous();
            assertThat(ch.trySend("x")).as("nobody is receiving").isFalse();
            Task<Void> sender = createTask(() -> {
                ch.send("hello");
                return null;
            });
            sleep(10);
            assertThat(sender.done()).isFalse();
            assertThat(ch.size()).isZero();
            assertThat(ch.receive()).isEqualTo("hello");
            sender.await();
            return null;
        });
    }

    @Test
    void rendezvousTrySendSucceedsWhileAReceiverWaits() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> ch = Channel.rendezvous();
            Task<String> receiver = createTask(ch::receive);
            settle();
            assertThat(ch.trySend("now")).isTrue();
            assertThat(ch.trySend("again")).as("only one receiver waits").isFalse();
            assertThat(receiver.await()).isEqualTo("now");
            return null;
        });
    }

    @Test
    void closeLetsReceiversDrainThenEndsTheirLoops() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<Integer> ch = Channel.bounded(5);
            ch.send(1);
            ch.send(2);
            assertThat(ch.close()).isTrue();
            assertThat(ch.close(new IllegalStateException("late"))).as("already closed").isFalse();
            assertThat(ch.isClosedForSend()).isTrue();
            assertThat(ch.isClosedForReceive()).isFalse();
            assertThatThrownBy(() -> ch.send(3)).isInstanceOf(ChannelClosedException.class).hasNoCause();
            assertThat(ch.trySend(3)).isFalse();
            List<Integer> got = new ArrayList<>();
            for (int x : ch) {
                got.add(x);
            }
            assertThat(got).containsExactly(1, 2);
            assertThat(ch.isClosedForReceive()).isTrue();
            assertThatThrownBy(ch::receive).isInstanceOf(ChannelClosedException.class);
            return null;
        });
    }

    @Test
    void closeWithACauseReachesEveryReceiverAndTheForEach() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<Integer> ch = Channel.rendezvous();
            IllegalStateException why = new IllegalStateException("producer failed");
            List<Task<Integer>> blocked = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                blocked.add(createTask(ch::receive));
            }
            settle();
            ch.close(why);
            for (Task<Integer> t : blocked) {
                assertThatThrownBy(t::await).isInstanceOf(ChannelClosedException.class).hasCause(why);
            }
            assertThatThrownBy(() -> {
                for (int x : ch) {
                    throw new AssertionError("nothing was sent: " + x);
                }
            }).isInstanceOf(ChannelClosedException.class).hasCause(why);
            return null;
        });
    }

    @Test
    void aSendAlreadyWaitingWhenTheChannelClosesIsStillDelivered() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> ch = Channel.bounded(1);
            ch.send("a");
            Task<Void> waiting = createTask(() -> {
                ch.send("b");
                return null;
            });
            settle();
            ch.close();
            assertThat(ch.receive()).isEqualTo("a");
            assertThat(ch.receive()).isEqualTo("b");
            waiting.await();
            assertThatThrownBy(ch::receive).isInstanceOf(ChannelClosedException.class);
            return null;
        });
    }

    @Test
    void cancelByTheReceivingSideDropsTheRestAndFailsWaitingSenders() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> ch = Channel.bounded(1);
            ch.send("buffered");
            Task<Void> waiting = createTask(() -> {
                ch.send("waiting");
                return null;
            });
            Channel<String> other = Channel.rendezvous();
            Task<String> selecting = createTask(() -> new Select<String>().onSend(ch, "selected", () -> "sent")
                    .onReceive(other, x -> x).await());
            settle();
            IllegalStateException why = new IllegalStateException("consumer stopped");
            assertThat(ch.cancel(why)).as("dropped").isEqualTo(3);
            assertThatThrownBy(waiting::await).isInstanceOf(ChannelClosedException.class).hasCause(why)
                    .hasMessageContaining("not delivered");
            assertThatThrownBy(selecting::await).isInstanceOf(ChannelClosedException.class);
            assertThatThrownBy(ch::receive).isInstanceOf(ChannelClosedException.class).hasCause(why);
            assertThatThrownBy(() -> ch.send("late")).isInstanceOf(ChannelClosedException.class);
            assertThat(ch.isClosedForReceive()).isTrue();
            return null;
        });
    }

    @Test
    void receiversAndSendersAreServedInArrivalOrder() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<Integer> ch = Channel.rendezvous();
            List<String> log = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int id = i;
                createTask(() -> {
                    log.add("r" + id + "=" + ch.receive());
                    return null;
                });
                settle();
            }
            for (int i = 0; i < 3; i++) {
                ch.send(i * 10);
            }
            settle();
            assertThat(log).containsExactly("r0=0", "r1=10", "r2=20");
            List<Task<Void>> senders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int v = i;
                senders.add(createTask(() -> {
                    ch.send(v);
                    return null;
                }));
                settle();
            }
            assertThat(List.of(ch.receive(), ch.receive(), ch.receive())).containsExactly(0, 1, 2);
            for (Task<Void> s : senders) {
                s.await();
            }
            return null;
        });
    }

    @Test
    void aReceiveCancelledAfterItWasWokenLeavesTheElementForTheNextReceiver() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> ch = Channel.unbounded();
            Task<String> first = createTask(ch::receive);
            Task<String> second = createTask(ch::receive);
            settle();
            ch.send("only");      // wakes first
            first.cancel();       // in the same turn, before it ran
            assertThatThrownBy(first::await).isInstanceOf(CancelledError.class);
            assertThat(second.await()).as("the wake-up passed on").isEqualTo("only");
            return null;
        });
    }

    @Test
    void aSendCancelledBeforeItsElementWasTakenWithdrawsIt() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> ch = Channel.rendezvous();
            Task<Void> sender = createTask(() -> {
                ch.send("withdrawn");
                return null;
            });
            settle();
            sender.cancel();
            assertThatThrownBy(sender::await).isInstanceOf(CancelledError.class);
            assertThat(ch.trySend("x")).isFalse();
            assertThat(ch.tryReceive()).as("the element left with its sender").isNull();
            return null;
        });
    }

    @Test
    void aSendCancelledAfterItsElementWasTakenHappenedAndIsCancelledAtTheNextSuspension() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> ch = Channel.rendezvous();
            List<String> log = new ArrayList<>();
            Task<Void> sender = createTask(() -> {
                ch.send("taken");
                log.add("send returned");
                yieldNow();
                log.add("not reached");
                return null;
            });
            settle();
            assertThat(ch.tryReceive()).isEqualTo("taken"); // claims the offer: the sender is woken
            sender.cancel();                                  // and cancelled before it runs
            assertThatThrownBy(sender::await).isInstanceOf(CancelledError.class);
            assertThat(log).containsExactly("send returned");
            return null;
        });
    }

    @Test
    void badArgumentsFailAtTheCall() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            assertThatThrownBy(() -> Channel.bounded(-1)).isInstanceOf(IllegalArgumentException.class);
            Channel<String> ch = Channel.bounded(1);
            assertThatThrownBy(() -> ch.send(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.trySend(null)).isInstanceOf(NullPointerException.class);
            assertThat(ch.toString()).contains("capacity=1");
            return null;
        });
    }

    /**
     * Producers and consumers cancelled at random moments: every element sent (send returned) is
     * received exactly once, every element withdrawn (send threw) never is.
     */
    @Test
    void randomCancellationsNeitherLoseNorDuplicateElements() {
        for (int capacity : new int[] {0, 1, 3}) {
            for (long seed = 1; seed <= 20; seed++) {
                long s = seed;
                StrictLoop.run(StrictLoop.virtualTime(), () -> {
                    Random random = new Random(s * 31 + capacity);
                    Channel<Integer> ch = Channel.bounded(capacity);
                    List<Integer> sent = new ArrayList<>();
                    List<Integer> received = new ArrayList<>();
                    List<Task<Void>> tasks = new ArrayList<>();
                    for (int p = 0; p < 4; p++) {
                        int base = p * 1000;
                        tasks.add(createTask(() -> {
                            for (int i = 0; i < 30; i++) {
                                ch.send(base + i);
                                sent.add(base + i);
                            }
                            return null;
                        }));
                    }
                    for (int c = 0; c < 3; c++) {
                        tasks.add(createTask(() -> {
                            while (true) {
                                received.add(ch.receive());
                            }
                        }));
                    }
                    for (int step = 0; step < 200; step++) {
                        if (random.nextInt(10) == 0) {
                            tasks.get(random.nextInt(tasks.size())).cancel();
                        }
                        yieldNow();
                    }
                    for (Task<Void> t : tasks) {
                        t.cancel();
                    }
                    for (Task<Void> t : tasks) {
                        try {
                            t.await();
                        } catch (CancelledError expected) {
                            // stopped
                        }
                    }
                    Integer rest;
                    while ((rest = ch.tryReceive()) != null) {
                        received.add(rest);
                    }
                    assertThat(received).as("seed %d capacity %d", s, capacity).doesNotHaveDuplicates();
                    // a send that returned was received; one that threw was not (a taken send returns)
                    assertThat(received).as("seed %d capacity %d", s, capacity).containsExactlyInAnyOrderElementsOf(sent);
                    return null;
                });
            }
        }
    }
}
