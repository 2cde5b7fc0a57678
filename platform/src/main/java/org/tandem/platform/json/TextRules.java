package org.tandem.platform.json;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Rules for every text value in a request body: a NUL character is refused where it is read, with a problem
 * that names the field, because PostgreSQL text cannot store it and no Tandem value contains one.
 */
@Singleton
public class TextRules implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("tandem-text-rules").addDeserializer(String.class, new NoNulText()));
    }

    /** Jackson's own string reading, then the NUL check. */
    static final class NoNulText extends StdScalarDeserializer<String> {

        NoNulText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            if (value != null && value.indexOf('\0') >= 0) {
                throw InvalidFormatException.from(
                        p, "contains a NUL character, which no Tandem value may hold", "(not echoed)", String.class);
            }
            return value;
        }
    }
}
