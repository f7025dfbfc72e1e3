package io.monitml.query;

/** The state cannot be read now (starting, restoring, rebalancing): asking again shortly may work. */
final class StateNotReady extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StateNotReady(final String message) {
        super(message, null, false, false);
    }
}
