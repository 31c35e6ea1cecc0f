package io.jasyncio;

import io.jasyncio.internal.WaitQueue;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A channel between tasks: Kotlin's {@code Channel}, trio's memory channels. Bounded
 * ({@link #bounded(int)}), {@linkplain #unbounded() unbounded}, or {@linkplain #rendezvous()
 * rendezvous} (no buffer: a send completes when a receiver takes the element). {@link #send} suspends
 * while the channel is full, {@link #receive} while it is empty; {@link #close(Throwable)} ends it
 * with a cause the receivers get; a plain for-each receives until the channel is closed and drained.
 * {@link Select} waits on several channel operations at once, with a timeout. Not a
 * {@link Queue}: a queue has no end and no rendezvous, a channel has both.
 *
 * {@snippet class=io.jasyncio.snippets.ApiSnippets region=channel}
 *
 * <h2>States</h2>
 * <pre>
 *  state   | send                        | receive                                  | next
 *  OPEN    | buffers, or waits for room  | takes, or waits for an element           | CLOSED (close)
 *  CLOSED  | throws ChannelClosedException | takes what is left (buffered elements and | -
 *          |                             | sends already waiting), then throws       |
 * </pre>
 * {@link #close(Throwable)} is the sending side's end (what was sent is still received);
 * {@link #cancel(Throwable)} the receiving side's (what was not received yet is dropped, and waiting
 * senders fail).
 *
 * <h2>Cancellation: nothing is lost, nothing is duplicated</h2>
 * <ul>
 *   <li>A receive cancelled while waiting takes nothing: the element stays in the channel, and a
 *       wake-up it had been given passes to the next receiver ({@code WaitQueue}'s rule).</li>
 *   <li>A send cancelled before a receiver (or the buffer) took its element withdraws it: the
 *       element is not in the channel and the {@link CancelledError} propagates. A send whose
 *       element was already taken has happened: it returns normally, and the cancellation is thrown at
 *       the task's next suspension (trio's rule: an operation either happens or raises).</li>
 * </ul>
 * Elements are delivered in the order they were sent (a waiting sender's element goes into the
 * buffer, in order, as soon as there is room).
 *
 * <p>Threading: loop-confined, like every primitive. Elements must not be null.
 *
 * <p>Implementation notes: receivers wait in a {@code WaitQueue} (a wake-up is a hint: a woken
 * receiver takes an element only when it runs, so a receiver cancelled after its wake-up cannot lose
 * one). A sender that must wait leaves an {@code Offer} in {@code offers}; a receiver (or the room it
 * makes in the buffer) claims the offer by completing the sender's selection future, which fails if
 * the sender was cancelled first, so each element is taken exactly once. A {@link Select} leaves an
 * offer on each channel it sends to, sharing one selection future, so at most one of them is claimed.
 * The room a send sees is the free buffer space plus the receivers waiting and not yet woken: an element
 * handed to a waiting receiver goes through the buffer, so a rendezvous send to a waiting receiver
 * completes at once, and if that receiver is cancelled the element waits in the buffer for the next.
 *
 * @param <E> the element type
 */
public final class Channel<E> implements AsyncIterable<E> {
    /** What {@link #takeNow()} returns when there is nothing to take. */
    static final Object NOTHING = new Object();

    /** A waiting send: its element, claimed by completing {@code selection} with {@code clause}. */
    static final class Offer<E> {
        final E element;
        final Future<Integer> selection;
        final int clause;

        Offer(E element, Future<Integer> selection, int clause) {
            this.element = element;
            this.selection = selection;
            this.clause = clause;
        }

        boolean claim() {
            return selection.trySetResult(clause);
        }
    }

    /** Buffer capacity; {@link Integer#MAX_VALUE} for unbounded; 0 for rendezvous. */
    private final int capacity;
    private final ArrayDeque<E> buffer = new ArrayDeque<>();
    private final ArrayDeque<Offer<E>> offers = new ArrayDeque<>();
    final WaitQueue receivers = new WaitQueue("Channel.receive", this);
    private boolean closed;
    private Throwable closeCause;

    private Channel(int capacity) {
        this.capacity = capacity;
    }

    /** A channel that buffers up to {@code capacity} elements (0: a {@linkplain #rendezvous() rendezvous}). */
    public static <E> Channel<E> bounded(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("channel capacity must be >= 0, not " + capacity);
        }
        return new Channel<>(capacity);
    }

    /** A channel whose sends never wait: memory grows with what the receivers have not taken. */
    public static <E> Channel<E> unbounded() {
        return new Channel<>(Integer.MAX_VALUE);
    }

    /** A channel without a buffer: each send waits until a receiver takes its element (Kotlin's default). */
    public static <E> Channel<E> rendezvous() {
        return new Channel<>(0);
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends {@code element}, suspending while the channel is full (for a rendezvous channel: until a
     * receiver takes it).
     *
     * <p>Cancellation: see the class comment: the element is either in the channel and the send
     * returns, or withdrawn and the {@link CancelledError} propagates.
     *
     * @throws ChannelClosedException if the channel is closed when it is called (a send already
     *         waiting when the channel closes stays, and is still received)
     */
    public void send(E element) {
        Objects.requireNonNull(element, "a channel's elements must not be null");
        if (sendNow(element)) {
            return;
        }
        EventLoop loop = Asyncio.getRunningLoop();
        Future<Integer> selection = loop.createFuture();
        Offer<E> offer = new Offer<>(element, selection, 0);
        addOffer(offer);
        try {
            selection.await();
        } catch (CancelledError e) {
            if (selection.done() && !selection.cancelled()) {
                Task.currentOrThrow("send()").deliverCancellationLater(e); // taken: the send happened
                return;
            }
            offers.remove(offer);
            throw e;
        }
    }

    /**
     * Sends {@code element} if that needs no waiting; false if the channel is full or closed (a
     * rendezvous channel has room only while a receiver waits). Never suspends.
     */
    public boolean trySend(E element) {
        Objects.requireNonNull(element, "a channel's elements must not be null");
        return !closed && sendNow(element);
    }

    /** Buffers {@code element} if there is room; throws if closed. */
    boolean sendNow(E element) {
        if (closed) {
            throw closedForSend();
        }
        if (!hasLiveOffer() && (long) buffer.size() < (long) capacity + receivers.size()) {
            buffer.addLast(element);
            receivers.wakeOne();
            return true;
        }
        return false;
    }

    /** A sender (or a select) waits with {@code offer}: a receiver may take it now. */
    void addOffer(Offer<E> offer) {
        offers.addLast(offer);
        receivers.wakeOne();
    }

    void removeOffer(Offer<E> offer) {
        offers.remove(offer);
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Receives the next element, suspending while the channel is empty.
     *
     * <p>Cancellation: takes nothing; see the class comment.
     *
     * @throws ChannelClosedException once the channel is closed and every element was received; its
     *         cause is the one given to {@link #close(Throwable)}
     */
    @SuppressWarnings("unchecked")
    public E receive() {
        EventLoop loop = Asyncio.getRunningLoop();
        while (true) {
            Object e = takeNow();
            if (e != NOTHING) {
                return (E) e;
            }
            receivers.park(loop, this::passOnWakeUp);
        }
    }

    /** The next element if one is there now, else null (also when closed and drained). Never suspends. */
    @SuppressWarnings("unchecked")
    public E tryReceive() {
        if (!hasElements()) {
            return null;
        }
        return (E) takeNow();
    }

    /**
     * Takes the next element, or returns {@link #NOTHING}; throws if the channel is closed and drained.
     * Refills the buffer from waiting senders, in order, and wakes the next receiver if more is left.
     */
    Object takeNow() {
        E e = buffer.pollFirst();
        if (e == null) {
            Offer<E> o = claimFirstOffer();
            if (o == null) {
                if (closed) {
                    throw closedForReceive();
                }
                return NOTHING;
            }
            e = o.element;
        }
        while (buffer.size() < capacity) {
            Offer<E> o = claimFirstOffer();
            if (o == null) {
                break;
            }
            buffer.addLast(o.element);
        }
        passOnWakeUp();
        return e;
    }

    private Offer<E> claimFirstOffer() {
        Offer<E> o;
        while ((o = offers.pollFirst()) != null) {
            if (o.claim()) {
                return o;
            }
        }
        return null;
    }

    /** An element a receiver could take now: buffered, or offered by a waiting sender. */
    boolean hasElements() {
        return !buffer.isEmpty() || hasLiveOffer();
    }

    /** A waiting sender whose offer can still be claimed (a select's other offers die when one is). */
    private boolean hasLiveOffer() {
        for (Offer<E> o : offers) {
            if (!o.selection.done()) {
                return true;
            }
        }
        return false;
    }

    /** A wake-up a receiver will not use goes to the next one, if there is anything to act on (or the end). */
    void passOnWakeUp() {
        if (hasElements() || closed) {
            receivers.wakeOne();
        }
    }

    // ---------------------------------------------------------------- closing

    /** Closes the channel without a cause: receivers drain it, then their for-each loops end. False if already closed. */
    public boolean close() {
        return close(null);
    }

    /**
     * Closes the channel: no more sends (they throw {@link ChannelClosedException}); elements already
     * buffered and sends already waiting are still received; after them, a receive throws
     * {@link ChannelClosedException} whose cause is {@code cause}, and a for-each over the channel ends
     * (normally without a cause, with that exception with one). Returns false if already closed (the
     * first cause stays).
     */
    public boolean close(Throwable cause) {
        if (closed) {
            return false;
        }
        closed = true;
        closeCause = cause;
        receivers.wakeAll();
        return true;
    }

    /**
     * Closes the channel from the receiving side (Kotlin's {@code cancel}, trio's closing of the
     * receive channel): the consumer is gone, so the elements buffered are dropped, every send
     * waiting now throws {@link ChannelClosedException} (its element was not delivered), later sends
     * throw, and receivers get the end at once. {@code cause} (may be null) is the cause they all see.
     * Returns how many elements were dropped (buffered or offered by waiting senders).
     */
    public int cancel(Throwable cause) {
        close(cause);
        int dropped = buffer.size();
        buffer.clear();
        Offer<E> o;
        while ((o = offers.pollFirst()) != null) {
            if (!o.selection.done()) {
                dropped++;
                o.selection.setException(new ChannelClosedException("the channel was cancelled by its receiving side"
                        + causeText() + ": the element was not delivered", closeCause));
            }
        }
        return dropped;
    }

    /** True once {@link #close} was called. */
    public boolean isClosedForSend() {
        return closed;
    }

    /** True once closed and every element was received. */
    public boolean isClosedForReceive() {
        return closed && !hasElements();
    }

    private ChannelClosedException closedForSend() {
        return new ChannelClosedException("send to a closed channel" + causeText(), closeCause);
    }

    private ChannelClosedException closedForReceive() {
        return new ChannelClosedException("the channel is closed and drained" + causeText(), closeCause);
    }

    private String causeText() {
        return closeCause == null ? "" : " (closed because of: " + closeCause + ")";
    }

    /** Elements buffered now (not counting senders waiting). */
    public int size() {
        return buffer.size();
    }

    /** The buffer's capacity: 0 for rendezvous, {@link Integer#MAX_VALUE} for unbounded. */
    public int capacity() {
        return capacity;
    }

    // ---------------------------------------------------------------- iteration

    /**
     * Receives until the channel is closed and drained: {@code for (E e : channel)}. {@code hasNext()}
     * suspends; it returns false at a close without a cause and throws {@link ChannelClosedException}
     * at a close with one. Cancellation: as {@link #receive()}.
     */
    @Override
    public AsyncIterator<E> iterator() {
        return new AsyncIterator<>() {
            private E next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (ended) {
                    return false;
                }
                try {
                    next = receive();
                    return true;
                } catch (ChannelClosedException end) {
                    ended = true;
                    if (end.getCause() != null) {
                        throw end;
                    }
                    return false;
                }
            }

            @Override
            public E next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the channel is closed and drained");
                }
                E e = next;
                next = null;
                return e;
            }

            @Override
            public void close() {
                ended = true;
            }
        };
    }

    @Override
    public String toString() {
        String kind = capacity == 0 ? "rendezvous" : capacity == Integer.MAX_VALUE ? "unbounded" : "capacity=" + capacity;
        return "Channel[" + kind + ", buffered=" + buffer.size() + ", waitingSenders=" + offers.size()
                + ", waitingReceivers=" + receivers.size() + (closed ? ", closed" : "") + "]";
    }
}
