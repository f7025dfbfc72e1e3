package io.monitml.demo;

import java.util.ArrayList;
import java.util.List;

/** Keeps every event in memory, in order. */
final class CollectingSink implements SeldonEventSink {

    final List<SeldonEvent> events = new ArrayList<>();
    boolean closed;

    @Override
    public void send(SeldonEvent event) {
        events.add(event);
    }

    @Override
    public void close() {
        closed = true;
    }
}
