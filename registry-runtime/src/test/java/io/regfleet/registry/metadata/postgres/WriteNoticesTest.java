package io.regfleet.registry.metadata.postgres;

import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.metadata.postgres.replica.Lsn;
import io.regfleet.registry.metadata.postgres.replica.Write;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The write-position notice as other pods read it: a position, then the write's changes (or {@code *}: anything). */
class WriteNoticesTest {
    private static final Digest DIGEST = Digest.sha256Of(new byte[] {1});

    @Test
    void aNoticeNamesThePositionAndTheChangesFromWhichTheRepositoriesFollow() {
        RepositoryName app = new RepositoryName("team/app");
        WriteNotices.Notice notice = WriteNotices.parse("16/B374D848\nT team/app latest\nM team/app " + DIGEST + "\nL b " + DIGEST);
        assertEquals(Lsn.parse("16/B374D848"), notice.lsn());
        assertEquals(List.of(new MetadataChange.Tag(app, "latest"), new MetadataChange.Manifest(app, DIGEST),
                new MetadataChange.BlobLink(new RepositoryName("b"), DIGEST)), notice.changes());
        assertEquals(new Write(Lsn.parse("16/B374D848"), Set.of(app, new RepositoryName("b")), false), notice.write());
        assertEquals(new Write(Lsn.parse("0/1"), Set.of(), true), WriteNotices.parse("0/1\n*").write());
        assertEquals(new Write(Lsn.parse("0/1"), Set.of(), true), WriteNotices.parse("0/1\nB " + DIGEST).write(),
                "a blob changed for every repository");
    }

    @Test
    void anUnreadableChangeCountsAsAChangeOfEverything() {
        assertEquals(List.of(new MetadataChange.Everything()), WriteNotices.parse("0/1\nX what").changes());
    }

    @Test
    void aNoticeThatIsNotOneIsRefused() {
        // the last: an older pod's notice (repositories on the position's line) is not guessed at
        for (String payload : new String[] {"", "latest\nT a b", "0/1 team/app"}) {
            assertThrows(IllegalArgumentException.class, () -> WriteNotices.parse(payload), payload);
        }
    }
}
