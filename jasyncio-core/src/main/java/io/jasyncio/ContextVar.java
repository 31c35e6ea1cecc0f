package io.jasyncio;

import java.util.Objects;

/**
 * A variable whose value depends on the task (more exactly, the {@link Context}) reading it:
 * Python's {@code contextvars.ContextVar}. Use it instead of {@link ThreadLocal}, which does not
 * follow tasks (and, with the virtual-thread engine, sees a different thread per task).
 *
 * <pre>{@code
 * static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id");
 * ...
 * ContextVar.Token<String> t = REQUEST_ID.set("r-42");
 * try { handle(); } finally { REQUEST_ID.reset(t); }
 * }</pre>
 *
 * Values are never null (Python has no null either); {@link #get()} without a value and without a
 * default throws {@link java.util.NoSuchElementException} (Python's {@code LookupError}).
 */
public final class ContextVar<T> {
    private final String name;
    private final T defaultValue;

    /** A variable without default. */
    public ContextVar(String name) {
        this(name, null);
    }

    /** A variable whose {@link #get()} returns {@code defaultValue} where it has no value. */
    public ContextVar(String name, T defaultValue) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = defaultValue;
    }

    public String getName() {
        return name;
    }

    /**
     * The value in the current context, else the variable's default.
     * @throws java.util.NoSuchElementException if there is neither
     */
    public T get() {
        T v = lookup();
        if (v != null) {
            return v;
        }
        if (defaultValue != null) {
            return defaultValue;
        }
        throw new java.util.NoSuchElementException("ContextVar '" + name + "' has no value in this context and no default");
    }

    /** The value in the current context, else {@code fallback} (which wins over the variable's default). */
    public T get(T fallback) {
        T v = lookup();
        return v != null ? v : fallback;
    }

    private T lookup() {
        Context c = Context.currentOrNull();
        return c == null ? null : c.get(this);
    }

    /** Sets the value in the current context; the token undoes it with {@link #reset}. */
    public Token<T> set(T value) {
        Objects.requireNonNull(value, "value");
        Context c = Context.current();
        Token<T> token = new Token<>(this, c, c.get(this), c.containsKey(this));
        c.put(this, value);
        Context.refreshBindings(c);
        return token;
    }

    /**
     * Restores the value the variable had before the {@link #set} that returned {@code token}.
     * @throws IllegalStateException if the token was already used, or belongs to another context
     * @throws IllegalArgumentException if the token belongs to another variable
     */
    public void reset(Token<T> token) {
        Objects.requireNonNull(token, "token");
        if (token.var != this) {
            throw new IllegalArgumentException(token + " was created by a different ContextVar");
        }
        if (token.used) {
            throw new IllegalStateException(token + " has already been used once");
        }
        if (token.context != Context.currentOrNull()) {
            throw new IllegalStateException(token + " was created in a different Context");
        }
        token.used = true;
        if (token.hadValue) {
            token.context.put(this, token.oldValue);
        } else {
            token.context.remove(this);
        }
        Context.refreshBindings(token.context);
    }

    @Override
    public String toString() {
        return "ContextVar[" + name + (defaultValue != null ? ", default=" + defaultValue : "") + "]";
    }

    /** Undoes one {@link ContextVar#set}: Python's {@code contextvars.Token}. */
    public static final class Token<T> {
        private final ContextVar<T> var;
        private final Context context;
        private final T oldValue;
        private final boolean hadValue;
        private boolean used;

        Token(ContextVar<T> var, Context context, T oldValue, boolean hadValue) {
            this.var = var;
            this.context = context;
            this.oldValue = oldValue;
            this.hadValue = hadValue;
        }

        public ContextVar<T> getVar() {
            return var;
        }

        /** The value before the set, or null if there was none (Python's {@code Token.MISSING}). */
        public T getOldValue() {
            return oldValue;
        }

        @Override
        public String toString() {
            return "Token[var=" + var.getName() + (used ? ", used" : "") + "]";
        }
    }
}
