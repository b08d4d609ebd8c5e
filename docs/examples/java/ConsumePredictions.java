import dev.edgeinfer.schemas.serde.AvroDeserializer;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Subscribes to the pipeline's predictions, dead letters and heartbeats from Java, for some device types, and prints
 * each record as one line: topic, partition, offset, key, then the record as Avro's JSON.
 *
 * <p>Values are read as {@link GenericRecord}s with the writer's schema, fetched from the registry by the id in each
 * record's header, by the project's deserializer ({@code edgeinfer-schemas}); {@code read_committed} hides records of
 * aborted transactions. Offsets are committed after the records are printed (at least once).
 *
 * <pre>
 * java -cp "$(cat producer/target/runtime-classpath.txt)" docs/examples/java/ConsumePredictions.java \
 *     --config client.properties --device-type rpi5-openvino-cpu-int8 [--group-id ID] [--max-records N] [--topic T]...
 * </pre>
 * The properties file holds {@code bootstrap.servers}, {@code schema.registry.url} and any security settings.
 */
public final class ConsumePredictions {

    static final List<String> TOPICS = List.of("edge.predictions.v1", "edge.dead-letters.v1", "edge.heartbeats.v1");

    public static void main(String[] args) throws IOException {
        Properties config = new Properties();
        List<String> topics = new ArrayList<>();
        List<String> deviceTypes = new ArrayList<>();
        String groupId = "predictions-reader-java";
        long maxRecords = 0;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--config" -> {
                    try (Reader reader = Files.newBufferedReader(Path.of(value))) {
                        config.load(reader);
                    }
                }
                case "--topic" -> topics.add(value);
                case "--device-type" -> deviceTypes.add(value);
                case "--group-id" -> groupId = value;
                case "--max-records" -> maxRecords = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // Never show records of aborted transactions.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A new group starts at the oldest record kept.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Offsets are committed after the records are printed.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Set<String> wanted = Set.copyOf(deviceTypes);
        // Reads schema.registry.url (and the registry's credentials) from the same settings; instances handed to the
        // consumer are not configured by it.
        AvroDeserializer<GenericRecord> values = new AvroDeserializer<>();
        Map<String, Object> settings = new java.util.HashMap<>();
        config.stringPropertyNames().forEach(name -> settings.put(name, config.getProperty(name)));
        values.configure(settings, false);
        long printed = 0;
        try (KafkaConsumer<String, GenericRecord> consumer = new KafkaConsumer<>(config, new StringDeserializer(), values)) {
            Runtime.getRuntime().addShutdownHook(new Thread(consumer::wakeup));
            consumer.subscribe(topics.isEmpty() ? TOPICS : topics);
            while (maxRecords == 0 || printed < maxRecords) {
                Map<TopicPartition, OffsetAndMetadata> done = new java.util.HashMap<>();
                for (ConsumerRecord<String, GenericRecord> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (maxRecords != 0 && printed >= maxRecords) {
                        break;
                    }
                    // Predictions and heartbeats always name their device type; dead letters only when a device failed.
                    Object deviceType = record.value().get("deviceType");
                    if (wanted.isEmpty() || (deviceType != null && wanted.contains(deviceType.toString()))) {
                        System.out.println(record.topic() + "\t" + record.partition() + "\t" + record.offset() + "\t"
                                + record.key() + "\t" + record.value());
                        printed++;
                    }
                    done.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                }
                consumer.commitSync(done);
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // Ctrl-C: the consumer closes and leaves its group.
        } catch (org.apache.kafka.common.errors.RecordDeserializationException e) {
            // The record stays where it is; the message names its topic, partition and offset.
            System.err.println("Cannot decode a record: " + e.getMessage() + ": " + e.getCause());
            System.exit(1);
        }
    }
}
