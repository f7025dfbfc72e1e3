package io.monitml.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFileTest {

    @TempDir
    Path dir;

    private Table csv(final String text) throws IOException {
        return TestTables.csv(dir, "t.csv", text);
    }

    @Test
    void readsAQuotedLineBreakAsPartOfItsCellAndCountsLinesAfterIt() throws IOException {
        final Table table = csv("id,comment,x\n1,\"first line\nsecond line\",2.5\n2,\"say \"\"hi\"\", then, go\",3\n3,plain\n");

        assertThatThrownBy(() -> TestTables.rows(table)).hasMessageContaining("t.csv line 5 has 2 fields, the header has 3");
        final Table good = TestTables.csv(dir, "good.csv", "id,comment,x\n1,\"first line\nsecond line\",2.5\n2,\"say \"\"hi\"\", then, go\",3\n");
        final List<String[]> rows = TestTables.rows(good);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly("1", "first line\nsecond line", "2.5");
        assertThat(rows.get(1)).containsExactly("2", "say \"hi\", then, go", "3");
    }

    @Test
    void skipsAUtf8ByteOrderMark() throws IOException {
        final byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        final byte[] text = "price,rooms\n1,2\n".getBytes(StandardCharsets.UTF_8);
        final byte[] bytes = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, bytes, 0, bom.length);
        System.arraycopy(text, 0, bytes, bom.length, text.length);
        final Table table = CsvFile.open(Files.write(dir.resolve("bom.csv"), bytes));

        assertThat(table.header()).containsExactly("price", "rooms");
        assertThat(table.column("price")).isZero();
    }

    @Test
    void readsCrLfLineEndsWithoutKeepingTheCarriageReturn() throws IOException {
        final Table table = csv("a,b\r\n1,x\r\n\r\n2,\"y\r\nz\"\r\n");

        assertThat(table.header()).containsExactly("a", "b");
        final List<String[]> rows = TestTables.rows(table);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsExactly("1", "x");
        assertThat(rows.get(1)).containsExactly("2", "y\r\nz");
    }

    @Test
    void trimsUnquotedCellsAndReadsTheSameRowsOnEveryPass() throws IOException {
        final Table table = csv(" a , b \n 1 , x \n");

        assertThat(table.header()).containsExactly("a", "b");
        assertThat(TestTables.rows(table).get(0)).containsExactly("1", "x");
        assertThat(TestTables.rows(table).get(0)).containsExactly("1", "x");
    }

    @Test
    void namesTheFileAndLineOfWhatIsNotCsv() throws IOException {
        assertThatThrownBy(() -> csv("")).hasMessageContaining("t.csv is empty");
        final Table unclosed = TestTables.csv(dir, "unclosed.csv", "a,b\n1,2\n3,\"never closed\n");

        assertThatThrownBy(() -> TestTables.rows(unclosed)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unclosed.csv line");
        assertThatThrownBy(() -> csv("a,b\n1,2\n").column("c")).hasMessageContaining("No column c");
    }
}
