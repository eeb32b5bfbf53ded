package dev.unroll.cli.task;

import dev.unroll.training.data.TokenLevel;
import java.util.Map;

/** Makes the {@link SequenceTask} of a task kind, fresh for training or restored from a checkpoint. */
public final class Tasks {
    private Tasks() {
    }

    public static SequenceTask<?, ?> create(TaskKind kind, TokenLevel tokens) {
        return switch (kind) {
            case CLASSIFY -> new ClassifyTask(tokens);
            case TAG -> new TagTask(tokens);
            case LM -> new LanguageModelTask(tokens);
            case SEQ2SEQ -> new Seq2SeqTask(tokens);
            case REGRESS -> new RegressTask(tokens);
        };
    }

    /** The task a checkpoint's extras describe, with its vocabularies. */
    public static SequenceTask<?, ?> restore(Map<String, String> extras) {
        TaskKind kind = TaskKind.parse(CheckpointKeys.require(extras, CheckpointKeys.TASK));
        TokenLevel tokens = TokenLevel.parse(CheckpointKeys.require(extras, CheckpointKeys.TOKENS));
        SequenceTask<?, ?> task = create(kind, tokens);
        task.restoreFrom(extras);
        return task;
    }
}
