package org.tandem.notification;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The arguments of {@code notification-service rewrap-secrets}: wrong ones are refused with why (exit 64). */
class SecretRewrapArgumentsTest {

    @Test
    void the_batch_size_is_100_unless_given_and_wrong_arguments_are_refused() {
        assertThat(NotificationMain.rewrapBatchSize("rewrap-secrets")).isEqualTo(100);
        assertThat(NotificationMain.rewrapBatchSize("rewrap-secrets", "--batch-size=1"))
                .isEqualTo(1);
        assertThat(NotificationMain.rewrapBatchSize("rewrap-secrets", "--batch-size=10000"))
                .isEqualTo(10000);
        for (List<String> wrong : List.of(
                List.of("rewrap"),
                List.of("rewrap-secrets", "--batch-size=0"),
                List.of("rewrap-secrets", "--batch-size=10001"),
                List.of("rewrap-secrets", "--batch-size=x"),
                List.of("rewrap-secrets", "--all"))) {
            assertThatThrownBy(() -> NotificationMain.rewrapBatchSize(wrong.toArray(String[]::new)))
                    .as(String.join(" ", wrong))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new NotificationMain().run("rewrap"))
                .as("exit code of a wrong command")
                .isEqualTo(64);
    }
}
