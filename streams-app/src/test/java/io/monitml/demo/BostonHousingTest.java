package io.monitml.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

class BostonHousingTest {

    @Test
    void loadsTheShippedDataWithoutColumnB() {
        BostonHousing data = BostonHousing.load();

        assertThat(data.featureNames())
                .containsExactly(
                        "crim", "zn", "indus", "chas", "nox", "rm", "age", "dis", "rad", "tax", "ptratio",
                        "lstat");
        assertThat(data.size()).isEqualTo(506);
        assertThat(data.features()).hasDimensions(506, 12);
        assertThat(data.row(0))
                .containsExactly(0.00632, 18.0, 2.31, 0, 0.538, 6.575, 65.2, 4.09, 1, 296, 15.3, 4.98);
        assertThat(data.medv()[0]).isEqualTo(24.0);
        assertThat(data.medv()[505]).isEqualTo(11.9);
    }

    @Test
    void featureIndexNamesTheColumnOrRejectsUnknownNames() {
        BostonHousing data = BostonHousing.load();

        assertThat(data.featureIndex("rm")).isEqualTo(5);
        assertThatThrownBy(() -> data.featureIndex("b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'b'");
    }

    @Test
    void accessorsReturnCopies() {
        BostonHousing data = BostonHousing.load();

        data.row(0)[0] = -1;
        data.features()[0][0] = -1;
        data.medv()[0] = -1;

        assertThat(data.row(0)[0]).isEqualTo(0.00632);
        assertThat(data.medv()[0]).isEqualTo(24.0);
    }

    @Test
    void missingResourceIsAClearError() {
        assertThatThrownBy(() -> BostonHousing.load("/data/nope.csv"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/data/nope.csv")
                .hasMessageContaining("not found");
    }

    @Test
    void malformedNumberNamesLineAndColumn() {
        String csv = "a,b,medv\n1,2,3\n4,x,6\n";

        assertThatThrownBy(() -> BostonHousing.parse(new StringReader(csv), "test.csv"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test.csv line 3 column 2")
                .hasMessageContaining("'x'");
    }

    @Test
    void wrongNumberOfValuesNamesTheLine() {
        String csv = "a,b,medv\n1,2,3\n4,5\n";

        assertThatThrownBy(() -> BostonHousing.parse(new StringReader(csv), "test.csv"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test.csv line 3: expected 3 values, got 2");
    }

    @Test
    void headerMustEndWithTheTarget() {
        String csv = "a,medv,b\n1,2,3\n";

        assertThatThrownBy(() -> BostonHousing.parse(new StringReader(csv), "test.csv"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test.csv line 1");
    }

    @Test
    void emptyInputIsRejected() {
        assertThatThrownBy(() -> BostonHousing.parse(new StringReader(""), "test.csv"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> BostonHousing.parse(new StringReader("a,medv\n"), "test.csv"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no data rows");
    }
}
