package dev.edgeinfer.schemas.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeinfer.avro.ImageFrame;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/** Later versions of the frame contract, derived from the current one, for evolution tests. */
public final class EvolutionSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EvolutionSchemas() {
    }

    /** A compatible next version: an optional {@code cameraId} field and a {@code WEBP} encoding. */
    public static Schema imageFrameV2() {
        ObjectNode schema = currentFrameJson();
        ArrayNode fields = (ArrayNode) schema.get("fields");
        ObjectNode cameraId = fields.addObject();
        cameraId.put("name", "cameraId");
        cameraId.putArray("type").add("null").add("string");
        cameraId.putNull("default");
        cameraId.put("doc", "Camera within the producer, when it has several.");
        for (var field : fields) {
            if (field.get("name").asText().equals("encoding")) {
                ((ArrayNode) field.get("type").get("symbols")).add("WEBP");
            }
        }
        return new Schema.Parser().parse(schema.toString());
    }

    /** A breaking next version: a required field without a default, which old records cannot fill. */
    public static Schema imageFrameBreaking() {
        ObjectNode schema = currentFrameJson();
        ObjectNode exposure = ((ArrayNode) schema.get("fields")).addObject();
        exposure.put("name", "exposureMicros");
        exposure.put("type", "long");
        return new Schema.Parser().parse(schema.toString());
    }

    private static ObjectNode currentFrameJson() {
        try {
            return (ObjectNode) JSON.readTree(ImageFrame.getClassSchema().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
