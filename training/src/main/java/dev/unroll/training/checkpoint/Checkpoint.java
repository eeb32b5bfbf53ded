package dev.unroll.training.checkpoint;

import dev.unroll.api.Backend;
import dev.unroll.api.DType;
import dev.unroll.training.io.HostTensor;
import dev.unroll.training.loop.TrainerConfig;
import dev.unroll.training.loop.TrainingProgress;
import dev.unroll.training.model.ModelConfig;
import dev.unroll.training.model.Models;
import dev.unroll.training.model.Seq2SeqConfig;
import dev.unroll.training.model.SequenceModel;
import dev.unroll.training.nn.StateDict;
import dev.unroll.training.optim.Optimizer;
import dev.unroll.training.optim.OptimizerState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Everything needed to use a trained model or to continue its training: written and read by
 * {@link CheckpointFile}.
 *
 * <p>The maps iterate in a fixed order, which is the order the file lists them in, so the same state always
 * gives the same bytes: the parameters in the order given ({@link StateDict#of} gives the model's parameter
 * order, PyTorch's {@code state_dict} order), the extras sorted by key (whatever map the caller passed, even
 * a {@code Map.of} whose order changes from one JVM run to the next).
 *
 * @param model      the model's configuration (rebuilds its parameters' names and shapes)
 * @param dtype      the dtype the model was trained in
 * @param parameters every parameter's value by name, in the order given
 * @param optimizer  the optimizer's state, or null (a model saved for inference only)
 * @param training   the training configuration, or null
 * @param progress   where training stood, or null
 * @param extras     opaque strings the caller keeps with the model, e.g. its vocabulary, sorted by key; not
 *                   null ({@code Map.of()} for none)
 */
public record Checkpoint(ModelConfig model, DType dtype, Map<String, HostTensor> parameters,
                         OptimizerState optimizer, TrainerConfig training, TrainingProgress progress,
                         Map<String, String> extras) {
    /** A seq2seq decoder's learned initial state, as older checkpoints hold it (it is unidirectional). */
    private static final Pattern UNREAD_DECODER_INITIAL_STATE = Pattern.compile("decoder\\.rnn\\.[hc]0_l\\d+");


    public Checkpoint {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dtype, "dtype");
        // Not Map.copyOf: its iteration order differs between JVM runs, and so would the file's bytes.
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(parameters,
                "parameters")));
        extras = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(extras,
                "extras (use Map.of() for none)")));
    }

    /** A snapshot of a model and, optionally, its training. Downloads the tensors now. */
    public static Checkpoint of(SequenceModel model, Optimizer optimizer, TrainerConfig training,
                                TrainingProgress progress, Map<String, String> extras) {
        return new Checkpoint(model.config(), model.dtype(), StateDict.of(model),
                optimizer == null ? null : optimizer.state(), training, progress, extras);
    }

    /** A model-only snapshot, for inference. */
    public static Checkpoint ofModel(SequenceModel model, Map<String, String> extras) {
        return of(model, null, null, null, extras);
    }

    /** Builds the model on {@code backend} in the saved dtype and loads its parameters and dropout count. */
    public SequenceModel restoreModel(Backend backend) {
        SequenceModel m = Models.create(backend, dtype, model);
        try {
            StateDict.load(m, withoutUnreadDecoderInitialStates(), true);
            if (progress != null) {
                m.restoreTrainingPasses(progress.trainingPasses());
            }
            return m;
        } catch (RuntimeException | Error e) {
            m.close();
            throw e;
        }
    }

    /**
     * The parameters, less a seq2seq decoder's learned initial states ({@code decoder.rnn.h0_l{k}} and
     * {@code c0_l{k}}). A seq2seq with {@code learnedInitialState} once gave its decoder such parameters too,
     * but the decoder always starts from the encoder's final state, so they were never read; its decoder now has
     * none (see {@link Seq2SeqConfig#decoderRnn}), and a checkpoint saved before holds entries the strict load
     * would refuse. Dropping them loses nothing.
     */
    private Map<String, HostTensor> withoutUnreadDecoderInitialStates() {
        if (!(model instanceof Seq2SeqConfig)) {
            return parameters;
        }
        Map<String, HostTensor> read = new LinkedHashMap<>(parameters);
        read.keySet().removeIf(name -> UNREAD_DECODER_INITIAL_STATE.matcher(name).matches());
        return read;
    }
}
