package dev.unroll.training.loop;

import dev.unroll.training.nn.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The batches of one epoch, in order. The order may depend only on the seed and the epoch number, so a resumed
 * run replays exactly the batches an uninterrupted run would have seen.
 *
 * @param <B> the batch type
 */
@FunctionalInterface
public interface BatchSource<B> {

    /**
     * @param shuffle whether to reorder (the trainer passes {@link TrainerConfig#shuffle()})
     */
    List<B> epoch(int epoch, long seed, boolean shuffle);

    /** Prepared batches, their order shuffled every epoch when asked. */
    static <B> BatchSource<B> of(List<B> batches) {
        List<B> fixed = List.copyOf(batches);
        return (epoch, seed, shuffle) -> shuffle ? permute(fixed, epoch, seed) : fixed;
    }

    /**
     * Examples shuffled every epoch when asked, then grouped into batches of {@code batchSize} (the last may be
     * smaller) and turned into batches by {@code collate} (e.g. padding token sequences).
     */
    static <E, B> BatchSource<B> fromExamples(List<E> examples, int batchSize, Function<List<E>, B> collate) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }
        List<E> fixed = List.copyOf(examples);
        return (epoch, seed, shuffle) -> {
            List<E> ordered = shuffle ? permute(fixed, epoch, seed) : fixed;
            List<B> batches = new ArrayList<>();
            for (int start = 0; start < ordered.size(); start += batchSize) {
                batches.add(collate.apply(ordered.subList(start, Math.min(ordered.size(), start + batchSize))));
            }
            return batches;
        };
    }

    /** The epoch's permutation of {@code items}, drawn from {@code seed} and {@code epoch} alone. */
    static <T> List<T> permute(List<T> items, int epoch, long seed) {
        int[] order = new int[items.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SeededRandom.derive(seed, epoch).shuffle(order);
        List<T> out = new ArrayList<>(order.length);
        for (int i : order) {
            out.add(items.get(i));
        }
        return out;
    }
}
