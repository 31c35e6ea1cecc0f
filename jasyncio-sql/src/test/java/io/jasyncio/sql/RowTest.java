package io.jasyncio.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowTest {
    record Item(long id, boolean active, Instant seen, String createdBy) {}

    private static Row row(List<String> names, Object... values) throws Exception {
        var c = Columns.class.getDeclaredConstructor(List.class);
        c.setAccessible(true);
        return new Row(c.newInstance(names), values);
    }

    @Test
    void valuesConvertExactlyOrFailClearly() throws Exception {
        Row r = row(List.of("id", "active", "seen", "created_by", "big"), 7, 1, Timestamp.from(Instant.EPOCH), "me", 1L << 40);
        Item item = r.as(Item.class);
        assertThat(item).isEqualTo(new Item(7, true, Instant.EPOCH, "me"));
        assertThat(r.get("ID")).isEqualTo(7);
        assertThat(r.get("big", BigDecimal.class)).isEqualByComparingTo("1099511627776");
        assertThatThrownBy(() -> r.getInt("big")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> r.get(5)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("5 columns");
        assertThat(r.toMap()).containsEntry("created_by", "me");
        assertThat(r.toString()).startsWith("Row[id=7, active=1");
        Row nulls = row(List.of("id"), (Object) null);
        assertThat(nulls.get("id", Long.class)).isNull();
        assertThatThrownBy(() -> nulls.getLong("id")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NULL");
        assertThat(row(List.of("a", "b"), 1, new byte[3]).toString()).isEqualTo("Row[a=1, b=<3 bytes>]");
    }
}
