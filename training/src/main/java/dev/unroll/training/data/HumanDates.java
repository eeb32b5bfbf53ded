package dev.unroll.training.data;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * Dates written the way people write them, paired with their ISO 8601 form: the classic character-level
 * translation task ({@code "march 3, 1998" -> "1998-03-03"}). Dates are uniform between 1950-01-01 and
 * 2049-12-31, each written in one of {@link #FORMATS} chosen at random; all lower case, as the model
 * would otherwise just have to learn capitalisation too.
 *
 * <p>The numeric formats are unambiguous on purpose: day-first with dots, month-first with slashes, as a
 * reader in Germany or the US would take them.
 */
public final class HumanDates {
    private static final LocalDate FIRST = LocalDate.of(1950, 1, 1);
    private static final LocalDate LAST = LocalDate.of(2049, 12, 31);

    /** The ways of writing a date, each a function from date to text; the comments show 1998-03-03. */
    public static final List<Function<LocalDate, String>> FORMATS = List.of(
            d -> month(d) + " " + d.getDayOfMonth() + ", " + d.getYear(),             // march 3, 1998
            d -> d.getDayOfMonth() + " " + month(d) + " " + d.getYear(),              // 3 march 1998
            d -> shortMonth(d) + " " + d.getDayOfMonth() + " " + d.getYear(),         // mar 3 1998
            d -> weekday(d) + ", " + month(d) + " " + d.getDayOfMonth() + ", " + d.getYear(), // tuesday, march 3, 1998
            d -> d.format(DateTimeFormatter.ofPattern("dd.MM.yyyy")),                // 03.03.1998
            d -> d.format(DateTimeFormatter.ofPattern("M/d/yyyy")),                  // 3/3/1998
            d -> d.getDayOfMonth() + " " + shortMonth(d) + " " + d.getYear(),         // 3 mar 1998
            d -> d.getYear() + " " + month(d) + " " + d.getDayOfMonth());             // 1998 march 3

    private HumanDates() {
    }

    /** A random date in 1950..2049. */
    public static LocalDate randomDate(Random random) {
        long span = LAST.toEpochDay() - FIRST.toEpochDay() + 1;
        return LocalDate.ofEpochDay(FIRST.toEpochDay() + (long) (random.nextDouble() * span));
    }

    /** {@code date} in format {@code formatIndex} of {@link #FORMATS}. */
    public static String write(LocalDate date, int formatIndex) {
        return FORMATS.get(formatIndex).apply(date);
    }

    /** {@code date} as ISO 8601, e.g. {@code 1998-03-03}. */
    public static String iso(LocalDate date) {
        return date.format(DateTimeFormatter.ISO_LOCAL_DATE);
    }

    /** {@code count} pairs (human-written date, ISO date), each date and format drawn from {@code random}. */
    public static List<TextPair> generate(int count, Random random) {
        List<TextPair> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            LocalDate date = randomDate(random);
            pairs.add(new TextPair(write(date, random.nextInt(FORMATS.size())), iso(date)));
        }
        return pairs;
    }

    private static String month(LocalDate d) {
        return d.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT);
    }

    private static String shortMonth(LocalDate d) {
        return month(d).substring(0, 3);
    }

    private static String weekday(LocalDate d) {
        return d.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT);
    }
}
