package io.monitml.topology;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.monitml.avro.InferenceRecord;
import io.monitml.avro.ModelUnit;
import io.monitml.ingest.Unit;

/** Writes each paired or lone inference as its rows, for {@code monitml.inferences}. */
final class JoinedRowsProcessor implements Processor<String, PairedInference, String, InferenceRecord> {

    /** Units are bounded by the unit limit; this only saves parsing the same key again and again. */
    private static final int MAX_CACHED_UNITS = 4096;

    private final Map<String, ModelUnit> units = new HashMap<>();
    private ProcessorContext<String, InferenceRecord> context;

    @Override
    public void init(final ProcessorContext<String, InferenceRecord> context) {
        this.context = context;
    }

    @Override
    public void process(final Record<String, PairedInference> record) {
        final PairedInference inference = record.value();
        if (units.size() >= MAX_CACHED_UNITS) {
            units.clear();
        }
        final ModelUnit unit = units.computeIfAbsent(inference.unitKey(), key -> Unit.fromKey(key).toAvro());
        for (InferenceRecord row : InferenceRows.of(inference, unit)) {
            context.forward(new Record<>(inference.requestId(), row, record.timestamp()));
        }
    }
}
