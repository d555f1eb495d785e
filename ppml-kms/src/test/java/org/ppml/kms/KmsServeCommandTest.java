package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument and config-file parsing of {@code ppml kms serve}. */
class KmsServeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void flagsOverrideTheConfigFile() throws Exception {
        Path toml = tmp.resolve("kms.toml");
        Files.writeString(toml, "listen = \"0.0.0.0:9443\"\ndata = \"" + tmp.resolve("d") + "\"\ndev = true\n"
                + "devHome = \"" + tmp.resolve("dev") + "\"\ntokenLifetimeSeconds = 120\n");
        KeyBrokerConfig c = KmsServeCommand.parse(new String[] {"--config", toml.toString(), "--listen", "127.0.0.1:0"});
        assertEquals("127.0.0.1", c.host());
        assertEquals(0, c.port());
        assertTrue(c.dev());
        assertEquals(tmp.resolve("dev"), c.devHome());
        assertEquals(Duration.ofSeconds(120), c.tokenLifetime());
        assertEquals(tmp.resolve("d"), c.dataDir());
    }

    @Test
    void badUsageExitsWithTwoAndOneLine() throws Exception {
        Files.writeString(tmp.resolve("bad.toml"), "listne = \"x\"\n");
        for (String[] args : new String[][] {{"--bogus"}, {"--listen", "nohost"}, {"--listen"},
                {"--config", tmp.resolve("bad.toml").toString()}, {"--dev", "--dev-home", tmp.resolve("none").toString(),
                "--data", tmp.resolve("data").toString(), "--listen", "127.0.0.1:0"}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = KmsServeCommand.run(args, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8), false);
            assertEquals(2, code, String.join(" ", args));
            String msg = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, msg.lines().count(), msg);
            assertTrue(msg.startsWith("ppml kms serve: "), msg);
        }
        assertThrows(IllegalArgumentException.class, () -> KmsServeCommand.parse(new String[] {"--token-lifetime", "x"}));
    }
}
