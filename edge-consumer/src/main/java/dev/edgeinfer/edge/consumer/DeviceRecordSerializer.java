package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.ClassScore;
import dev.edgeinfer.avro.DeviceTimings;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.schemas.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge consumer's value serializer: the Confluent-wire Avro serializer it wraps for every record, with a faster
 * path for the records a device writes most, its predictions.
 *
 * <p>A device writes one prediction per frame, and most of a prediction never changes on a device: its id and type,
 * the engine, the accelerator and the model (about 200 bytes), and the class names. Avro's generic writer encodes
 * all of it again for every frame, which on a one-core device costs a noticeable share of the core. Here the first
 * prediction goes through the wrapped serializer (which registers or looks up the schema); its bytes give the
 * header, and the unchanging fields are encoded once with Avro's own writer. Later predictions of the same device
 * copy those bytes and encode only their own fields with Avro's {@link BinaryData} primitives. The fast path is taken
 * only after it reproduced the wrapped serializer's bytes of that first prediction exactly (a subject whose latest
 * schema differs, for one, keeps the wrapped serializer), and only for predictions carrying the very same device,
 * engine, accelerator and model objects.
 *
 * <p>Not thread-safe in the way Kafka allows: it is meant for one producer whose {@code send} is called from one thread.
 */
public final class DeviceRecordSerializer implements Serializer<SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(DeviceRecordSerializer.class);
    // Upper bounds of Avro's variable-length encodings.
    private static final int MAX_INT_BYTES = 5;
    private static final int MAX_LONG_BYTES = 10;

    private final Serializer<SpecificRecord> avro;
    private Template template;
    private boolean fastPathRefused;

    /** @param avro the Confluent-wire Avro serializer, already configured; it is closed with this one */
    public DeviceRecordSerializer(Serializer<SpecificRecord> avro) {
        this.avro = avro;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        avro.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, SpecificRecord data) {
        if (!(data instanceof Prediction prediction)) {
            return avro.serialize(topic, data);
        }
        Template current = template;
        if (current != null && current.fits(topic, prediction)) {
            try {
                return current.encode(prediction);
            } catch (RuntimeException e) {
                // A field the schema cannot hold (a null string, say): Avro's serializer fails with the typed error.
                return avro.serialize(topic, data);
            }
        }
        byte[] bytes = avro.serialize(topic, data);
        if (current == null && !fastPathRefused) {
            learn(topic, prediction, bytes);
        }
        return bytes;
    }

    @Override
    public void close() {
        avro.close();
    }

    private void learn(String topic, Prediction prediction, byte[] reference) {
        Template candidate = new Template(topic, prediction, Arrays.copyOf(reference, WireFormat.HEADER_SIZE));
        if (Arrays.equals(candidate.encode(prediction), reference)) {
            template = candidate;
        } else {
            fastPathRefused = true;
            log.info("predictions to {} keep Avro's generic writer: the registered schema differs from the device's", topic);
        }
    }

    /** What one device's predictions to one topic share, encoded once. */
    private static final class Template {
        private final String topic;
        private final byte[] header;
        private final Prediction shared;
        private final byte[] sharedBytes;
        private String[] labels = new String[0];
        private byte[][] encodedLabels = new byte[0][];

        Template(String topic, Prediction sample, byte[] header) {
            this.topic = topic;
            this.header = header;
            this.shared = sample;
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            try {
                // The fields between frameTimestamp and topK, in the schema's order.
                encoder.writeString(sample.getDeviceId());
                encoder.writeString(sample.getDeviceType());
                encoder.writeString(sample.getEngine());
                new SpecificDatumWriter<>(sample.getAccelerator().getSchema()).write(sample.getAccelerator(), encoder);
                new SpecificDatumWriter<>(sample.getModel().getSchema()).write(sample.getModel(), encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot encode the device's fields", e);
            }
            this.sharedBytes = out.toByteArray();
        }

        /** True if the prediction carries this device's very objects, so the bytes encoded once are its own. */
        boolean fits(String topic, Prediction prediction) {
            return this.topic.equals(topic) && prediction.getDeviceId() == shared.getDeviceId()
                    && prediction.getDeviceType() == shared.getDeviceType() && prediction.getEngine() == shared.getEngine()
                    && prediction.getAccelerator() == shared.getAccelerator() && prediction.getModel() == shared.getModel();
        }

        /** The prediction in the wire format: the header, then its fields in the order of the Prediction schema. */
        byte[] encode(Prediction p) {
            byte[] frameId = p.getFrameId().getBytes(StandardCharsets.UTF_8);
            List<ClassScore> topK = p.getTopK();
            byte[][] topLabels = new byte[topK.size()][];
            int labelBytes = 0;
            for (int i = 0; i < topK.size(); i++) {
                topLabels[i] = label(topK.get(i).getClassIndex(), topK.get(i).getLabel());
                labelBytes += topLabels[i].length;
            }
            byte[] predicted = label(p.getPredictedClass(), p.getPredictedLabel());
            byte[] otherLabelSet = p.getFrameLabelSet() == null ? null : p.getFrameLabelSet().getBytes(StandardCharsets.UTF_8);
            byte[] producer = p.getProducerId() == null ? null : p.getProducerId().getBytes(StandardCharsets.UTF_8);
            byte[] buf = new byte[header.length + MAX_INT_BYTES + frameId.length + 2 * MAX_LONG_BYTES + sharedBytes.length
                    + 2 * MAX_LONG_BYTES + topK.size() * (MAX_INT_BYTES + Float.BYTES) + labelBytes
                    + MAX_INT_BYTES + predicted.length + 1 + MAX_INT_BYTES + 4 * MAX_LONG_BYTES + MAX_INT_BYTES
                    + 2 * MAX_LONG_BYTES + 1 + (otherLabelSet == null ? 0 : MAX_INT_BYTES + otherLabelSet.length) + 1
                    + (producer == null ? 0 : MAX_INT_BYTES + producer.length)];
            int pos = put(header, buf, 0);
            pos += BinaryData.encodeInt(frameId.length, buf, pos);
            pos = put(frameId, buf, pos);
            pos += BinaryData.encodeLong(p.getFrameCaptureTime().toEpochMilli(), buf, pos);
            pos += BinaryData.encodeLong(p.getFrameTimestamp().toEpochMilli(), buf, pos);
            pos = put(sharedBytes, buf, pos);
            // An array is written as blocks: the item count, the items, and a zero count to end it.
            if (!topK.isEmpty()) {
                pos += BinaryData.encodeLong(topK.size(), buf, pos);
                for (int i = 0; i < topK.size(); i++) {
                    ClassScore score = topK.get(i);
                    pos += BinaryData.encodeInt(score.getClassIndex(), buf, pos);
                    pos = put(topLabels[i], buf, pos);
                    pos += BinaryData.encodeFloat(score.getScore(), buf, pos);
                }
            }
            pos += BinaryData.encodeLong(0, buf, pos);
            pos += BinaryData.encodeInt(p.getPredictedClass(), buf, pos);
            pos = put(predicted, buf, pos);
            // The union ["null", "int"]: the branch's index, then its value.
            Integer groundTruth = p.getGroundTruth();
            pos += BinaryData.encodeInt(groundTruth == null ? 0 : 1, buf, pos);
            if (groundTruth != null) {
                pos += BinaryData.encodeInt(groundTruth, buf, pos);
            }
            DeviceTimings timings = p.getTimings();
            pos += BinaryData.encodeLong(timings.getQueueWaitMicros(), buf, pos);
            pos += BinaryData.encodeLong(timings.getPreprocessMicros(), buf, pos);
            pos += BinaryData.encodeLong(timings.getInferenceMicros(), buf, pos);
            pos += BinaryData.encodeLong(timings.getTotalOnDeviceMicros(), buf, pos);
            pos += BinaryData.encodeInt(p.getBatchSize(), buf, pos);
            pos += BinaryData.encodeLong(p.getReceivedTime().toEpochMilli(), buf, pos);
            pos += BinaryData.encodeLong(p.getPublishTime().toEpochMilli(), buf, pos);
            // The union ["null", "string"] of the frame's other label set.
            pos += BinaryData.encodeInt(otherLabelSet == null ? 0 : 1, buf, pos);
            if (otherLabelSet != null) {
                pos += BinaryData.encodeInt(otherLabelSet.length, buf, pos);
                pos = put(otherLabelSet, buf, pos);
            }
            // The union ["null", "string"] of the frame's producer.
            pos += BinaryData.encodeInt(producer == null ? 0 : 1, buf, pos);
            if (producer != null) {
                pos += BinaryData.encodeInt(producer.length, buf, pos);
                pos = put(producer, buf, pos);
            }
            return Arrays.copyOf(buf, pos);
        }

        /** A class name as Avro writes a string (length, then UTF-8), encoded once per class. */
        private byte[] label(int classIndex, String label) {
            if (classIndex >= 0 && classIndex < labels.length && labels[classIndex] != null && labels[classIndex].equals(label)) {
                return encodedLabels[classIndex];
            }
            byte[] utf8 = label.getBytes(StandardCharsets.UTF_8);
            byte[] encoded = new byte[MAX_INT_BYTES + utf8.length];
            int length = BinaryData.encodeInt(utf8.length, encoded, 0);
            encoded = Arrays.copyOf(encoded, put(utf8, encoded, length));
            if (classIndex >= 0 && classIndex < 4096) {
                if (classIndex >= labels.length) {
                    labels = Arrays.copyOf(labels, classIndex + 1);
                    encodedLabels = Arrays.copyOf(encodedLabels, classIndex + 1);
                }
                labels[classIndex] = label;
                encodedLabels[classIndex] = encoded;
            }
            return encoded;
        }

        private static int put(byte[] bytes, byte[] target, int pos) {
            System.arraycopy(bytes, 0, target, pos, bytes.length);
            return pos + bytes.length;
        }
    }
}
