package io.monitml.query;

import org.apache.kafka.streams.state.HostInfo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code /instances}: the application's instances as this one knows them. */
final class InstancesRoute implements Route {

    private final QueryService service;
    private final Replies replies;

    InstancesRoute(final QueryService service, final Replies replies) {
        this.service = service;
        this.replies = replies;
    }

    @Override
    public Reply answer(final ApiRequest request) {
        final ObjectNode answer = ApiJson.object();
        final ArrayNode list = answer.putArray("instances");
        for (final HostInfo host : Replies.value(service.instances())) {
            list.addObject().put("instance", Instances.name(host)).put("self", host.equals(service.self()));
        }
        return replies.local(answer);
    }
}
