package dev.unroll.training.loop;

import dev.unroll.training.checkpoint.Checkpoint;
import dev.unroll.training.checkpoint.CheckpointFile;
import dev.unroll.training.clip.ClipReport;
import dev.unroll.training.model.TimeSplittable;
import dev.unroll.training.model.Trainable;
import dev.unroll.training.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The training loop: epochs of mini-batches, each step {@code zeroGrad -> lossAndGradients -> clip ->
 * optimizer step}, with truncated BPTT, a per-step listener, a validation hook per epoch, and checkpoints.
 *
 * <pre>{@code
 * Trainer<ClassificationBatch> trainer = new Trainer<>(model, BatchSource.of(batches), config);
 * trainer.addListener(TrainingListener.onEachStep(r -> bar.update(r.loss(), r.gradientNorm())));
 * trainer.checkpointTo(Path.of("model.ckpt"), 0, Map.of("vocabulary", vocabJson));
 * trainer.train();
 * }</pre>
 *
 * <p>Deterministic: the batch order depends on the seed and epoch only, dropout masks on the count of training
 * passes, and every number is computed in a fixed order, so the same seed, data and backend give bitwise the
 * same losses, and {@link #resume} continues exactly where a checkpoint was written. A NaN or infinite loss or
 * gradient stops training with {@link NonFiniteTrainingException} before anything is updated; the last
 * checkpoint stays as it was.
 *
 * <p>Checkpoints are taken between batches, so the hidden state a stateful model carries between the TBPTT
 * windows of one batch never needs saving; state carried from one batch into the next (batches the caller marks
 * {@link TimeSplittable#continuesPrevious()}) is not saved, and a resumed run starts such a batch from zero.
 *
 * @param <B> the batch type of the model
 */
public final class Trainer<B> implements AutoCloseable {
    private final Trainable<B> model;
    private final BatchSource<B> data;
    private final TrainerConfig config;
    private final Optimizer optimizer;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private Supplier<Map<String, Double>> validation = Map::of;
    private Path checkpointPath;
    private int checkpointEveryBatches;
    private Map<String, String> checkpointExtras = Map.of();
    private Path lastCheckpoint;
    /** Where the checkpoint this run resumed from stood, or null for a fresh run (a stop message names it). */
    private TrainingProgress resumedFrom;
    private int epoch;
    private int nextBatch;
    private long batchesDone;
    private double epochLossSum;
    private int epochSteps;

    /** A fresh run; the model should be initialized (or loaded) already. */
    public Trainer(Trainable<B> model, BatchSource<B> data, TrainerConfig config) {
        this.model = Objects.requireNonNull(model, "model");
        this.data = Objects.requireNonNull(data, "data");
        this.config = Objects.requireNonNull(config, "config");
        this.optimizer = config.optimizer().create();
    }

    /**
     * Continues the run a checkpoint recorded: the model must hold the checkpoint's parameters (see
     * {@link Checkpoint#restoreModel}); the optimizer state, progress and training configuration come from the
     * checkpoint.
     */
    public static <B> Trainer<B> resume(Trainable<B> model, BatchSource<B> data, Checkpoint checkpoint) {
        if (checkpoint.training() == null || checkpoint.optimizer() == null || checkpoint.progress() == null) {
            throw new IllegalArgumentException("the checkpoint holds a model only; it cannot resume training");
        }
        Trainer<B> trainer = new Trainer<>(model, data, checkpoint.training());
        TrainingProgress progress = checkpoint.progress();
        trainer.optimizer.restore(checkpoint.optimizer());
        trainer.epoch = progress.epoch();
        trainer.nextBatch = progress.nextBatch();
        trainer.batchesDone = progress.batchesDone();
        trainer.resumedFrom = progress;
        model.restoreTrainingPasses(progress.trainingPasses());
        return trainer;
    }

    public Trainable<B> model() {
        return model;
    }

    public TrainerConfig config() {
        return config;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** Where the run stands now. */
    public TrainingProgress progress() {
        return new TrainingProgress(epoch, nextBatch, batchesDone, model.trainingPasses());
    }

    public void addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /** Metrics computed at the end of every epoch (e.g. validation loss and accuracy). */
    public void setValidation(Supplier<Map<String, Double>> hook) {
        this.validation = Objects.requireNonNull(hook);
    }

    /**
     * Writes a checkpoint to {@code path} at the end of every epoch and, if {@code everyBatches > 0}, after
     * every {@code everyBatches} batches.
     *
     * @param extras opaque strings stored with the model, e.g. the vocabulary; {@code Map.of()} for none
     */
    public void checkpointTo(Path path, int everyBatches, Map<String, String> extras) {
        this.checkpointPath = Objects.requireNonNull(path, "path");
        this.checkpointEveryBatches = everyBatches;
        // Checked now, not at the first checkpoint (possibly an epoch later); Checkpoint fixes the order.
        this.checkpointExtras = Map.copyOf(Objects.requireNonNull(extras, "extras (use Map.of() for none)"));
    }

    /** A snapshot of the model, optimizer, configuration and progress now. */
    public Checkpoint checkpoint(Map<String, String> extras) {
        return Checkpoint.of(model, optimizer, config, progress(), extras);
    }

    /** Writes {@link #checkpoint} atomically. */
    public void saveCheckpoint(Path path, Map<String, String> extras) throws IOException {
        CheckpointFile.write(path, checkpoint(extras));
        lastCheckpoint = path;
    }

    /** Trains until the configured epochs are done. */
    public void train() {
        train(Long.MAX_VALUE);
    }

    /**
     * Trains at most {@code maxBatches} more batches (stopping early when the epochs are done), so a caller can
     * pause, checkpoint, and later {@link #resume}.
     *
     * @return whether all epochs are done
     */
    public boolean train(long maxBatches) {
        long trained = 0;
        while (epoch < config.epochs()) {
            List<B> batches = data.epoch(epoch, config.seed(), config.shuffle());
            while (nextBatch < batches.size()) {
                if (trained == maxBatches) {
                    return false;
                }
                trainBatch(batches.get(nextBatch), batches.size());
                trained++;
                nextBatch++;
                batchesDone++;
                if (checkpointPath != null && checkpointEveryBatches > 0 && batchesDone % checkpointEveryBatches == 0) {
                    autoCheckpoint();
                }
            }
            finishEpoch();
        }
        return true;
    }

    private void finishEpoch() {
        Map<String, Double> metrics = validation.get();
        double mean = epochSteps == 0 ? Double.NaN : epochLossSum / epochSteps;
        EpochReport report = new EpochReport(epoch, mean, optimizer.steps(), metrics);
        epoch++;
        nextBatch = 0;
        epochLossSum = 0;
        epochSteps = 0;
        if (checkpointPath != null) {
            autoCheckpoint();
        }
        listeners.forEach(l -> l.onEpoch(report));
    }

    private void autoCheckpoint() {
        try {
            saveCheckpoint(checkpointPath, checkpointExtras);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint " + checkpointPath, e);
        }
    }

    @SuppressWarnings("unchecked")
    private void trainBatch(B batch, int batchesInEpoch) {
        TruncatedBptt tbptt = config.tbptt();
        List<B> windows = tbptt != null && batch instanceof TimeSplittable<?> splittable
                ? (List<B>) splittable.splitTime(tbptt.forwardSteps())
                : List.of(batch);
        int backpropSteps = tbptt == null ? Trainable.ALL_STEPS : tbptt.backwardSteps();
        for (B window : windows) {
            step(window, backpropSteps, batchesInEpoch);
        }
    }

    private void step(B batch, int backpropSteps, int batchesInEpoch) {
        model.zeroGrad();
        double loss = model.lossAndGradients(batch, backpropSteps);
        if (!Double.isFinite(loss)) {
            throw stop("the loss is " + loss);
        }
        ClipReport clip = config.clipper().clip(model.parameters());
        if (!clip.finite()) {
            throw stop("the gradient norm is " + clip.normBefore());
        }
        double rate = config.schedule().rate(config.optimizer().learningRate(), optimizer.steps());
        optimizer.step(model.parameters(), rate);
        epochLossSum += loss;
        epochSteps++;
        StepReport report = new StepReport(epoch, nextBatch, batchesInEpoch, optimizer.steps(), loss,
                clip.normBefore(), clip.clipped(), rate);
        listeners.forEach(l -> l.onStep(report));
    }

    private NonFiniteTrainingException stop(String what) {
        String kept;
        if (lastCheckpoint != null) {
            kept = "The last good checkpoint, " + lastCheckpoint + ", is unchanged.";
        } else if (resumedFrom != null) {
            kept = "No checkpoint was written since the resume; the checkpoint this run resumed from (epoch "
                    + resumedFrom.epoch() + ", batch " + resumedFrom.nextBatch() + ") is unchanged.";
        } else {
            kept = "No checkpoint was written before.";
        }
        return new NonFiniteTrainingException("Training stopped at epoch " + epoch + ", batch " + nextBatch
                + " (after " + optimizer.steps() + " optimizer steps): " + what
                + ". Try a lower learning rate or gradient clipping. " + kept);
    }

    /** Releases the optimizer's state (the model belongs to the caller). */
    @Override
    public void close() {
        optimizer.close();
    }
}
