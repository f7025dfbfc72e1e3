package io.monitml.app;

import java.net.URI;

import io.monitml.demo.CanaryTrafficGenerator;
import io.monitml.demo.HttpCloudEventSink;
import io.monitml.demo.TrafficConfig;

/** The demo's canary traffic, posted to an instance's ingest endpoint as the demo does, from a background thread until closed. */
public final class DemoTraffic implements AutoCloseable {

    private final CanaryTrafficGenerator generator;
    private final HttpCloudEventSink sink;
    private final Thread thread;

    public DemoTraffic(final MonitMlApplication app, final TrafficConfig config) {
        sink = new HttpCloudEventSink(URI.create("http://127.0.0.1:" + app.httpPort() + "/"));
        generator = CanaryTrafficGenerator.create(config, sink);
        thread = new Thread(generator, "it-traffic");
    }

    /** 300 requests a second, no input shift. */
    public DemoTraffic(final MonitMlApplication app) {
        this(app, TrafficConfig.defaults().withRequestsPerSecond(300));
    }

    public DemoTraffic start() {
        thread.start();
        return this;
    }

    @Override
    public void close() {
        generator.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sink.close();
    }
}
