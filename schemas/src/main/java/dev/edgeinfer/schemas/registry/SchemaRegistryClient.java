package dev.edgeinfer.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API this project speaks. Every method throws a
 * {@link SchemaRegistryException} (or one of its subclasses) when the registry says no or cannot be reached.
 */
public interface SchemaRegistryClient {

    /**
     * Registers the schema under the subject, or finds it when already registered ({@code POST /subjects/{s}/versions}).
     *
     * @return the global schema id
     * @throws SchemaRegistryException.IncompatibleSchemaException when the subject's compatibility rule refuses it
     * @throws SchemaRegistryException.InvalidSchemaException      when the registry cannot parse it
     */
    int register(String subject, Schema schema);

    /**
     * Looks the schema up under the subject without registering it ({@code POST /subjects/{s}}).
     *
     * @throws SchemaRegistryException.SubjectNotFoundException when the subject does not exist
     * @throws SchemaRegistryException.SchemaNotFoundException  when the schema is not registered under the subject
     */
    RegisteredSchema lookup(String subject, Schema schema);

    /**
     * The schema with the given global id ({@code GET /schemas/ids/{id}}).
     *
     * @throws SchemaRegistryException.SchemaNotFoundException when no schema has that id
     */
    Schema schemaById(int id);

    /**
     * The latest version registered under the subject ({@code GET /subjects/{s}/versions/latest}).
     *
     * @throws SchemaRegistryException.SubjectNotFoundException when the subject does not exist
     */
    RegisteredSchema latest(String subject);

    /**
     * Whether the schema could be registered under the subject given its compatibility rule
     * ({@code POST /compatibility/subjects/{s}/versions/latest}). A subject that does not exist yet accepts anything.
     */
    boolean isCompatible(String subject, Schema schema);

    /** All subjects ({@code GET /subjects}). */
    List<String> subjects();

    /** Sets the global compatibility rule ({@code PUT /config}). */
    void setGlobalCompatibility(CompatibilityLevel level);

    /** The global compatibility rule ({@code GET /config}). */
    CompatibilityLevel globalCompatibility();
}
