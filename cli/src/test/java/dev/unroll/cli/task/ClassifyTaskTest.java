package dev.unroll.cli.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.UserError;
import dev.unroll.training.data.LabeledText;
import dev.unroll.training.data.TokenLevel;
import dev.unroll.training.data.Vocabulary;
import dev.unroll.training.model.ClassificationBatch;
import dev.unroll.training.model.TokenSequences;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassifyTaskTest {
    private static final List<LabeledText> TRAINING = List.of(new LabeledText("a", "ab"), new LabeledText("b", "ba"));

    @Test
    void aLabelOnlyInTheHeldOutPartIsStillALabel() {
        ClassifyTask task = new ClassifyTask(TokenLevel.CHAR);
        task.fit(TRAINING, List.of(new LabeledText("rare", "ab")));

        ClassificationBatch batch = task.collate(List.of(new LabeledText("rare", "b"), new LabeledText("a", "a")));

        assertArrayEquals(new int[] {2, 0}, batch.labels());
    }

    @Test
    void tokensComeFromTheTrainingPartOnly() {
        ClassifyTask task = new ClassifyTask(TokenLevel.CHAR);
        task.fit(TRAINING, List.of(new LabeledText("a", "zz")));

        TokenSequences input = (TokenSequences) task.collate(List.of(new LabeledText("a", "z"))).input();

        assertEquals(Vocabulary.UNKNOWN_ID, input.id(0, 0));
    }

    @Test
    void theVocabulariesSurviveTheCheckpointExtras() {
        ClassifyTask trained = new ClassifyTask(TokenLevel.CHAR);
        trained.fit(TRAINING, List.of());
        Map<String, String> extras = new HashMap<>();
        trained.saveTo(extras);
        ClassifyTask restored = new ClassifyTask(TokenLevel.CHAR);
        restored.restoreFrom(extras);

        List<LabeledText> examples = List.of(new LabeledText("b", "abba"), new LabeledText("a", "q"));
        ClassificationBatch before = trained.collate(examples);
        ClassificationBatch after = restored.collate(examples);

        assertArrayEquals(before.labels(), after.labels());
        assertArrayEquals(((TokenSequences) before.input()).ids(), ((TokenSequences) after.input()).ids());
    }

    @Test
    void aLabelUnknownToTheModelNamesTheKnownOnes() {
        ClassifyTask task = new ClassifyTask(TokenLevel.CHAR);
        task.fit(TRAINING, List.of());

        UserError error = assertThrows(UserError.class, () -> task.collate(List.of(new LabeledText("c", "ab"))));

        assertTrue(error.getMessage().contains("'c'") && error.getMessage().contains("[a, b]"), error.getMessage());
    }
}
