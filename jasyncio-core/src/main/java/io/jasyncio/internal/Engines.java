package io.jasyncio.internal;

import java.lang.System.Logger.Level;

/**
 * Chooses the coroutine engine once per JVM: the one forced by {@code -Djasyncio.engine}, else
 * the continuation engine when {@code jdk.internal.vm} is exported to the library, else the
 * virtual-thread engine. Quiet by default: the choice is logged at DEBUG, except that falling back
 * to the slower virtual-thread engine logs one INFO line with the exact flag that gives the fast one.
 */
public final class Engines {
    private Engines() {}

    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    private static final class Holder {
        static final Engine SELECTED = select();
    }

    /** The engine every new loop uses unless its options name another. */
    public static Engine selected() {
        return Holder.SELECTED;
    }

    /** A fresh engine of the given name: {@code continuation} or {@code virtual}. */
    public static Engine byName(String name) {
        return switch (name) {
            case "continuation" -> new ContinuationEngine();
            case "virtual" -> new VirtualThreadEngine();
            default -> throw new IllegalArgumentException(
                    "unknown engine '" + name + "': use continuation or virtual");
        };
    }

    /** The JVM flag that enables the continuation engine for the way this library was loaded. */
    public static String exportFlag() {
        Module module = Engines.class.getModule();
        String target = module.isNamed() ? module.getName() : "ALL-UNNAMED";
        return "--add-exports java.base/jdk.internal.vm=" + target;
    }

    private static Engine select() {
        String forced = System.getProperty(Config.ENGINE);
        if (forced != null && !forced.isBlank()) {
            Engine engine = byName(forced.trim());
            LOG.log(Level.DEBUG, "jasyncio: using the {0} engine (forced by -D{1})", engine.name(), Config.ENGINE);
            return engine;
        }
        if (ContinuationEngine.unavailableReason() == null) {
            LOG.log(Level.DEBUG, "jasyncio: using the continuation engine");
            return new ContinuationEngine();
        }
        LOG.log(Level.INFO, "jasyncio: using the virtual-thread engine; for the faster continuation engine run java with {0}"
                + " (or Add-Exports: java.base/jdk.internal.vm in an executable jar''s manifest)", exportFlag());
        return new VirtualThreadEngine();
    }
}
