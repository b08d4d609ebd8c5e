package dev.edgeinfer.producer;

import dev.edgeinfer.schemas.registry.CompatibilityLevel;
import dev.edgeinfer.schemas.registry.RegisteredSchema;
import dev.edgeinfer.schemas.registry.SchemaRegistryClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Remembers the id of each schema object under each subject, in front of the project's registry client.
 *
 * <p>The project's caching client keys its cache by the schema's JSON text, which costs a {@code Schema.toString()}
 * of the whole frame schema on every record: about as much CPU as the rest of a frame's work put together. Every
 * frame carries the one schema object of the generated class, so remembering it by identity makes that lookup free.
 * Everything else goes straight to the delegate.
 */
final class SchemaIdCache implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final Map<SubjectAndSchema, Integer> registered = new ConcurrentHashMap<>();
    private final Map<SubjectAndSchema, RegisteredSchema> lookedUp = new ConcurrentHashMap<>();

    /** A subject and a schema object, equal only to the same schema object. */
    private record SubjectAndSchema(String subject, Schema schema) {
        @Override
        public boolean equals(Object other) {
            return other instanceof SubjectAndSchema that && that.subject.equals(subject) && that.schema == schema;
        }

        @Override
        public int hashCode() {
            return 31 * subject.hashCode() + System.identityHashCode(schema);
        }
    }

    SchemaIdCache(SchemaRegistryClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectAndSchema key = new SubjectAndSchema(subject, schema);
        Integer id = registered.get(key);
        if (id == null) {
            id = delegate.register(subject, schema);
            registered.put(key, id);
        }
        return id;
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        SubjectAndSchema key = new SubjectAndSchema(subject, schema);
        RegisteredSchema found = lookedUp.get(key);
        if (found == null) {
            found = delegate.lookup(subject, schema);
            lookedUp.put(key, found);
        }
        return found;
    }

    @Override
    public Schema schemaById(int id) {
        return delegate.schemaById(id);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return delegate.latest(subject);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return delegate.isCompatible(subject, schema);
    }

    @Override
    public List<String> subjects() {
        return delegate.subjects();
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        delegate.setGlobalCompatibility(level);
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        return delegate.globalCompatibility();
    }
}
