package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.test.StrictLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Select over channel operations and a timeout: exactly one clause happens; nothing is lost. */
class SelectTest {

    private static void settle() {
        for (int i = 0; i < 10; i++) {
            yieldNow();
        }
    }

    @Test
    void receivesFromWhicheverChannelDeliversFirst() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> a = Channel.rendezvous();
            Channel<String> b = Channel.rendezvous();
            createTask(() -> {
                sleep(5);
                b.send("from b");
                return null;
            });
            String got = new Select<String>()
                    .onReceive(a, x -> "a:" + x)
                    .onReceive(b, x -> "b:" + x)
                    .await();
            assertThat(got).isEqualTo("b:from b");
            assertThat(a.trySend("x")).as("the select left a's receiver line").isFalse();
            return null;
        });
    }

    @Test
    void timesOutWhenNothingArrivesAndTakesNothingAfterwards() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> a = Channel.unbounded();
            EventLoop loop = Asyncio.getRunningLoop();
            double start = loop.time();
            String got = new Select<String>()
                    .onReceive(a, x -> x)
                    .onTimeout(Duration.ofSeconds(3), () -> "timeout")
                    .await();
            assertThat(got).isEqualTo("timeout");
            assertThat(loop.time() - start).isGreaterThanOrEqualTo(3.0);
            a.send("later");
            assertThat(a.receive()).isEqualTo("later");
            return null;
        });
    }

    @Test
    void aZeroTimeoutTakesOnlyWhatIsReady() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<Integer> a = Channel.bounded(1);
            Select<String> empty = new Select<String>().onReceive(a, x -> "got " + x).onTimeout(Duration.ZERO, () -> "none");
            assertThat(empty.await()).isEqualTo("none");
            a.send(1);
            assertThat(new Select<String>().onReceive(a, x -> "got " + x).onTimeout(Duration.ZERO, () -> "none").await())
                    .isEqualTo("got 1");
            return null;
        });
    }

    @Test
    void theFirstReadyClauseWins() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<Integer> a = Channel.unbounded();
            Channel<Integer> b = Channel.unbounded();
            a.send(1);
            b.send(2);
            assertThat(new Select<Integer>().onReceive(b, x -> x).onReceive(a, x -> x).await()).isEqualTo(2);
            assertThat(a.receive()).as("the other channel kept its element").isEqualTo(1);
            return null;
        });
    }

    @Test
    void sendClauseHappensWhenAReceiverTakesTheElement() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> out = Channel.rendezvous();
            Channel<String> in = Channel.rendezvous();
            Task<String> consumer = createTask(() -> {
                sleep(2);
                return out.receive();
            });
            String what = new Select<String>()
                    .onSend(out, "job", () -> "sent")
                    .onReceive(in, x -> "received " + x)
                    .await();
            assertThat(what).isEqualTo("sent");
            assertThat(consumer.await()).isEqualTo("job");
            return null;
        });
    }

    @Test
    void onlyOneOfTwoSendClausesHappens() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> a = Channel.rendezvous();
            Channel<String> b = Channel.rendezvous();
            Task<String> choice = createTask(() -> new Select<String>()
                    .onSend(a, "to a", () -> "a")
                    .onSend(b, "to b", () -> "b")
                    .await());
            settle();
            assertThat(b.receive()).isEqualTo("to b");
            assertThat(choice.await()).isEqualTo("b");
            assertThat(a.tryReceive()).as("the offer on a was withdrawn").isNull();
            return null;
        });
    }

    @Test
    void aCancelledSelectTakesNothingAndPassesItsWakeUpOn() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> a = Channel.unbounded();
            Channel<String> b = Channel.unbounded();
            Task<String> selecting = createTask(() -> new Select<String>().onReceive(a, x -> x).onReceive(b, x -> x).await());
            settle();
            Task<String> plain = createTask(a::receive);
            settle();
            a.send("one");       // wakes the select, which waited first
            selecting.cancel();  // before it runs
            assertThatThrownBy(selecting::await).isInstanceOf(CancelledError.class);
            assertThat(plain.await()).isEqualTo("one");
            return null;
        });
    }

    @Test
    void aCancelledSelectWithdrawsItsOffers() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> a = Channel.rendezvous();
            Task<String> selecting = createTask(() -> new Select<String>().onSend(a, "never", () -> "sent").await());
            settle();
            selecting.cancel();
            assertThatThrownBy(selecting::await).isInstanceOf(CancelledError.class);
            assertThat(a.tryReceive()).isNull();
            return null;
        });
    }

    @Test
    void aSendClauseTakenJustBeforeTheCancellationHappened() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> a = Channel.rendezvous();
            List<String> log = new ArrayList<>();
            Task<Void> selecting = createTask(() -> {
                log.add(new Select<String>().onSend(a, "x", () -> "handler ran").await());
                yieldNow();
                log.add("not reached");
                return null;
            });
            settle();
            assertThat(a.tryReceive()).isEqualTo("x");
            selecting.cancel();
            assertThatThrownBy(selecting::await).isInstanceOf(CancelledError.class);
            assertThat(log).containsExactly("handler ran");
            return null;
        });
    }

    @Test
    void aClosedChannelEndsTheSelectWithItsCause() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> a = Channel.rendezvous();
            Channel<String> b = Channel.rendezvous();
            IllegalStateException why = new IllegalStateException("gone");
            createTask(() -> {
                sleep(1);
                a.close(why);
                return null;
            });
            assertThatThrownBy(() -> new Select<String>().onReceive(a, x -> x).onReceive(b, x -> x).await())
                    .isInstanceOf(ChannelClosedException.class).hasCause(why);
            assertThatThrownBy(() -> new Select<String>().onSend(a, "x", () -> "sent").await())
                    .isInstanceOf(ChannelClosedException.class);
            return null;
        });
    }

    @Test
    void anOuterTimeoutCancelsAWaitingSelectCleanly() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            Channel<String> a = Channel.unbounded();
            String r = Asyncio.timeoutOrNull(Duration.ofSeconds(1),
                    () -> new Select<String>().onReceive(a, x -> x).await());
            assertThat(r).isNull();
            a.send("kept");
            assertThat(a.receive()).isEqualTo("kept");
            return null;
        });
    }

    @Test
    void misuseFailsAtTheCall() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            assertThatThrownBy(() -> new Select<String>().await()).isInstanceOf(IllegalStateException.class);
            Select<String> s = new Select<String>().onTimeout(Duration.ZERO, () -> "t");
            assertThatThrownBy(() -> s.onTimeout(Duration.ZERO, () -> "again")).isInstanceOf(IllegalStateException.class);
            assertThat(s.await()).isEqualTo("t");
            assertThatThrownBy(s::await).isInstanceOf(IllegalStateException.class).hasMessageContaining("once");
            assertThatThrownBy(() -> new Select<String>().onTimeout(Duration.ofSeconds(-1), () -> "")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Select<String>().onSend(Channel.unbounded(), null, () -> "")).isInstanceOf(NullPointerException.class);
            return null;
        });
    }
}
