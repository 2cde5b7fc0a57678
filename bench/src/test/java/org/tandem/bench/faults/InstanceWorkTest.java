package org.tandem.bench.faults;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceWorkTest {

    @Test
    void a_counter_is_summed_over_the_restarts_that_set_it_back_to_zero() {
        InstanceWork.Counter c = new InstanceWork.Counter();
        c.observe(5);
        c.observe(12);
        c.observe(-1); // not read
        c.reset(); // a new process
        c.observe(3);
        c.observe(4);
        c.observe(2); // set back without a reset seen: counted from zero
        assertThat(c.total()).isEqualTo(12 + 4 + 2);
    }

    @Test
    void the_metrics_are_summed_over_their_labels() {
        String text = """
                # TYPE http_server_requests_seconds_count counter
                http_server_requests_seconds_count{method="POST",outcome="SUCCESS",status="201",uri="/api/v1/referrals"} 7.0
                http_server_requests_seconds_count{method="POST",outcome="SUCCESS",status="200",uri="/api/v1/referrals/{id}/acceptance"} 20.0
                http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/a/\\"{x}\\""} 1.0
                http_server_requests_seconds_count{method="POST",outcome="SUCCESS",status="200",uri="/x"} 3.0 1796444602
                http_server_requests_seconds_sum{method="POST",uri="/x"} 0.25
                tandem_webhook_attempts_total{result="delivered"} 4.0
                tandem_webhook_attempts_total{result="failed"} 1.0 # {span_id="00f067aa0ba902b7",trace_id="4bf92f3577b34da6a3ce929d0e0e4736"} 1.0 1796444602.123
                """;
        assertThat(InstanceWork.sums(text))
                .containsEntry(InstanceWork.HTTP_REQUESTS, 31.0)
                .containsEntry(InstanceWork.WEBHOOK_ATTEMPTS, 5.0)
                .hasSize(2);
    }
}
