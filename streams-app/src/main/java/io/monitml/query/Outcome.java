package io.monitml.query;

import java.util.function.Function;

import org.apache.kafka.streams.state.HostInfo;

/**
 * What a question about the application's state gets from {@link QueryService}: the answer from
 * this instance's stores, the instance that holds it, or why there is none.
 *
 * @param <T> the answer
 */
sealed interface Outcome<T> {

    /** This instance holds the answer. */
    record Local<T>(T value) implements Outcome<T> {
    }

    /** Another instance's active task holds the state asked about. */
    record Remote<T>(HostInfo owner) implements Outcome<T> {
    }

    /** The state holds nothing of it; {@code reason} says what, for people. */
    record NotFound<T>(String reason) implements Outcome<T> {
    }

    /** The stores cannot be read now (starting, restoring, rebalancing); asking again shortly may work. */
    record NotReady<T>(String reason) implements Outcome<T> {
    }

    /** The same outcome with a local answer turned by {@code mapper}. */
    @SuppressWarnings("unchecked")
    default <R> Outcome<R> map(final Function<? super T, ? extends R> mapper) {
        // Only a local outcome holds a T: the others are the same whatever they would have held.
        return this instanceof Local<T> local ? new Local<>(mapper.apply(local.value())) : (Outcome<R>) this;
    }
}
