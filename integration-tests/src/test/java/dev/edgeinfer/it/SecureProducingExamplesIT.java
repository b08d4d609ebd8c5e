package dev.edgeinfer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.local.StackPrincipal;
import dev.edgeinfer.local.StackTls;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The producing examples with a client properties file on a secured cluster: TLS, SASL/SCRAM-SHA-512 as the stack's
 * camera principal (which may only write frames), in librdkafka's names, as docs/producing-frames.md shows.
 */
class SecureProducingExamplesIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension(LocalStack.builder().secure(true));

    private static final int TIMEOUT_SECONDS = 120;

    @TempDir
    static Path dir;

    private static Path properties;

    @BeforeAll
    static void cameraSettings() throws Exception {
        FrameTopics.registerSchema(LOCAL.stack(), Topics.FRAMES);
        StackTls tls = LOCAL.stack().security().tls();
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, pem(tls.truststore(), tls.truststorePassword()), StandardCharsets.US_ASCII);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", LOCAL.stack().bootstrapServers());
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", "SCRAM-SHA-512");
        settings.put("sasl.username", StackPrincipal.PRODUCER.userName());
        settings.put("sasl.password", LOCAL.stack().security().password(StackPrincipal.PRODUCER));
        settings.put("ssl.ca.location", ca.toString());
        settings.put("schema.registry.url", LOCAL.stack().schemaRegistryUrl());
        properties = ExampleRun.writeProperties(dir.resolve("camera.properties"), settings);
    }

    @Test
    void pythonAndJavaScriptSendFramesWithAPropertiesFile() throws Exception {
        List<String> sent = new ArrayList<>();
        List<String> python = ExampleRun.python("produce_frames.py");
        python.addAll(List.of("--config", properties.toString(), "--camera", "--count", "3", "--producer-id", "py-secure"));
        sent.addAll(ExampleRun.run(python, dir, TIMEOUT_SECONDS));
        List<String> javaScript = ExampleRun.node("produce-frames.js");
        javaScript.addAll(List.of("--config", properties.toString(), "--camera", "--count", "3", "--producer-id", "js-secure"));
        sent.addAll(ExampleRun.run(javaScript, dir, TIMEOUT_SECONDS));

        List<ConsumerRecord<String, ImageFrame>> records = FrameTopics.read(LOCAL.stack(), Topics.FRAMES, 6);
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(records).extracting(r -> r.value().getProducerId().toString())
                .containsOnly("py-secure", "js-secure");
    }

    /** The truststore's certificates as PEM, the form librdkafka's ssl.ca.location takes. */
    private static String pem(Path truststore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            store.load(in, password.toCharArray());
        }
        StringBuilder pem = new StringBuilder();
        for (String alias : Collections.list(store.aliases())) {
            Certificate certificate = store.getCertificate(alias);
            pem.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return pem.toString();
    }
}
