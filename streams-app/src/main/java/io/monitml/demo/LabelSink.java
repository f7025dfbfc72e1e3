package io.monitml.demo;

import java.util.List;

import io.monitml.ingest.Label;

/** Where the demo's labels go: MonitML's labels endpoint, or the labels topic. */
public interface LabelSink extends AutoCloseable {

    void send(List<Label> labels);

    @Override
    void close();
}
