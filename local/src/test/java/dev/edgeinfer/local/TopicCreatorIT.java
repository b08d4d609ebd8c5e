package dev.edgeinfer.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.TopicCreator.TopicSetupException;
import dev.edgeinfer.schemas.topics.TopicSpec;
import dev.edgeinfer.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TopicCreator against a real broker, which the extension starts without a registry and without topics. */
class TopicCreatorIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension(LocalStack.builder().registry(false).topics(List.of()));

    @Test
    void createsMissingTopicsOnceAndThenOnlyVerifiesThem(LocalStack stack) throws Exception {
        List<TopicSpec> specs = Topics.all(2, (short) 1).stream()
                .map(spec -> new TopicSpec("idempotent." + spec.name(), spec.partitions(), spec.replicationFactor(), spec.configs()))
                .toList();
        try (Admin admin = stack.createAdmin()) {
            TopicCreator creator = new TopicCreator(admin, Duration.ofMinutes(2));

            assertThat(creator.ensureTopics(specs)).containsExactlyInAnyOrderElementsOf(specs.stream().map(TopicSpec::name).toList());
            assertThat(creator.ensureTopics(specs)).isEmpty();
        }
    }

    @Test
    void acceptsAnOperatorsRetentionButRejectsAnotherTimestampType() throws Exception {
        TopicSpec frames = Topics.all().get(0);
        TopicSpec tunedRetention =
                new TopicSpec("tuned." + frames.name(), frames.partitions(), frames.replicationFactor(), frames.configs());
        TopicSpec createTime =
                new TopicSpec("create-time." + frames.name(), frames.partitions(), frames.replicationFactor(), frames.configs());
        try (Admin admin = LOCAL.stack().createAdmin()) {
            admin.createTopics(List.of(
                    new NewTopic(tunedRetention.name(), 1, (short) 1).configs(Map.of(
                            "message.timestamp.type", "LogAppendTime", "retention.ms", "3600000")),
                    new NewTopic(createTime.name(), 1, (short) 1).configs(Map.of("message.timestamp.type", "CreateTime"))))
                    .all().get();
            TopicCreator creator = new TopicCreator(admin, Duration.ofMinutes(2));

            assertThat(creator.ensureTopics(List.of(tunedRetention))).isEmpty();
            assertThatThrownBy(() -> creator.ensureTopics(List.of(createTime)))
                    .isInstanceOf(TopicSetupException.class)
                    .hasMessageContaining("Topic " + createTime.name() + " exists with message.timestamp.type=CreateTime")
                    .hasMessageContaining("LogAppendTime");
        }
    }

    @Test
    void failsNamingTheTopicWhenTheClusterCannotHostIt() throws Exception {
        TopicSpec tooManyReplicas = new TopicSpec("three-replicas", 1, (short) 3, Map.of());
        try (Admin admin = LOCAL.stack().createAdmin()) {
            assertThatThrownBy(() -> new TopicCreator(admin, Duration.ofSeconds(10)).ensureTopics(List.of(tooManyReplicas)))
                    .isInstanceOf(TopicSetupException.class)
                    .hasMessageContaining("three-replicas");
        }
    }
}
