package io.monitml.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the endpoint reported, for assertions. */
final class RecordingListener implements IngestListener {

    final List<String> accepted = new CopyOnWriteArrayList<>();
    final List<String> ignored = new CopyOnWriteArrayList<>();
    final List<Reason> rejected = new CopyOnWriteArrayList<>();

    @Override
    public void accepted(final String type) {
        accepted.add(type);
    }

    @Override
    public void ignored(final String type) {
        ignored.add(type);
    }

    @Override
    public void rejected(final Reason reason) {
        rejected.add(reason);
    }
}
