package org.tandem.platform.command;

import java.util.function.IntUnaryOperator;

import io.quarkus.runtime.Quarkus;

/**
 * A service's entry point with one maintenance command beside the server, {@code <name> [--batch-size=N]}: without
 * arguments the service runs; with the command's arguments the command runs once and the process exits with the code
 * it answers. A wrong argument exits 64 with the usage, a command that fails exits 1.
 *
 * @param service the service's name, as its usage shows it
 * @param name the command, e.g. {@code rewrap-secrets}
 * @param defaultBatch the batch size without {@code --batch-size}
 * @param maxBatch the largest batch size allowed
 */
public record BatchCommand(String service, String name, int defaultBatch, int maxBatch) {

    public static final String BATCH_SIZE = "--batch-size=";

    /** The exit code of a wrong command line. */
    public static final int USAGE = 64;

    /**
     * Runs the service until it is stopped when {@code args} is empty, else the command: {@code work} takes the batch
     * size and answers the exit code; 64 for wrong arguments, 1 when {@code work} throws.
     */
    public int run(String[] args, IntUnaryOperator work) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        int batch;
        try {
            batch = batchSize(args);
        } catch (IllegalArgumentException e) {
            System.err.println(
                    service + ": " + e.getMessage() + ". Usage: " + service + " [" + name + " [" + BATCH_SIZE + "N]]");
            return USAGE;
        }
        try {
            return work.applyAsInt(batch);
        } catch (RuntimeException e) {
            System.err.println(name + " failed: " + e.getMessage());
            return 1;
        }
    }

    /** The batch size that {@code <name> [--batch-size=N]} asks for; anything else is refused with why. */
    public int batchSize(String... args) {
        if (!args[0].equals(name)) {
            throw new IllegalArgumentException("unknown command");
        }
        int batch = defaultBatch;
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith(BATCH_SIZE)) {
                throw new IllegalArgumentException("unknown option");
            }
            try {
                batch = Integer.parseInt(args[i].substring(BATCH_SIZE.length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the batch size is not a number");
            }
            if (batch < 1 || batch > maxBatch) {
                throw new IllegalArgumentException("the batch size must be 1 to " + maxBatch);
            }
        }
        return batch;
    }
}
