package dev.edgeinfer.rollout;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code models}: publish a model to the fleet through Kafka, and see which devices run what. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Roll models out to the fleet through the models topic.",
        subcommands = {PublishCommand.class, CanaryCommand.class, StatusCommand.class})
public final class ModelsCommand implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new ModelsCommand()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
