package dev.edgeinfer.testsupport.apps;

import java.util.List;

/** The pipeline's three apps: the module each is built in, its main class, and the heap it is given by default. */
public enum App {
    PRODUCER("producer", "dev.edgeinfer.producer.FrameProducerApp", "256m"),
    EDGE_CONSUMER("edge-consumer", "dev.edgeinfer.edge.EdgeConsumerApp", "256m"),
    ANALYTICS("analytics", "dev.edgeinfer.analytics.AnalyticsApp", "384m");

    private final String module;
    private final String mainClass;
    private final String heap;

    App(String module, String mainClass, String heap) {
        this.module = module;
        this.mainClass = mainClass;
        this.heap = heap;
    }

    /** The module folder whose build output the app starts from. */
    public String module() {
        return module;
    }

    public String mainClass() {
        return mainClass;
    }

    /** The JVM options the app runs with unless a launch gives others: its heap and the serial collector. */
    public List<String> defaultJvmOptions() {
        return List.of("-Xmx" + heap, "-XX:+UseSerialGC");
    }
}
