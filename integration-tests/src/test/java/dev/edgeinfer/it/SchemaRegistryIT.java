package dev.edgeinfer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.DeviceHeartbeat;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.local.LocalStackExtension;
import dev.edgeinfer.schemas.registry.CompatibilityLevel;
import dev.edgeinfer.schemas.registry.RegisteredSchema;
import dev.edgeinfer.schemas.registry.RegistryClientConfig;
import dev.edgeinfer.schemas.registry.RestSchemaRegistryClient;
import dev.edgeinfer.schemas.registry.SchemaRegistryException;
import dev.edgeinfer.schemas.serde.EvolutionSchemas;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry client against a running registry (Apicurio's Confluent-compatible API), every call of the contract. */
class SchemaRegistryIT {

    @RegisterExtension
    static final LocalStackExtension LOCAL = new LocalStackExtension();

    private static RestSchemaRegistryClient client;

    @BeforeAll
    static void connect() {
        client = new RestSchemaRegistryClient(
                RegistryClientConfig.from(Map.of(RegistryClientConfig.URL, LOCAL.stack().schemaRegistryUrl())));
    }

    @Test
    void stackStartsWithBackwardCompatibility() {
        assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void registerLookupFetchAndLatestAgree() {
        String subject = "it-register-value";
        int id = client.register(subject, Prediction.getClassSchema());
        RegisteredSchema found = client.lookup(subject, Prediction.getClassSchema());
        assertThat(found.id()).isEqualTo(id);
        assertThat(found.version()).isEqualTo(1);
        assertThat(client.schemaById(id)).isEqualTo(Prediction.getClassSchema());
        assertThat(client.latest(subject)).isEqualTo(new RegisteredSchema(subject, id, 1, Prediction.getClassSchema()));
        assertThat(client.subjects()).contains(subject);
    }

    @Test
    void whitespaceNeverMintsANewId() {
        String subject = "it-canonical-value";
        Schema pretty = new Schema.Parser().parse(DeviceHeartbeat.getClassSchema().toString(true));
        int first = client.register(subject, DeviceHeartbeat.getClassSchema());
        assertThat(client.register(subject, pretty)).isEqualTo(first);
        assertThat(client.register(subject, DeviceHeartbeat.getClassSchema())).isEqualTo(first);
    }

    @Test
    void backwardCompatibleVersionIsAcceptedAndBreakingOneRefused() {
        String subject = "it-evolution-value";
        int v1 = client.register(subject, ImageFrame.getClassSchema());
        assertThat(client.isCompatible(subject, EvolutionSchemas.imageFrameV2())).isTrue();
        int v2 = client.register(subject, EvolutionSchemas.imageFrameV2());
        assertThat(v2).isNotEqualTo(v1);
        assertThat(client.latest(subject).version()).isEqualTo(2);
        assertThat(client.isCompatible(subject, EvolutionSchemas.imageFrameBreaking())).isFalse();
        assertThatThrownBy(() -> client.register(subject, EvolutionSchemas.imageFrameBreaking()))
                .isInstanceOf(SchemaRegistryException.IncompatibleSchemaException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus()).isEqualTo(409));
    }

    @Test
    void unknownThingsAreTypedErrors() {
        assertThatThrownBy(() -> client.schemaById(987_654))
                .isInstanceOf(SchemaRegistryException.SchemaNotFoundException.class);
        assertThatThrownBy(() -> client.latest("it-no-such-subject"))
                .isInstanceOf(SchemaRegistryException.SubjectNotFoundException.class);
        client.register("it-lookup-value", DeadLetter.getClassSchema());
        assertThatThrownBy(() -> client.lookup("it-lookup-value", ImageFrame.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.SchemaNotFoundException.class);
    }

    @Test
    void firstSchemaOfANewSubjectIsCompatible() {
        assertThat(client.isCompatible("it-fresh-value", ImageFrame.getClassSchema())).isTrue();
    }

    static List<Schema> contracts() {
        return List.of(ImageFrame.getClassSchema(), Prediction.getClassSchema(), DeviceHeartbeat.getClassSchema(),
                DeadLetter.getClassSchema());
    }

    @Test
    void everyContractRegisters() {
        for (Schema schema : contracts()) {
            assertThat(client.register("it-contracts-" + schema.getName(), schema)).isPositive();
        }
    }

    static LocalStack stack() {
        return LOCAL.stack();
    }
}
