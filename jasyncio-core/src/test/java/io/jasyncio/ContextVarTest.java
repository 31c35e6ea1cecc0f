package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.toThread;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ContextVarTest {
    static final ContextVar<String> REQUEST = new ContextVar<>("request");
    static final ContextVar<Integer> DEPTH = new ContextVar<>("depth", 0);

    @Test
    void getSetResetAndDefaults() {
        TestLoop.run(() -> {
            assertThatThrownBy(REQUEST::get).isInstanceOf(NoSuchElementException.class).hasMessageContaining("request");
            assertThat(REQUEST.get("fallback")).isEqualTo("fallback");
            assertThat(DEPTH.get()).isZero();
            ContextVar.Token<String> t1 = REQUEST.set("a");
            ContextVar.Token<String> t2 = REQUEST.set("b");
            assertThat(REQUEST.get()).isEqualTo("b");
            assertThat(t2.getOldValue()).isEqualTo("a");
            REQUEST.reset(t2);
            assertThat(REQUEST.get()).isEqualTo("a");
            assertThatThrownBy(() -> REQUEST.reset(t2)).isInstanceOf(IllegalStateException.class).hasMessageContaining("already been used");
            REQUEST.reset(t1);
            assertThat(REQUEST.get(null)).isNull();
            assertThatThrownBy(() -> REQUEST.set(null)).isInstanceOf(NullPointerException.class);
            return null;
        });
    }

    @Test
    void eachTaskRunsInACopyOfItsCreatorsContext() {
        TestLoop.run(() -> {
            REQUEST.set("parent");
            List<String> seen = new ArrayList<>();
            Task<Void> child = createTask(() -> {
                seen.add("child sees " + REQUEST.get());
                REQUEST.set("child");
                sleep(1);
                seen.add("child keeps " + REQUEST.get());
                createTask(() -> {
                    seen.add("grandchild sees " + REQUEST.get());
                    return null;
                }).await();
                return null;
            });
            Task<Void> sibling = createTask(() -> {
                sleep(0.5);
                seen.add("sibling sees " + REQUEST.get());
                return null;
            });
            REQUEST.set("parent changed later");
            child.await();
            sibling.await();
            assertThat(seen).containsExactly("child sees parent", "sibling sees parent", "child keeps child", "grandchild sees child");
            assertThat(REQUEST.get()).isEqualTo("parent changed later");
            return null;
        });
    }

    @Test
    void interleavedTasksKeepTheirOwnValues() {
        TestLoop.run(() -> {
            List<Task<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String mine = "task-" + i;
                tasks.add(createTask(() -> {
                    REQUEST.set(mine);
                    for (int k = 0; k < 5; k++) {
                        yieldNow();
                        if (!REQUEST.get().equals(mine)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            assertThat(Asyncio.gather(tasks)).containsOnly(true);
            return null;
        });
    }

    @Test
    void callbacksRunInTheContextTheyWereScheduledIn() {
        TestLoop.run(() -> {
            REQUEST.set("scheduling");
            List<String> seen = new ArrayList<>();
            getRunningLoop().callSoon(() -> seen.add(REQUEST.get("none")));
            Context other = new Context();
            other.run(() -> REQUEST.set("explicit"));
            getRunningLoop().callSoon(() -> seen.add(REQUEST.get("none")), other);
            sleep(0.1);
            assertThat(seen).containsExactly("scheduling", "explicit");
            return null;
        });
    }

    @Test
    void contextRunIsolatesChangesAndRefusesReentry() {
        TestLoop.run(() -> {
            REQUEST.set("outer");
            Context copy = Context.copyContext();
            copy.run(() -> {
                assertThat(REQUEST.get()).isEqualTo("outer");
                REQUEST.set("inside copy");
                assertThatThrownBy(() -> copy.run(() -> null)).isInstanceOf(IllegalStateException.class).hasMessageContaining("already entered");
                return null;
            });
            assertThat(REQUEST.get()).isEqualTo("outer");
            assertThat(copy.get(REQUEST)).isEqualTo("inside copy");
            return null;
        });
    }

    @Test
    void toThreadCarriesTheContextToTheWorker() {
        TestLoop.run(() -> {
            REQUEST.set("carried");
            String onWorker = toThread(REQUEST::get);
            assertThat(onWorker).isEqualTo("carried");
            assertThat(toThread(() -> {
                REQUEST.set("changed on the worker");
                return REQUEST.get();
            })).isEqualTo("changed on the worker");
            assertThat(REQUEST.get()).isEqualTo("carried");
            return null;
        });
    }

    @Test
    void resetWithATokenFromAnotherContextIsRefused() {
        TestLoop.run(() -> {
            ContextVar.Token<String> token = REQUEST.set("x");
            createTask(() -> {
                assertThatThrownBy(() -> REQUEST.reset(token)).isInstanceOf(IllegalStateException.class).hasMessageContaining("different Context");
                return null;
            }).await();
            ContextVar<String> other = new ContextVar<>("other");
            assertThatThrownBy(() -> other.reset((ContextVar.Token) token)).isInstanceOf(IllegalArgumentException.class);
            return null;
        });
    }

    // ---------------------------------------------------------------- thread bindings (MDC-style)

    @Test
    void aThreadLocalBoundToAContextVarFollowsEachTaskAndItsWorkerThreads() {
        ContextVar<String> requestId = new ContextVar<>("requestId");
        ThreadLocal<String> mdc = new ThreadLocal<>();
        ThreadBinding binding = ThreadBinding.of(requestId, mdc);
        Context.addThreadBinding(binding);
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.jasyncio.test.mdc");
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add("[" + mdc.get() + "] " + r.getMessage()); // what an MDC-based layout would print
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        jul.addHandler(handler);
        jul.setUseParentHandlers(false);
        System.Logger log = System.getLogger("io.jasyncio.test.mdc");
        try {
            TestLoop.run(TestLoop.options().withVirtualTime(false), () -> {
                List<Task<String>> requests = new ArrayList<>();
                for (String id : List.of("req-1", "req-2")) {
                    requests.add(Asyncio.createTask(() -> {
                        requestId.set(id);
                        log.log(System.Logger.Level.INFO, "start");
                        Asyncio.sleep(0.01); // the other request runs meanwhile on the same thread
                        String onWorker = Asyncio.toThread(() -> {
                            log.log(System.Logger.Level.INFO, "blocking work");
                            return mdc.get();
                        });
                        log.log(System.Logger.Level.INFO, "done");
                        return onWorker;
                    }));
                }
                assertThat(Asyncio.gather(requests)).containsExactly("req-1", "req-2");
                assertThat(mdc.get()).as("the main task never set it").isNull();
                return null;
            });
            assertThat(logged).containsExactlyInAnyOrder("[req-1] start", "[req-2] start", "[req-1] blocking work",
                    "[req-2] blocking work", "[req-1] done", "[req-2] done");
            assertThat(mdc.get()).as("nothing left on the test thread").isNull();
        } finally {
            jul.removeHandler(handler);
            assertThat(Context.removeThreadBinding(binding)).isTrue();
        }
    }
}
