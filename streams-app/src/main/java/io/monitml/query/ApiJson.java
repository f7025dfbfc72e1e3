package io.monitml.query;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The API's JSON: Avro records as plain JSON objects with the schema's field names, times as
 * ISO-8601 strings, nulls kept (a missing statistic is {@code null}, not absent), sketches left out.
 */
final class ApiJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ApiJson() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    static ObjectNode of(final SpecificRecord record) {
        final ObjectNode node = NODES.objectNode();
        for (final Schema.Field field : record.getSchema().getFields()) {
            final Object value = record.get(field.pos());
            if (!(value instanceof ByteBuffer)) {
                node.set(field.name(), value(value));
            }
        }
        return node;
    }

    private static JsonNode value(final Object value) {
        if (value == null) {
            return NODES.nullNode();
        } else if (value instanceof SpecificRecord record) {
            return of(record);
        } else if (value instanceof Instant instant) {
            return NODES.textNode(instant.toString());
        } else if (value instanceof Double number) {
            return number.isNaN() || number.isInfinite() ? NODES.nullNode() : NODES.numberNode(number);
        } else if (value instanceof Long number) {
            return NODES.numberNode(number);
        } else if (value instanceof Integer number) {
            return NODES.numberNode(number);
        } else if (value instanceof Boolean flag) {
            return NODES.booleanNode(flag);
        } else if (value instanceof List<?> list) {
            final ArrayNode array = NODES.arrayNode();
            list.forEach(item -> array.add(value(item)));
            return array;
        } else if (value instanceof Map<?, ?> map) {
            final ObjectNode object = NODES.objectNode();
            map.forEach((key, item) -> object.set(key.toString(), value(item)));
            return object;
        }
        return NODES.textNode(value.toString());
    }
}
