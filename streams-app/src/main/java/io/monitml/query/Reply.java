package io.monitml.query;

/**
 * A 200 answer of the query API: its JSON body and the instance whose stores answered (null for
 * answers of no instance's stores); everything else is an {@link ApiException}.
 */
record Reply(byte[] body, String servedBy) {
}
