package dev.unroll.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HumanDatesTest {

    @Test
    void writesTheExampleOfTheIssue() {
        LocalDate date = LocalDate.of(1998, 3, 3);

        assertEquals("march 3, 1998", HumanDates.write(date, 0));
        assertEquals("1998-03-03", HumanDates.iso(date));
    }

    @Test
    void everyFormatNamesTheDayMonthAndYear() {
        LocalDate date = LocalDate.of(2017, 11, 24);
        Set<String> written = new HashSet<>();
        for (int f = 0; f < HumanDates.FORMATS.size(); f++) {
            String text = HumanDates.write(date, f);
            assertTrue(text.contains("2017") && text.contains("24"), text);
            assertTrue(text.contains("nov") || text.contains("11"), text);
            written.add(text);
        }
        assertEquals(HumanDates.FORMATS.size(), written.size(), "formats must differ: " + written);
    }

    @Test
    void generatedTargetsAreTheIsoFormOfADateIn1950To2049() {
        List<TextPair> pairs = HumanDates.generate(500, new Random(11));

        for (TextPair pair : pairs) {
            LocalDate date = LocalDate.parse(pair.target());
            assertTrue(date.getYear() >= 1950 && date.getYear() <= 2049, pair.toString());
            assertTrue(pair.source().contains(String.valueOf(date.getYear())), pair.toString());
        }
        assertEquals(pairs, HumanDates.generate(500, new Random(11)));
    }
}
