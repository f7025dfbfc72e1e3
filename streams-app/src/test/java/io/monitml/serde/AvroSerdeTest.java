package io.monitml.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.monitml.avro.ModelUnit;
import io.monitml.avro.PredictionStats;
import io.monitml.embedded.EmbeddedSchemaRegistry;
import io.monitml.embedded.RegistryHttp;
import io.monitml.serde.AvroDecodingException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final String TOPIC = "monitml.prediction-stats";
    private static final Instant START = Instant.ofEpochMilli(1_700_000_000_000L);
    private static final Instant END = START.plusSeconds(60);

    private EmbeddedSchemaRegistry registry;
    private Serde<PredictionStats> serde;

    @BeforeEach
    void start() {
        registry = EmbeddedSchemaRegistry.start("127.0.0.1", 0, null);
        serde = AvroSerdes.specific(PredictionStats.class, new SchemaRegistryClient(registry.url()), false);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void serializedValueStartsWithMagicByteAndTheIdTheRegistryAssigned() {
        serde.serializer().serialize("warm-up", unitStats("other"));

        final byte[] bytes = serde.serializer().serialize(TOPIC, stats());

        final RegistryHttp.Response latest = RegistryHttp.get(registry.url() + "/subjects/" + TOPIC + "-value/versions/latest");
        assertThat(latest.status()).isEqualTo(200);
        final int id = latest.body().get("id").intValue();
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(new Schema.Parser().parse(latest.body().get("schema").asText()))
                .isEqualTo(PredictionStats.getClassSchema());
    }

    @Test
    void keysAreRegisteredUnderTheKeySubject() {
        final Serde<ModelUnit> keys = AvroSerdes.specific(ModelUnit.class, new SchemaRegistryClient(registry.url()), true);

        final byte[] bytes = keys.serializer().serialize("units", unit("m"));

        assertThat(RegistryHttp.get(registry.url() + "/subjects").body()).extracting(node -> node.asText())
                .containsExactly("units-key");
        final Serde<ModelUnit> freshKeys = AvroSerdes.specific(ModelUnit.class, new SchemaRegistryClient(registry.url()), true);
        assertThat(freshKeys.deserializer().deserialize("units", bytes)).isEqualTo(unit("m"));
    }

    @Test
    void freshDeserializerFetchesTheWriterSchemaOverHttpAndDecodesAnEqualRecord() {
        final byte[] bytes = serde.serializer().serialize(TOPIC, stats());
        final long before = registry.requestCount();

        final PredictionStats decoded = freshSerde().deserializer().deserialize(TOPIC, bytes);

        assertThat(decoded).isEqualTo(stats());
        assertThat(registry.requestCount()).as("one GET of the schema by id").isEqualTo(before + 1);
    }

    @Test
    void secondSerializeAndDeserializeMakeNoHttpCall() {
        final Serde<PredictionStats> reader = freshSerde();
        final long initial = registry.requestCount();
        final byte[] first = serde.serializer().serialize(TOPIC, stats());
        reader.deserializer().deserialize(TOPIC, first);
        assertThat(registry.requestCount()).isEqualTo(initial + 2);

        final byte[] second = serde.serializer().serialize(TOPIC, unitStats("again"));
        final PredictionStats decoded = reader.deserializer().deserialize(TOPIC, second);

        assertThat(registry.requestCount()).isEqualTo(initial + 2);
        assertThat(decoded).isEqualTo(unitStats("again"));
    }

    @Test
    void nullStaysNullBothWays() {
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
        assertThat(registry.requestCount()).isZero();
    }

    @Test
    void olderWriterWithoutFieldsThatHaveDefaultsDecodesWithTheDefaults() throws IOException {
        final Schema older = withoutFields(PredictionStats.getClassSchema(), Set.of("errorCount", "latencyP99Millis"));
        final int id = new SchemaRegistryClient(registry.url()).register(TOPIC + "-value", older);
        final GenericRecord written = new GenericRecordBuilder(older)
                .set("unit", genericUnit())
                .set("windowStart", START.toEpochMilli())
                .set("windowEnd", END.toEpochMilli())
                .set("output", "score")
                .set("responses", 5L)
                .set("count", 10L)
                .set("p50", 0.5)
                .build();

        final PredictionStats decoded = freshSerde().deserializer().deserialize(TOPIC, frame(id, written));

        assertThat(decoded.getErrorCount()).isZero();
        assertThat(decoded.getLatencyP99Millis()).isNull();
        assertThat(decoded.getCount()).isEqualTo(10L);
        assertThat(decoded.getResponses()).isEqualTo(5L);
        assertThat(decoded.getP50()).isEqualTo(0.5);
        assertThat(decoded.getWindowStart()).isEqualTo(START);
        assertThat(decoded.getUnit()).isEqualTo(unit("m"));
    }

    @Test
    void newerWriterWithAnExtraFieldDecodesWithoutIt() throws IOException {
        final Schema current = PredictionStats.getClassSchema();
        final List<Schema.Field> fields = copyFields(current, Set.of());
        fields.add(new Schema.Field("gpu", Schema.create(Schema.Type.STRING), null, "none"));
        final Schema newer = Schema.createRecord(current.getName(), null, current.getNamespace(), false, fields);
        final int id = new SchemaRegistryClient(registry.url()).register(TOPIC + "-value", newer);
        final GenericRecord written = new GenericRecordBuilder(newer)
                .set("unit", genericUnit())
                .set("windowStart", START.toEpochMilli())
                .set("windowEnd", END.toEpochMilli())
                .set("count", 7L)
                .set("gpu", "a100")
                .build();

        final PredictionStats decoded = freshSerde().deserializer().deserialize(TOPIC, frame(id, written));

        assertThat(decoded.getCount()).isEqualTo(7L);
        assertThat(decoded.getWindowEnd()).isEqualTo(END);
    }

    @Test
    void unknownSchemaIdIsReportedWithTheIdAndTopic() {
        final byte[] bytes = {0, 0, 0, 0x27, 0x0f, 2, 4, 6};

        final AvroDecodingException e = decodingFailure(bytes);

        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID);
        assertThat(e.reason().code()).isEqualTo("unknown-schema-id");
        assertThat(e.schemaId()).isEqualTo(9999);
        assertThat(e.getMessage()).contains("9999", TOPIC, registry.url(), "404", "40403");
    }

    @Test
    void valueCutInHalfIsTruncatedOrCorrupt() {
        final byte[] bytes = serde.serializer().serialize(TOPIC, stats());

        final AvroDecodingException e = decodingFailure(Arrays.copyOf(bytes, bytes.length / 2));

        assertThat(e.reason()).isIn(Reason.TRUNCATED, Reason.CORRUPT);
        assertThat(e.getMessage()).contains(TOPIC, "schema id " + ByteBuffer.wrap(bytes, 1, 4).getInt());
    }

    @Test
    void trailingBytesAreCorrupt() {
        final byte[] bytes = serde.serializer().serialize(TOPIC, stats());
        final byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);

        final AvroDecodingException e = decodingFailure(longer);

        assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
        assertThat(e.getMessage()).contains(TOPIC, "left over");
    }

    @Test
    void firstByteOtherThanZeroIsNotAvro() {
        final AvroDecodingException e = decodingFailure("{\"count\": 3}".getBytes(StandardCharsets.UTF_8));

        assertThat(e.reason()).isEqualTo(Reason.NOT_AVRO);
        assertThat(e.getMessage())
                .isEqualTo("value of topic " + TOPIC + " is not Confluent-framed Avro: first byte 0x7b, expected 0x00");
        assertThat(registry.requestCount()).isZero();
    }

    @Test
    void fewerThanFiveBytesAreTruncated() {
        final AvroDecodingException e = decodingFailure(new byte[] {0, 0, 1});

        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
        assertThat(e.getMessage()).contains(TOPIC, "too short (3 bytes)", "5-byte");
        assertThat(decodingFailure(new byte[0]).reason()).isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void registryDownIsRegistryUnavailableNamingTheUrl() {
        final byte[] bytes = serde.serializer().serialize(TOPIC, stats());
        final Serde<PredictionStats> fresh = freshSerde();
        registry.close();

        final AvroDecodingException e = catchThrowableOfType(AvroDecodingException.class,
                () -> fresh.deserializer().deserialize(TOPIC, bytes));

        assertThat(e.reason()).isEqualTo(Reason.REGISTRY_UNAVAILABLE);
        assertThat(e.getMessage()).contains(registry.url(), TOPIC);
        assertThat(e.getCause()).isInstanceOf(SchemaRegistryException.class);
        assertThatThrownBy(() -> fresh.serializer().serialize(TOPIC, stats()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(registry.url())
                .hasMessageContaining(TOPIC + "-value");
    }

    @Test
    void recordMissingARequiredFieldFailsToSerializeNamingTheTopic() {
        final PredictionStats broken = stats();
        broken.setUnit(null);

        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, broken))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("PredictionStats");
    }

    private AvroDecodingException decodingFailure(final byte[] bytes) {
        final Serde<PredictionStats> fresh = freshSerde();
        return catchThrowableOfType(AvroDecodingException.class, () -> fresh.deserializer().deserialize(TOPIC, bytes));
    }

    private Serde<PredictionStats> freshSerde() {
        return AvroSerdes.specific(PredictionStats.class, new SchemaRegistryClient(registry.url()), false);
    }

    private static byte[] frame(final int id, final GenericRecord record) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Schema withoutFields(final Schema schema, final Set<String> removed) {
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false,
                copyFields(schema, removed));
    }

    private static List<Schema.Field> copyFields(final Schema schema, final Set<String> removed) {
        final List<Schema.Field> fields = new ArrayList<>();
        for (final Schema.Field field : schema.getFields()) {
            if (!removed.contains(field.name())) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        return fields;
    }

    private static GenericRecord genericUnit() {
        final GenericData.Record unit = new GenericData.Record(ModelUnit.getClassSchema());
        unit.put("namespace", "prod");
        unit.put("deployment", "fraud");
        unit.put("variant", "main");
        unit.put("model", "m");
        return unit;
    }

    private static ModelUnit unit(final String model) {
        return ModelUnit.newBuilder().setNamespace("prod").setDeployment("fraud").setVariant("main").setModel(model).build();
    }

    private static PredictionStats stats() {
        return PredictionStats.newBuilder()
                .setUnit(unit("m"))
                .setWindowStart(START)
                .setWindowEnd(END)
                .setOutput("score")
                .setResponses(12)
                .setCount(40)
                .setErrorCount(3)
                .setMin(0.01)
                .setMax(0.99)
                .setMean(0.4)
                .setVariance(0.05)
                .setP50(0.38)
                .setP90(0.8)
                .setP99(0.97)
                .setLatencyP50Millis(4.5)
                .setLatencyP90Millis(9.0)
                .setLatencyP99Millis(21.0)
                .build();
    }

    private static PredictionStats unitStats(final String model) {
        return PredictionStats.newBuilder().setUnit(unit(model)).setWindowStart(START).setWindowEnd(END).setCount(1).build();
    }
}
