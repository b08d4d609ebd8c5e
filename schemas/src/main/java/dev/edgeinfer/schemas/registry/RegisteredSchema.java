package dev.edgeinfer.schemas.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * A schema as registered under a subject.
 *
 * @param subject subject name
 * @param id      global schema id, the one written into the wire format
 * @param version version of the schema within the subject
 * @param schema  the parsed schema
 */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {
    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
