package dev.edgeinfer.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.schemas.registry.InMemorySchemaRegistryClient;
import dev.edgeinfer.schemas.registry.SchemaRegistryClient;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaIdCacheTest {

    @Test
    void registersEachSchemaObjectOncePerSubject() {
        List<String> calls = new ArrayList<>();
        SchemaRegistryClient registry = InMemorySchemaRegistryClient.forScope("schema-id-cache-test");
        SchemaRegistryClient counting = (SchemaRegistryClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SchemaRegistryClient.class}, (proxy, method, args) -> {
                    calls.add(method.getName() + " " + args[0]);
                    return method.invoke(registry, args);
                });
        SchemaIdCache cache = new SchemaIdCache(counting);

        int id = cache.register("frames-value", ImageFrame.getClassSchema());
        assertThat(cache.register("frames-value", ImageFrame.getClassSchema())).isEqualTo(id);
        assertThat(cache.lookup("frames-value", ImageFrame.getClassSchema()).id()).isEqualTo(id);
        assertThat(cache.lookup("frames-value", ImageFrame.getClassSchema()).id()).isEqualTo(id);
        assertThat(calls).containsExactly("register frames-value", "lookup frames-value");

        Schema equalCopy = new Schema.Parser().parse(ImageFrame.getClassSchema().toString());
        assertThat(cache.register("frames-value", equalCopy)).as("an equal schema gets the same id").isEqualTo(id);
        cache.register("other-value", ImageFrame.getClassSchema());
        assertThat(calls).hasSize(4);
        assertThat(cache.schemaById(id)).isEqualTo(ImageFrame.getClassSchema());
    }
}
