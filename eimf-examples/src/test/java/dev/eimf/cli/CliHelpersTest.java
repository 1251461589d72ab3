package dev.eimf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.esim.SelectionStrategy;
import dev.eimf.esim.HashingTextEncoder;
import dev.eimf.esim.MetadataInterestExtractor;
import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.ibim.EncoderType;
import dev.eimf.internal.ibim.Encoders;
import dev.eimf.internal.pipeline.EimfConfig;
import dev.eimf.internal.train.TrainerConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's helpers that need no data: the plot, the work-directory guard, the ablation's variants and statistics. */
class CliHelpersTest {
    @Test
    void ticksAreRoundAndCoverTheRange() {
        double[] t = ValidationPlot.ticks(0.195, 0.35, 6);
        assertTrue(t[0] <= 0.195 && t[t.length - 1] >= 0.35, java.util.Arrays.toString(t));
        assertEquals(0.05, t[1] - t[0], 1e-12, "0.155 / 6 rounds up to the next 1-2-2.5-5 step");
        assertTrue(t.length <= 8, java.util.Arrays.toString(t));
        t = ValidationPlot.ticks(0, 3000, 8);
        assertEquals(0, t[0], 0);
        assertEquals(3000, t[t.length - 1], 1e-9);
        assertEquals(500, t[1] - t[0], 1e-9);
    }

    @Test
    void plotDrawsBothSeriesAndReadsBack(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("sub").resolve("v.png");
        ValidationPlot.write(png, "title", "validation Recall@50", List.of(
                new ValidationPlot.Series("backbone", new long[] {250, 500, 750}, new double[] {0.21, 0.29, 0.30}),
                new ValidationPlot.Series("EIMF", new long[] {250, 500, 750}, new double[] {0.21, 0.30, 0.32})),
                250, "ESIM");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(ValidationPlot.WIDTH, img.getWidth());
        assertEquals(ValidationPlot.HEIGHT, img.getHeight());
        int red = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                int rgb = img.getRGB(x, y);
                if (((rgb >> 16) & 0xFF) > 180 && ((rgb >> 8) & 0xFF) < 80 && (rgb & 0xFF) < 80) red++;
            }
        }
        assertTrue(red > 200, "the EIMF line is drawn (" + red + " red pixels)");
        assertFalse(Files.exists(dir.resolve("sub").resolve("v.png.tmp")));
        assertThrows(IllegalArgumentException.class, () -> ValidationPlot.render("t", "y",
                List.of(new ValidationPlot.Series("x", new long[0], new double[0])), -1, ""));
    }

    @Test
    void workDirectoryKeepsItsSettings(@TempDir Path dir) throws Exception {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("steps", 3000L);
        s.put("tau", 0.1);
        assertFalse(WorkDirs.claim(dir.resolve("w"), s));
        assertTrue(WorkDirs.claim(dir.resolve("w"), s), "same settings: resumed");
        s.put("tau", 0.2);
        Args.UsageException e = assertThrows(Args.UsageException.class, () -> WorkDirs.claim(dir.resolve("w"), s));
        assertTrue(e.getMessage().contains("tau was 0.1, now 0.2"), e.getMessage());
    }

    @Test
    void variantsParseAndConfigure() {
        assertEquals(AblationCommand.VARIANTS, AblationCommand.variants("all"));
        // Trained to convergence unless told otherwise: a large budget that validation cuts short.
        java.util.Map<String, String> defaults = new java.util.HashMap<>();
        for (Command.Option o : new AblationCommand().options()) defaults.put(o.name(), o.fallback());
        assertEquals("30000", defaults.get("steps"));
        assertEquals("5", defaults.get("patience"));
        assertEquals("1000", defaults.get("eval-every"));
        for (Command.Option o : new TrainCommand().options()) if (o.name().equals("patience")) assertEquals("50", o.fallback());
        assertEquals(List.of("backbone", "eimf"), AblationCommand.variants("eimf,backbone,eimf"));
        Args.UsageException e = assertThrows(Args.UsageException.class, () -> AblationCommand.variants("eimf,both"));
        assertTrue(e.getMessage().contains("unknown variant 'both'"), e.getMessage());

        EncoderConfig sa = EncoderConfig.builder(EncoderType.SA).dim(8).numInterests(2).maxLen(5).build();
        EimfConfig base = EimfConfig.builder(TrainerConfig.builder(rng -> Encoders.create(sa, rng)).maxSteps(10).build())
                .extractor(MetadataInterestExtractor.builder().build()).textEncoder(new HashingTextEncoder())
                .storeDir(Path.of("store")).build();
        assertFalse(AblationCommand.variant(base, "backbone").semantic());
        assertFalse(AblationCommand.variant(base, "align").aux().semanticEnabled());
        assertTrue(AblationCommand.variant(base, "align").aux().alignEnabled());
        assertFalse(AblationCommand.variant(base, "semantic").aux().alignEnabled());
        assertTrue(AblationCommand.variant(base, "semantic").aux().semanticEnabled());
        assertEquals(SelectionStrategy.RANDOM, AblationCommand.variant(base, "eimf-random").typical().strategy());
        assertFalse(AblationCommand.variant(base, "eimf-no-propagation").propagate());
        EimfConfig eimf = AblationCommand.variant(base, "eimf");
        assertTrue(eimf.semantic() && eimf.propagate() && eimf.aux().alignEnabled() && eimf.aux().semanticEnabled());
        assertTrue(eimf.aux().itemAlignEnabled());
        assertFalse(AblationCommand.variant(base, "eimf-no-item").aux().itemAlignEnabled());
        // each single-task variant is the backbone plus that task alone
        assertFalse(AblationCommand.variant(base, "align").aux().itemAlignEnabled());
        assertFalse(AblationCommand.variant(base, "semantic").aux().itemAlignEnabled());
        EimfConfig item = AblationCommand.variant(base, "item");
        assertTrue(item.aux().itemAlignEnabled() && !item.aux().alignEnabled() && !item.aux().semanticEnabled());
        for (String v : AblationCommand.VARIANTS) assertEquals(v, AblationCommand.variant(base, v).runName());
    }

    @Test
    void meanAndSampleStandardDeviation() {
        AblationCommand.Stat s = AblationCommand.Stat.of(List.of(1.0, 2.0, 3.0));
        assertEquals(2.0, s.mean(), 1e-12);
        assertEquals(1.0, s.std(), 1e-12);
        assertEquals(0.0, AblationCommand.Stat.of(List.of(0.5)).std(), 0);
    }
}
