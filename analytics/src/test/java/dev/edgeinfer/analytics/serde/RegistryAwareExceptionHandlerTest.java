package dev.edgeinfer.analytics.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.schemas.serde.AvroSerdeException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class RegistryAwareExceptionHandlerTest {

    private static final ConsumerRecord<byte[], byte[]> RECORD =
            new ConsumerRecord<>("edge.predictions.v1", 2, 41L, new byte[] {1}, new byte[] {0, 0, 0, 0, 7});

    private final RegistryAwareExceptionHandler handler = new RegistryAwareExceptionHandler();

    @Test
    void aPredictionThatNeedsAnUnreachableRegistryFailsTheThreadSoItIsReadAgain() {
        AvroSerdeException unreachable = new AvroSerdeException(AvroSerdeException.Kind.REGISTRY_UNAVAILABLE,
                RECORD.topic(), RECORD.partition(), RECORD.offset(), "could not reach the schema registry", null);

        assertThat(handler.handleError(new Context(), RECORD, unreachable).result()).isEqualTo(Result.FAIL);
        assertThat(handler.handleError(new Context(), RECORD, new SerializationException("wrapped", unreachable)).result())
                .as("found through the cause chain").isEqualTo(Result.FAIL);
    }

    @Test
    void anUndecodablePredictionIsSkipped() {
        AvroSerdeException malformed = new AvroSerdeException(AvroSerdeException.Kind.MALFORMED_BODY,
                RECORD.topic(), RECORD.partition(), RECORD.offset(), "truncated", null);

        assertThat(handler.handleError(new Context(), RECORD, malformed).result()).isEqualTo(Result.RESUME);
        assertThat(handler.handleError(new Context(), RECORD, new SerializationException("not Avro")).result())
                .isEqualTo(Result.RESUME);
    }

    /** The context Kafka Streams hands a handler: where the record came from. */
    private static final class Context implements ErrorHandlerContext {
        @Override
        public String topic() {
            return RECORD.topic();
        }

        @Override
        public int partition() {
            return RECORD.partition();
        }

        @Override
        public long offset() {
            return RECORD.offset();
        }

        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "predictions-source";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, RECORD.partition());
        }

        @Override
        public long timestamp() {
            return 0;
        }

        @Override
        public byte[] sourceRawKey() {
            return RECORD.key();
        }

        @Override
        public byte[] sourceRawValue() {
            return RECORD.value();
        }
    }
}
