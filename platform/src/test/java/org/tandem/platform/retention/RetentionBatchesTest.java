package org.tandem.platform.retention;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loop of a retention job's bounded batches, without a database: each batch is a scripted answer. */
class RetentionBatchesTest {

    /** Answers the scripted batches in turn and counts the calls; fails the test if asked once too often. */
    static final class Script implements Supplier<RetentionBatches.Done> {
        private final Iterator<RetentionBatches.Done> answers;
        int calls;

        Script(RetentionBatches.Done... answers) {
            this.answers = List.of(answers).iterator();
        }

        @Override
        public RetentionBatches.Done get() {
            calls++;
            if (!answers.hasNext()) {
                throw new AssertionError("a batch was run after the last one");
            }
            return answers.next();
        }
    }

    @Test
    void full_batches_run_again_until_one_comes_back_short_and_their_changes_add_up() {
        Script script =
                new Script(RetentionBatches.Done.of(3), RetentionBatches.Done.of(3), RetentionBatches.Done.of(2));
        assertThat(RetentionBatches.repeat(3, script)).isEqualTo(8);
        assertThat(script.calls).isEqualTo(3);
    }

    @Test
    void an_empty_first_batch_is_the_only_one() {
        Script script = new Script(RetentionBatches.Done.of(0));
        assertThat(RetentionBatches.repeat(200, script)).isZero();
        assertThat(script.calls).isEqualTo(1);
    }

    @Test
    void a_full_batch_then_an_empty_one_ends_the_run() {
        Script script = new Script(RetentionBatches.Done.of(2), RetentionBatches.Done.of(0));
        assertThat(RetentionBatches.repeat(2, script)).isEqualTo(2);
        assertThat(script.calls).isEqualTo(2);
    }

    @Test
    void the_rows_taken_decide_whether_more_are_waiting_and_the_rows_changed_are_counted() {
        // a full batch of which only one row could be changed (the others had moved on): the next batch still runs
        Script script = new Script(new RetentionBatches.Done(4, 1), new RetentionBatches.Done(1, 1));
        assertThat(RetentionBatches.repeat(4, script)).isEqualTo(2);
        assertThat(script.calls).isEqualTo(2);
    }

    @Test
    void a_failing_batch_ends_the_run_with_its_exception() {
        List<String> ran = new ArrayList<>();
        Supplier<RetentionBatches.Done> batches = () -> {
            ran.add("batch");
            if (ran.size() == 2) {
                throw new IllegalStateException("database gone");
            }
            return RetentionBatches.Done.of(5);
        };
        assertThatThrownBy(() -> RetentionBatches.repeat(5, batches))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("database gone");
        assertThat(ran).hasSize(2);
    }

    @Test
    void a_batch_size_out_of_bounds_is_refused_before_any_batch_runs() {
        for (int size : new int[] {0, -1, RetentionBatches.MAX_BATCH + 1}) {
            Script script = new Script();
            assertThatThrownBy(() -> RetentionBatches.repeat(size, script))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tandem.retention.batch-size");
            assertThat(script.calls).isZero();
        }
        assertThat(RetentionBatches.repeat(RetentionBatches.MAX_BATCH, new Script(RetentionBatches.Done.of(1))))
                .isEqualTo(1);
    }
}
