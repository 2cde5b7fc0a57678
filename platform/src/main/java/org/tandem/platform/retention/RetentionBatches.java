package org.tandem.platform.retention;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.narayana.jta.QuarkusTransaction;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The bounded batches of a retention job (docs/retention.md): a batch of at most
 * {@code tandem.retention.batch-size} rows (default 200), each in its own transaction, again and again while a
 * batch comes back full. A batch skips the rows another transaction holds ({@code for update skip locked} in
 * its repository), so the next run takes them.
 */
@ApplicationScoped
public class RetentionBatches {

    /** The largest batch: every input has a limit. */
    public static final int MAX_BATCH = 10_000;

    /** One batch, given the most rows it may take. */
    @FunctionalInterface
    public interface Batch {
        Done run(int limit);
    }

    /**
     * What one batch did.
     *
     * @param taken   how many rows it took (a batch that took fewer than the limit is the last)
     * @param changed how many records it deleted or anonymised (counted in the total)
     */
    public record Done(int taken, int changed) {
        /** A batch whose every row taken was changed, such as one {@code delete ... limit}. */
        public static Done of(int n) {
            return new Done(n, n);
        }
    }

    @ConfigProperty(name = "tandem.retention.batch-size", defaultValue = "200")
    int batchSize;

    /** The configured batch size. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Runs {@code batch}, each time in a new transaction, until one takes less than a full batch; returns the sum of
     * the changes.
     */
    public int inBatches(Batch batch) {
        int limit = batchSize;
        return repeat(limit, () -> QuarkusTransaction.requiringNew().call(() -> batch.run(limit)));
    }

    /**
     * Calls {@code batch} until it takes fewer than {@code batchSize} rows; returns the sum of what the batches
     * changed. A batch that fails ends the run with its exception (its own transaction is rolled back; the earlier
     * ones stay).
     */
    static int repeat(int batchSize, Supplier<Done> batch) {
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new IllegalArgumentException("tandem.retention.batch-size must be 1 to " + MAX_BATCH);
        }
        int total = 0;
        while (true) {
            Done done = batch.get();
            total += done.changed();
            if (done.taken() < batchSize) {
                return total;
            }
        }
    }
}
