package dev.edgeinfer.schemas.serde;

import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/** How the registry subject of a record is named, as Confluent's subject name strategies do. */
public enum SubjectNameStrategy {
    /** {@code <topic>-key} or {@code <topic>-value}: one schema family per topic. The default. */
    TOPIC_NAME {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    },
    /** The record's full name: one schema family per record type, across topics. */
    RECORD_NAME {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return schema.getFullName();
        }
    },
    /** {@code <topic>-<record full name>}: several record types per topic. */
    TOPIC_RECORD_NAME {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + "-" + schema.getFullName();
        }
    };

    public abstract String subject(String topic, boolean isKey, Schema schema);

    /**
     * The strategy named by a config value: Confluent's class names
     * ({@code io.confluent.kafka.serializers.subject.TopicNameStrategy}, ...), their simple names, or this enum's names.
     */
    public static SubjectNameStrategy parse(String configKey, String value) {
        String simple = value.substring(value.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT).replace("_", "");
        return switch (simple) {
            case "topicnamestrategy", "topicname" -> TOPIC_NAME;
            case "recordnamestrategy", "recordname" -> RECORD_NAME;
            case "topicrecordnamestrategy", "topicrecordname" -> TOPIC_RECORD_NAME;
            default -> throw new ConfigException(configKey, value,
                    "unknown subject name strategy; use TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
        };
    }
}
