package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.postgres.replica.Lsn;
import io.regfleet.registry.metadata.postgres.replica.Write;
import io.regfleet.registry.oci.RepositoryName;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The write-position notice as other pods read it: a position and the repositories, or {@code *} for all. */
class WriteNoticesTest {

    @Test
    void aNoticeNamesThePositionAndTheRepositoriesOrEveryOne() {
        assertEquals(new Write(Lsn.parse("16/B374D848"), Set.of(new RepositoryName("team/app"), new RepositoryName("b")), false),
                WriteNotices.parse("16/B374D848 team/app b"));
        assertEquals(new Write(Lsn.parse("0/1"), Set.of(), true), WriteNotices.parse("0/1 *"));
    }

    @Test
    void aNoticeThatIsNotOneIsRefused() {
        for (String payload : new String[] {"", "latest team/app", "0/1 Not_A_Name"}) {
            assertThrows(IllegalArgumentException.class, () -> WriteNotices.parse(payload), payload);
        }
    }
}
