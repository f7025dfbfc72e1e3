package io.monitml.config;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Amazon MSK's IAM authentication ships in the jar: the settings the Terraform configuration gives MonitML build a client. */
class MskIamAuthTest {

    @Test
    void aClientWithMskIamSettingsFromKafkaVariablesStarts() {
        final Map<String, Object> settings = new HashMap<>(KafkaEnvironment.settings(Map.of(
            "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "KAFKA_SASL_MECHANISM", "AWS_MSK_IAM",
            "KAFKA_SASL_JAAS_CONFIG", "software.amazon.msk.auth.iam.IAMLoginModule required;",
            "KAFKA_SASL_CLIENT_CALLBACK_HANDLER_CLASS", "software.amazon.msk.auth.iam.IAMClientCallbackHandler")));
        settings.put("bootstrap.servers", "127.0.0.1:9");

        assertThatCode(() -> new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer()).close())
            .doesNotThrowAnyException();
    }
}
