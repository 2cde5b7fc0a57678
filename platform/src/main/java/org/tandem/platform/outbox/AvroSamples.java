package org.tandem.platform.outbox;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * A record of a schema made of neutral values (empty strings and lists, zeros, each enum's first symbol, each
 * union's first branch), for warming up a serialiser: it carries no data, and is never sent.
 */
final class AvroSamples {

    private AvroSamples() {}

    static GenericRecord of(Schema schema) {
        return (GenericRecord) value(schema);
    }

    static Object value(Schema s) {
        return switch (s.getType()) {
            case RECORD -> {
                GenericData.Record r = new GenericData.Record(s);
                for (Schema.Field f : s.getFields()) {
                    r.put(f.pos(), value(f.schema()));
                }
                yield r;
            }
            case ENUM -> new GenericData.EnumSymbol(s, s.getEnumSymbols().getFirst());
            case ARRAY -> List.of();
            case MAP -> Map.of();
            case UNION -> value(s.getTypes().getFirst());
            case FIXED -> new GenericData.Fixed(s, new byte[s.getFixedSize()]);
            case STRING -> "";
            case BYTES -> ByteBuffer.allocate(0);
            case INT -> 0;
            case LONG -> 0L;
            case FLOAT -> 0f;
            case DOUBLE -> 0d;
            case BOOLEAN -> false;
            case NULL -> null;
        };
    }
}
