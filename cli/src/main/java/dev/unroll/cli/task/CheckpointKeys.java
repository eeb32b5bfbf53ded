package dev.unroll.cli.task;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import dev.unroll.cli.UserError;
import dev.unroll.training.data.Vocabulary;
import java.util.List;
import java.util.Map;

/**
 * The names under which the command line keeps its own state in a checkpoint's extras: the task, the token
 * level, the data it was trained on and the vocabularies (JSON lists of tokens in id order).
 */
public final class CheckpointKeys {
    public static final String TASK = "unroll.task";
    public static final String TOKENS = "unroll.tokens";
    public static final String DATA = "unroll.data";
    public static final String VOCABULARY = "unroll.vocabulary";
    public static final String TARGET_VOCABULARY = "unroll.targetVocabulary";
    public static final String LABELS = "unroll.labels";
    public static final String MAX_TARGET_LENGTH = "unroll.maxTargetLength";
    /** The --validation fraction, so that `train --resume` holds out the same examples. */
    public static final String VALIDATION = "unroll.validation";
    /** The --batch size, which decides the batches, so that `train --resume` draws the same ones. */
    public static final String BATCH = "unroll.batch";
    /** The --examples count of builtin data, so that `train --resume` generates the same examples. */
    public static final String EXAMPLES = "unroll.examples";

    private static final Gson GSON = new Gson();

    private CheckpointKeys() {
    }

    static void putList(Map<String, String> extras, String key, List<String> values) {
        extras.put(key, GSON.toJson(values));
    }

    static List<String> getList(Map<String, String> extras, String key) {
        return GSON.fromJson(require(extras, key), new TypeToken<List<String>>() { }.getType());
    }

    static Vocabulary getVocabulary(Map<String, String> extras, String key) {
        return Vocabulary.of(getList(extras, key));
    }

    public static String require(Map<String, String> extras, String key) {
        String value = extras.get(key);
        if (value == null) {
            throw new UserError("the checkpoint was not written by `unroll train` (it lacks " + key + ")");
        }
        return value;
    }
}
