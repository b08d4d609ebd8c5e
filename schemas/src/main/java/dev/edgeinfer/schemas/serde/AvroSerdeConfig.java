package dev.edgeinfer.schemas.serde;

import dev.edgeinfer.schemas.registry.RegistryClientConfig;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Serde settings under Confluent's own keys, so a Kafka user's existing configuration needs nothing new.
 *
 * @param autoRegisterSchemas   {@code auto.register.schemas} (default true): register the record's schema on first use
 * @param useLatestVersion      {@code use.latest.version} (default false): write with the subject's latest schema
 * @param specificAvroReader    {@code specific.avro.reader} (default false): read into generated classes
 * @param keySubjectStrategy    {@code key.subject.name.strategy} (default TopicNameStrategy)
 * @param valueSubjectStrategy  {@code value.subject.name.strategy} (default TopicNameStrategy)
 */
public record AvroSerdeConfig(boolean autoRegisterSchemas, boolean useLatestVersion, boolean specificAvroReader,
                              SubjectNameStrategy keySubjectStrategy, SubjectNameStrategy valueSubjectStrategy) {

    public static final String SCHEMA_REGISTRY_URL = RegistryClientConfig.URL;
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

    public static AvroSerdeConfig from(Map<String, ?> configs) {
        return new AvroSerdeConfig(
                bool(configs, AUTO_REGISTER_SCHEMAS, true),
                bool(configs, USE_LATEST_VERSION, false),
                bool(configs, SPECIFIC_AVRO_READER, false),
                strategy(configs, KEY_SUBJECT_NAME_STRATEGY),
                strategy(configs, VALUE_SUBJECT_NAME_STRATEGY));
    }

    public SubjectNameStrategy strategy(boolean isKey) {
        return isKey ? keySubjectStrategy : valueSubjectStrategy;
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean fallback) {
        Optional<String> text = Optional.ofNullable(configs.get(key)).map(Object::toString).map(String::trim);
        if (text.isEmpty()) {
            return fallback;
        }
        return switch (text.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, text.get(), "expected true or false");
        };
    }

    private static SubjectNameStrategy strategy(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            return SubjectNameStrategy.TOPIC_NAME;
        }
        String name = value instanceof Class<?> type ? type.getName() : value.toString().trim();
        return SubjectNameStrategy.parse(key, name);
    }
}
