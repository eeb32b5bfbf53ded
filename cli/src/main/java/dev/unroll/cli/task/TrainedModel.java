package dev.unroll.cli.task;

import dev.unroll.api.Backend;
import dev.unroll.cli.BackendOption;
import dev.unroll.cli.UserError;
import dev.unroll.training.checkpoint.Checkpoint;
import dev.unroll.training.checkpoint.CheckpointFile;
import dev.unroll.training.model.SequenceModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checkpoint written by {@code unroll train}, loaded for use: its task (with the vocabularies) and the
 * model restored on a backend. Closing it frees the model and the backend.
 */
public final class TrainedModel implements AutoCloseable {
    private final Checkpoint checkpoint;
    private final SequenceTask<?, ?> task;
    private final Backend backend;
    private final SequenceModel model;

    private TrainedModel(Checkpoint checkpoint, SequenceTask<?, ?> task, Backend backend, SequenceModel model) {
        this.checkpoint = checkpoint;
        this.task = task;
        this.backend = backend;
        this.model = model;
    }

    /** Reads and verifies {@code file} and restores its model on the backend {@code backendOption} picks. */
    public static TrainedModel load(Path file, BackendOption backendOption) {
        Checkpoint checkpoint = read(file);
        return restore(checkpoint, Tasks.restore(checkpoint.extras()), backendOption);
    }

    /**
     * Like {@link #load(Path, BackendOption)}, for a command that needs a model of one task: a checkpoint of
     * another task fails, naming the command that fits it, before a backend is opened, so nothing is left open.
     */
    public static TrainedModel load(Path file, BackendOption backendOption, TaskKind expected, String command) {
        Checkpoint checkpoint = read(file);
        SequenceTask<?, ?> task = Tasks.restore(checkpoint.extras());
        if (task.kind() != expected) {
            throw new UserError(command + " needs a " + expected.id() + " model, but this checkpoint holds a "
                    + task.kind().id() + " model");
        }
        return restore(checkpoint, task, backendOption);
    }

    /** Reads and verifies {@code file}; a missing or unreadable file is a {@link UserError} saying which. */
    public static Checkpoint read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("no checkpoint at " + file);
        }
        try {
            return CheckpointFile.read(file);
        } catch (IOException e) {
            throw new UserError("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static TrainedModel restore(Checkpoint checkpoint, SequenceTask<?, ?> task, BackendOption backendOption) {
        Backend backend = backendOption.open();
        try {
            return new TrainedModel(checkpoint, task, backend, checkpoint.restoreModel(backend));
        } catch (RuntimeException | Error e) {
            backend.close();
            throw e;
        }
    }

    public SequenceTask<?, ?> task() {
        return task;
    }

    public SequenceModel model() {
        return model;
    }

    public Backend backend() {
        return backend;
    }

    /** The data the model was trained on, as given to {@code --data}. */
    public String trainedOn() {
        return checkpoint.extras().getOrDefault(CheckpointKeys.DATA, "");
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            backend.close();
        }
    }
}
