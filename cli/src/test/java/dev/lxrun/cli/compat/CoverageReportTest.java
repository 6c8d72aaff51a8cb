package dev.lxrun.cli.compat;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoverageReportTest {
    @TempDir
    Path dir;

    @Test
    void aDamagedRecordIsAnIoErrorNotACrash() throws IOException {
        Path f = dir.resolve("last-run.json");
        for (String text : new String[] {"{\"broken", "[1, 2]", "{\"a\": \"\\", "{\"summary\": 1}"}) {
            Files.writeString(f, text);
            IOException e = assertThrows(IOException.class, () -> CoverageReport.readRun(f), text);
            assertTrue(e.getMessage().startsWith(f + ": not a compat report"), e.getMessage());
        }
    }
}
