package dev.edgeinfer.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three combined nodes in one JVM: the layout a replication test needs, started the same way as one node. */
class KafkaClusterIT {

    @TempDir
    Path dataDir;

    @Test
    void threeNodesReplicateTheTopicsAndAcknowledgeWithAllReplicas() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start(3, 0, dataDir, 3)) {
            assertThat(cluster.size()).isEqualTo(3);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                assertThat(admin.describeCluster().nodes().get()).hasSize(3);
                new TopicCreator(admin, Duration.ofMinutes(2)).ensureTopics(Topics.all(3, (short) 3));

                assertThat(admin.describeTopics(List.of(Topics.FRAMES)).allTopicNames().get().get(Topics.FRAMES).partitions())
                        .allSatisfy(partition -> assertThat(partition.isr()).hasSize(3));
            }
            Map<String, Object> producerConfig = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
                assertThat(producer.send(new ProducerRecord<>(Topics.FRAMES, "k", "v")).get().hasOffset()).isTrue();
            }
        }
    }
}
