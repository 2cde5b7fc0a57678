package org.tandem.platform.idempotency;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parts of the Idempotency-Key handling that need no database: which keys are accepted and when two requests
 * count as the same. Storing and replaying answers is covered by the services' API tests.
 */
class IdempotencyRulesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    static String hash(String... args) throws Exception {
        JsonNode[] nodes = new JsonNode[args.length];
        for (int i = 0; i < args.length; i++) {
            nodes[i] = args[i] == null ? null : json(args[i]);
        }
        return IdempotencyInterceptor.requestHash("Resource#create", "/referrals", Arrays.asList(nodes));
    }

    @Test
    void keys_are_1_to_255_visible_ascii_characters() {
        assertThat(IdempotencyInterceptor.validKey("a")).isTrue();
        assertThat(IdempotencyInterceptor.validKey("0f8c-4d1e_~!")).isTrue();
        assertThat(IdempotencyInterceptor.validKey("k".repeat(255))).isTrue();
        assertThat(IdempotencyInterceptor.validKey("")).isFalse();
        assertThat(IdempotencyInterceptor.validKey("k".repeat(256))).isFalse();
        assertThat(IdempotencyInterceptor.validKey("with space")).isFalse();
        assertThat(IdempotencyInterceptor.validKey("tab\there")).isFalse();
        assertThat(IdempotencyInterceptor.validKey("café")).isFalse();
    }

    @Test
    void the_same_content_in_another_member_or_set_order_is_the_same_request() throws Exception {
        assertThat(hash("{\"a\":1,\"b\":[\"X\",\"Y\"]}")).isEqualTo(hash("{\"b\":[\"Y\",\"X\"],\"a\":1}"));
        assertThat(hash("{\"o\":{\"p\":true,\"q\":null}}")).isEqualTo(hash("{\"o\":{\"q\":null,\"p\":true}}"));
    }

    @Test
    void other_content_is_another_request() throws Exception {
        String base = hash("{\"a\":1,\"b\":[\"X\"]}");
        assertThat(hash("{\"a\":2,\"b\":[\"X\"]}")).isNotEqualTo(base);
        assertThat(hash("{\"a\":1,\"b\":[\"X\",\"X\"]}")).isNotEqualTo(base);
        assertThat(hash("{\"a\":1,\"b\":[\"X\"],\"c\":0}")).isNotEqualTo(base);
        assertThat(hash("{\"a\":\"1\",\"b\":[\"X\"]}"))
                .as("a string is not a number")
                .isNotEqualTo(base);
        assertThat(hash("{\"a\":1,\"b\":[\"X\"]}", null))
                .as("an extra argument")
                .isNotEqualTo(base);
    }

    @Test
    void the_same_content_on_another_path_or_method_is_another_request() throws Exception {
        List<JsonNode> args = List.of(json("{\"a\":1}"));
        String base = IdempotencyInterceptor.requestHash("Resource#create", "/referrals", args);
        assertThat(IdempotencyInterceptor.requestHash("Resource#create", "/referrals/1", args))
                .isNotEqualTo(base);
        assertThat(IdempotencyInterceptor.requestHash("Resource#update", "/referrals", args))
                .isNotEqualTo(base);
        assertThat(base).matches("[0-9a-f]{64}");
    }

    @Test
    void a_member_name_cannot_be_forged_by_quoting() throws Exception {
        // names are written as JSON strings, so a name holding quotes and colons cannot mimic two members
        assertThat(hash("{\"a\\\":1,\\\"b\":2}")).isNotEqualTo(hash("{\"a\":1,\"b\":2}"));
    }
}
