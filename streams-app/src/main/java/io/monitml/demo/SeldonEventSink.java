package io.monitml.demo;

/** Where the traffic generator delivers the executor's payload-log events. */
public interface SeldonEventSink extends AutoCloseable {

    void send(SeldonEvent event);

    /** Releases the sink's resources; narrowed so that callers need not handle checked exceptions. */
    @Override
    void close();
}
