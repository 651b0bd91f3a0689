package io.regfleet.registry.metadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.regfleet.registry.blob.UploadState;
import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RepositoryName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.text.Collator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every metadata store ({@link MetadataStore} and its {@link UploadSessions}) must do. A subclass supplies
 * both over the same, empty state for each test, and a way to let time pass for upload sessions.
 */
public abstract class MetadataStoreContract {
    static final RepositoryName APP = new RepositoryName("team/app");
    static final RepositoryName OTHER = new RepositoryName("team/other");
    static final String IMAGE = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX = "application/vnd.oci.image.index.v1+json";
    static final Duration LEASE = Duration.ofMinutes(15);

    private Stores stores;

    /** A store under test, its upload sessions, its inventory and its verify ledger, over the same state. */
    public record Stores(MetadataStore store, UploadSessions sessions, Inventory inventory, VerifyLedger ledger) {
    }

    /** New stores over an empty state; called before each test. */
    protected abstract Stores emptyStores();

    /** Makes every upload session and lease older by {@code elapsed}, as if that much time had passed. */
    protected abstract void timePasses(Duration elapsed);

    @BeforeEach
    void createStores() {
        stores = emptyStores();
    }

    protected MetadataStore store() {
        return stores.store();
    }

    protected UploadSessions sessions() {
        return stores.sessions();
    }

    protected Inventory inventory() {
        return stores.inventory();
    }

    protected VerifyLedger ledger() {
        return stores.ledger();
    }

    // --- manifests and tags

    @Test
    void storesAManifestAndReadsItByTagAndByDigest() {
        Digest config = blob(APP, "config");
        Digest layer = blob(APP, "layer");
        byte[] content = content("image");

        Digest digest = put(APP, "v1", image(List.of(config, layer), null, null, null), content);

        for (Reference reference : List.of(new Reference.Tag("v1"), new Reference.ByDigest(digest))) {
            StoredManifest read = store().manifest(APP, reference).orElseThrow();
            assertEquals(digest, read.digest());
            assertEquals(IMAGE, read.mediaType());
            assertArrayEquals(content, read.content());
        }
        assertTrue(store().repositoryExists(APP));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.Tag("v2")));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.ByDigest(Digest.sha256Of(content("no")))));
    }

    @Test
    void knowsNothingOfAnUnknownRepository() {
        Digest digest = Digest.sha256Of(content("anything"));

        assertFalse(store().repositoryExists(APP));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.Tag("latest")));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.ByDigest(digest)));
        assertEquals(Optional.empty(), store().tags(APP, null, 10));
        assertEquals(OptionalLong.empty(), store().blobSize(APP, digest));
        assertFalse(store().deleteManifest(APP, digest));
        assertFalse(store().deleteTag(APP, "latest"));
        assertFalse(store().unlinkBlob(APP, digest));
        assertEquals(List.of(), store().referrers(APP, digest, null));
        assertEquals(Page.EMPTY, store().catalog(null, 10));
        assertFalse(store().repositoryExists(APP), "reading creates nothing");
    }

    @Test
    void refusesAManifestWhoseBlobsAreMissingAndWritesNothing() {
        Digest absent1 = Digest.sha256Of(content("absent 1"));
        Digest absent2 = Digest.sha256Of(content("absent 2"));
        ParsedManifest parsed = image(List.of(absent1, absent2), null, null, null);

        MissingReferencesException e = assertThrows(MissingReferencesException.class,
                () -> store().putManifest(APP, Digest.sha256Of(content("m")), parsed, content("m"), "v1"));

        assertEquals(List.of(absent1, absent2), e.blobs());
        assertEquals(List.of(), e.manifests());
        assertFalse(store().repositoryExists(APP), "the repository a refused first push would create is not kept");

        Digest present = blob(APP, "present");
        e = assertThrows(MissingReferencesException.class, () -> store().putManifest(APP, Digest.sha256Of(content("m")),
                image(List.of(present, absent2), null, null, null), content("m"), "v1"));
        assertEquals(List.of(absent2), e.blobs());
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.Tag("v1")));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.ByDigest(Digest.sha256Of(content("m")))));
    }

    @Test
    void refusesAManifestThatDeclaresAnotherSizeThanItsBlobs() {
        Digest config = blob(APP, "config"); // content("config") is 22 bytes
        Digest layer = blob(APP, "a layer");
        long configSize = content("config").length;
        ParsedManifest wrong = new ParsedManifest(IMAGE, List.of(config, layer), List.of(), null, null, null,
                Map.of(config, configSize, layer, 1L));

        BlobSizeMismatchException e = assertThrows(BlobSizeMismatchException.class,
                () -> store().putManifest(APP, Digest.sha256Of(content("m")), wrong, content("m"), "v1"));

        assertEquals(List.of(new BlobSizeMismatchException.Mismatch(layer, 1, content("a layer").length)), e.mismatches());
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.Tag("v1")));
        ParsedManifest right = new ParsedManifest(IMAGE, List.of(config, layer), List.of(), null, null, null,
                Map.of(config, configSize, layer, (long) content("a layer").length));
        put(APP, "v1", right, content("m"));
        assertTrue(store().manifest(APP, new Reference.Tag("v1")).isPresent());
    }

    @Test
    void aQuarantinedBlobReadsAsAbsentEverywhereUntilAVerifiedUploadRestoresIt() {
        RepositoryName other = new RepositoryName("other/repo");
        Digest layer = blob(APP, "layer");
        assertTrue(store().mountBlob(other, layer, APP));
        assertFalse(store().blobQuarantined(layer));

        store().quarantineBlob(layer);

        assertTrue(store().blobQuarantined(layer));
        assertEquals(OptionalLong.empty(), store().blobSize(APP, layer));
        assertEquals(OptionalLong.empty(), store().blobSize(other, layer));
        assertFalse(store().mountBlob(new RepositoryName("third"), layer, APP), "not mountable");
        assertEquals(List.of(layer), assertThrows(MissingReferencesException.class,
                () -> put(APP, "v1", image(List.of(layer), null, null, null), content("m"))).blobs());

        blob(other, "layer"); // pushed again: verified bytes replace the corrupt ones
        assertFalse(store().blobQuarantined(layer));
        assertEquals(OptionalLong.of(content("layer").length), store().blobSize(APP, layer));
        assertEquals(OptionalLong.of(content("layer").length), store().blobSize(other, layer));
    }

    @Test
    void pointsSeveralTagsAtAManifestInOneUnit() {
        Digest layer = blob(APP, "layer");
        Digest digest = Digest.sha256Of(content("m"));
        store().putManifest(APP, digest, image(List.of(layer), null, null, null), content("m"), List.of("a", "b", "c"));
        assertEquals(List.of("a", "b", "c"), store().tags(APP, null, 10).orElseThrow().entries());
        for (String tag : List.of("a", "b", "c")) {
            assertEquals(digest, store().manifest(APP, new Reference.Tag(tag)).orElseThrow().digest());
        }
    }

    @Test
    void refusesAnIndexWhoseChildManifestsAreMissingAndChecksBlobsFirst() {
        Digest child = put(APP, null, image(List.of(blob(APP, "layer")), null, null, null), content("child"));
        Digest absentChild = Digest.sha256Of(content("absent child"));
        Digest absentBlob = Digest.sha256Of(content("absent blob"));

        MissingReferencesException e = assertThrows(MissingReferencesException.class,
                () -> put(APP, "multi", index(List.of(), List.of(child, absentChild)), content("index")));
        assertEquals(List.of(), e.blobs());
        assertEquals(List.of(absentChild), e.manifests());

        e = assertThrows(MissingReferencesException.class,
                () -> put(APP, "multi", index(List.of(absentBlob), List.of(absentChild)), content("index")));
        assertEquals(List.of(absentBlob), e.blobs());
        assertEquals(List.of(), e.manifests(), "manifests are looked at only once every blob is there");
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.Tag("multi")));

        Digest index = put(APP, "multi", index(List.of(), List.of(child)), content("index"));
        assertEquals(index, store().manifest(APP, new Reference.Tag("multi")).orElseThrow().digest());
    }

    @Test
    void referencesCountOnlyInTheirOwnRepository() {
        Digest layer = blob(OTHER, "layer");
        Digest child = put(OTHER, null, image(List.of(layer), null, null, null), content("child"));

        assertEquals(List.of(layer), assertThrows(MissingReferencesException.class,
                () -> put(APP, "v1", image(List.of(layer), null, null, null), content("m"))).blobs());
        assertEquals(List.of(child), assertThrows(MissingReferencesException.class,
                () -> put(APP, "v1", index(List.of(), List.of(child)), content("i"))).manifests());
    }

    @Test
    void storingTheSameManifestAgainIsIdempotentAndKeepsItsOwnCopy() {
        byte[] content = content("image");
        Digest digest = put(APP, null, image(List.of(), null, null, null), content);
        put(APP, null, image(List.of(), null, null, null), content);
        put(APP, "v1", image(List.of(), null, null, null), content);
        content[0] = 'X';

        StoredManifest read = store().manifest(APP, new Reference.Tag("v1")).orElseThrow();
        assertEquals(digest, read.digest());
        assertArrayEquals(content("image"), read.content());
        read.content()[0] = 'Y';
        assertArrayEquals(content("image"), store().manifest(APP, new Reference.ByDigest(digest)).orElseThrow().content());
        assertEquals(List.of("v1"), store().tags(APP, null, 10).orElseThrow().entries());
    }

    @Test
    void aTagMovesToTheManifestPushedLast() {
        Digest first = put(APP, "latest", image(List.of(), null, null, null), content("first"));
        Digest second = put(APP, "latest", image(List.of(), null, null, null), content("second"));

        assertNotEquals(first, second);
        assertEquals(second, store().manifest(APP, new Reference.Tag("latest")).orElseThrow().digest());
        assertEquals(first, store().manifest(APP, new Reference.ByDigest(first)).orElseThrow().digest());
        assertEquals(List.of("latest"), store().tags(APP, null, 10).orElseThrow().entries());
    }

    @Test
    void deletingATagKeepsItsManifest() {
        Digest digest = put(APP, "v1", image(List.of(), null, null, null), content("m"));

        assertTrue(store().deleteTag(APP, "v1"));

        assertFalse(store().deleteTag(APP, "v1"));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.Tag("v1")));
        assertTrue(store().manifest(APP, new Reference.ByDigest(digest)).isPresent());
        assertEquals(Page.EMPTY, store().tags(APP, null, 10).orElseThrow());
    }

    @Test
    void deletingAManifestDeletesEveryTagOnItAndNothingElse() {
        Digest doomed = put(APP, "a", image(List.of(), null, null, null), content("doomed"));
        put(APP, "b", image(List.of(), null, null, null), content("doomed"));
        Digest kept = put(APP, "c", image(List.of(), null, null, null), content("kept"));
        put(OTHER, "a", image(List.of(), null, null, null), content("doomed"));

        assertTrue(store().deleteManifest(APP, doomed));

        assertFalse(store().deleteManifest(APP, doomed));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.ByDigest(doomed)));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.Tag("a")));
        assertEquals(List.of("c"), store().tags(APP, null, 10).orElseThrow().entries());
        assertEquals(kept, store().manifest(APP, new Reference.Tag("c")).orElseThrow().digest());
        assertEquals(doomed, store().manifest(OTHER, new Reference.Tag("a")).orElseThrow().digest());
        assertTrue(store().repositoryExists(APP));
    }

    // --- listings

    @Test
    void tagsListInByteOrderWhateverTheLocale() {
        List<String> tags = List.of("b", "A1", "a.b", "_x", "ab", "a-z", "B", "10", "9", "a");
        for (String tag : tags) {
            put(APP, tag, image(List.of(), null, null, null), content("m"));
        }
        List<String> byteOrder = List.of("10", "9", "A1", "B", "_x", "a", "a-z", "a.b", "ab", "b");
        assertNotEquals(byteOrder, sortedIn(Locale.US, tags), "these tags sort otherwise under a locale");

        assertEquals(new Page(byteOrder, false), store().tags(APP, null, 100).orElseThrow());
        assertEquals(byteOrder, walk(3, (last, limit) -> store().tags(APP, last, limit).orElseThrow()));
        assertEquals(new Page(List.of("_x", "a"), true), store().tags(APP, "B", 2).orElseThrow());
        assertEquals(new Page(List.of("a.b", "ab", "b"), false), store().tags(APP, "a-z", 3).orElseThrow());
        assertEquals(new Page(List.of("a-z"), true), store().tags(APP, "a", 1).orElseThrow());
        assertEquals(Page.EMPTY, store().tags(APP, "b", 5).orElseThrow());
        assertEquals(Page.EMPTY, store().tags(APP, "zzz", 5).orElseThrow());
        assertEquals(new Page(List.of("b"), false), store().tags(APP, "az", 5).orElseThrow(), "last need not exist");
        assertEquals(Page.EMPTY, store().tags(APP, null, 0).orElseThrow());
        assertEquals(Optional.empty(), store().tags(OTHER, null, 0), "an unknown repository even for no entries");
    }

    @Test
    void catalogListsRepositoriesInByteOrderWhateverTheLocale() {
        List<String> names = List.of("ab", "a_b", "a0", "a/b", "a.b", "a-z", "b");
        for (String name : names) {
            blob(new RepositoryName(name), "x");
        }
        List<String> byteOrder = List.of("a-z", "a.b", "a/b", "a0", "a_b", "ab", "b");
        assertNotEquals(byteOrder, sortedIn(Locale.US, names), "these names sort otherwise under a locale");

        assertEquals(new Page(byteOrder, false), store().catalog(null, 7));
        assertEquals(new Page(byteOrder.subList(0, 6), true), store().catalog(null, 6));
        assertEquals(byteOrder, walk(2, store()::catalog));
        assertEquals(new Page(List.of("a0", "a_b"), true), store().catalog("a/b", 2));
        assertEquals(new Page(List.of("a/b"), true), store().catalog("a/", 1), "last need not exist");
        assertEquals(Page.EMPTY, store().catalog("b", 3));
        assertEquals(Page.EMPTY, store().catalog(null, 0));
    }

    // --- referrers

    @Test
    void referrersAreListedOldestFirstAndFilteredByArtifactType() throws IOException {
        Digest subject = put(APP, "app", image(List.of(), null, null, null), content("subject"));
        Digest otherSubject = put(APP, null, image(List.of(), null, null, null), content("other subject"));
        byte[] sbomContent = content("sbom");
        Digest sbom = put(APP, null, image(List.of(), subject, "application/vnd.example.sbom",
                "{\"org.example\":\"yes\",\"a\":\"b\"}"), sbomContent);
        Digest signature = put(APP, null, image(List.of(), subject, "application/vnd.example.signature", null),
                content("signature"));
        Digest secondSbom = put(APP, "sbom", image(List.of(), subject, "application/vnd.example.sbom", null),
                content("second sbom"));
        put(APP, null, image(List.of(), otherSubject, "application/vnd.example.sbom", null), content("elsewhere"));
        put(OTHER, null, image(List.of(), subject, "application/vnd.example.sbom", null), content("sbom"));

        List<Referrer> all = store().referrers(APP, subject, null);
        assertEquals(List.of(sbom, signature, secondSbom), digests(all));
        Referrer first = all.getFirst();
        assertEquals(IMAGE, first.mediaType());
        assertEquals(sbomContent.length, first.size());
        assertEquals("application/vnd.example.sbom", first.artifactType());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree("{\"a\":\"b\",\"org.example\":\"yes\"}"), json.readTree(first.annotationsJson()));
        assertEquals(null, all.get(1).annotationsJson());

        assertEquals(List.of(sbom, secondSbom), digests(store().referrers(APP, subject, "application/vnd.example.sbom")));
        assertEquals(List.of(), store().referrers(APP, subject, "application/vnd.example.none"));
        assertEquals(List.of(), store().referrers(APP, sbom, null));

        assertTrue(store().deleteManifest(APP, sbom));
        assertEquals(List.of(signature, secondSbom), digests(store().referrers(APP, subject, null)));
    }

    // --- blobs

    @Test
    void aCompletedUploadMakesItsBlobVisibleInItsRepositoryOnly() {
        UploadSession session = sessions().create(APP, newId(), new UploadState(1234, "driver"));
        Digest digest = Digest.sha256Of(content("blob"));

        sessions().complete(session, digest);

        assertEquals(OptionalLong.of(1234), store().blobSize(APP, digest));
        assertEquals(OptionalLong.empty(), store().blobSize(OTHER, digest));
        assertEquals(Optional.empty(), sessions().find(APP, session.id()));
        assertFalse(sessions().delete(session.id()));

        UploadSession again = sessions().create(OTHER, newId(), new UploadState(1234, ""));
        sessions().complete(again, digest);
        assertEquals(OptionalLong.of(1234), store().blobSize(OTHER, digest));
    }

    @Test
    void mountingLinksABlobTheSourceHoldsAndNothingElse() {
        Digest digest = blob(OTHER, "shared");
        RepositoryName target = new RepositoryName("team/new");

        assertFalse(store().mountBlob(target, digest, APP), "the source does not exist");
        assertFalse(store().mountBlob(target, Digest.sha256Of(content("absent")), OTHER), "the source lacks the blob");
        assertFalse(store().repositoryExists(target), "a failed mount creates nothing");

        assertTrue(store().mountBlob(target, digest, OTHER));
        assertTrue(store().mountBlob(target, digest, OTHER), "mounting again is harmless");
        assertTrue(store().repositoryExists(target));
        assertEquals(store().blobSize(OTHER, digest), store().blobSize(target, digest));
        assertTrue(store().mountBlob(OTHER, digest, OTHER), "a repository may mount from itself");
    }

    @Test
    void unlinkingABlobRemovesItFromOneRepositoryOnly() {
        Digest digest = blob(APP, "blob");
        assertTrue(store().mountBlob(OTHER, digest, APP));

        assertTrue(store().unlinkBlob(APP, digest));

        assertFalse(store().unlinkBlob(APP, digest));
        assertEquals(OptionalLong.empty(), store().blobSize(APP, digest));
        assertEquals(OptionalLong.of(content("blob").length), store().blobSize(OTHER, digest));
        assertFalse(store().mountBlob(new RepositoryName("team/third"), digest, APP));
        assertTrue(store().mountBlob(APP, digest, OTHER), "the recorded blob can be linked again");
    }

    @Test
    void answersAndRemembersItsLastSuccess() {
        store().ping();

        assertNotEquals(0, store().lastSuccessNanos());
    }

    // --- upload sessions

    @Test
    void aSessionIsFoundInItsOwnRepositoryOnly() {
        String id = newId();
        UploadSession created = sessions().create(APP, id, new UploadState(0, "begun"));

        assertEquals(new UploadSession(id, APP.value(), new UploadState(0, "begun")), created);
        assertEquals(Optional.of(created), sessions().find(APP, id));
        assertEquals(Optional.empty(), sessions().find(OTHER, id));
        assertEquals(Optional.empty(), sessions().find(APP, newId()));
        assertTrue(store().repositoryExists(APP), "a session's repository is created with it");
        assertThrows(IllegalStateException.class, () -> sessions().create(OTHER, id, new UploadState(0, "")));
    }

    @Test
    void oneWriterHoldsTheLease() {
        String id = sessions().create(APP, newId(), new UploadState(10, "s")).id();

        assertFalse(sessions().lease(id, 0, "a", LEASE), "not at the size the writer expects");
        assertFalse(sessions().lease(newId(), 0, "a", LEASE), "no such session");
        assertTrue(sessions().lease(id, 10, "a", LEASE));
        assertFalse(sessions().lease(id, 10, "b", LEASE));
        assertFalse(sessions().advance(id, "b", new UploadState(20, "b")), "only the holder advances");

        assertTrue(sessions().advance(id, "a", new UploadState(20, "a")));

        assertEquals(new UploadState(20, "a"), sessions().find(APP, id).orElseThrow().state());
        assertFalse(sessions().advance(id, "a", new UploadState(30, "a")), "advancing dropped the lease");
        assertFalse(sessions().lease(id, 10, "b", LEASE), "the session moved on");
        assertTrue(sessions().lease(id, 20, "b", LEASE));
    }

    @Test
    void releaseDropsTheLeaseOfItsHolderOnly() {
        String id = sessions().create(APP, newId(), new UploadState(0, "")).id();
        assertTrue(sessions().lease(id, 0, "a", LEASE));

        sessions().release(id, "b");
        assertFalse(sessions().lease(id, 0, "b", LEASE));

        sessions().release(id, "a");
        assertTrue(sessions().lease(id, 0, "b", LEASE));
        assertEquals(new UploadState(0, ""), sessions().find(APP, id).orElseThrow().state());
    }

    @Test
    void aRenewedLeaseStaysLiveAndOnlyItsHolderRenewsIt() {
        String id = sessions().create(APP, newId(), new UploadState(0, "")).id();
        assertTrue(sessions().lease(id, 0, "writer", Duration.ofMinutes(1)));
        timePasses(Duration.ofSeconds(50));
        assertTrue(sessions().renew(id, "writer", Duration.ofMinutes(1)));
        assertFalse(sessions().renew(id, "other", Duration.ofMinutes(1)), "only the holder renews");
        timePasses(Duration.ofSeconds(50));
        assertFalse(sessions().lease(id, 0, "other", LEASE), "renewed: still live 100 s after it was taken");

        timePasses(Duration.ofMinutes(1));
        assertTrue(sessions().lease(id, 0, "other", LEASE), "not renewed any more: it lapsed");
        assertFalse(sessions().renew(id, "writer", Duration.ofMinutes(1)), "a lease taken over cannot be renewed");
        assertFalse(sessions().advance(id, "writer", new UploadState(5, "w")));
    }

    @Test
    void anExpiredLeaseCanBeTakenAndItsFormerHolderCannotAdvance() {
        String id = sessions().create(APP, newId(), new UploadState(0, "")).id();
        assertTrue(sessions().lease(id, 0, "slow", Duration.ofMinutes(1)));
        timePasses(Duration.ofSeconds(30));
        assertFalse(sessions().lease(id, 0, "fast", LEASE), "still live");

        timePasses(Duration.ofMinutes(1));
        assertTrue(sessions().lease(id, 0, "fast", LEASE));

        assertFalse(sessions().advance(id, "slow", new UploadState(5, "slow")));
        assertEquals(new UploadState(0, ""), sessions().find(APP, id).orElseThrow().state());
        assertTrue(sessions().advance(id, "fast", new UploadState(7, "fast")));
        assertEquals(new UploadState(7, "fast"), sessions().find(APP, id).orElseThrow().state());
    }

    @Test
    void abandonedSessionsAreTheUntouchedAndUnleasedOnesLeastRecentFirst() {
        UploadSession oldest = sessions().create(APP, newId(), new UploadState(0, "1"));
        timePasses(Duration.ofHours(1));
        UploadSession older = sessions().create(OTHER, newId(), new UploadState(0, "2"));
        UploadSession leased = sessions().create(APP, newId(), new UploadState(0, "3"));
        UploadSession expiredLease = sessions().create(APP, newId(), new UploadState(0, "4"));
        UploadSession advanced = sessions().create(APP, newId(), new UploadState(0, "5"));
        timePasses(Duration.ofHours(1));
        assertTrue(sessions().lease(leased.id(), 0, "w", Duration.ofHours(2)));
        assertTrue(sessions().lease(expiredLease.id(), 0, "w", Duration.ofMinutes(1)));
        assertTrue(sessions().lease(advanced.id(), 0, "w", LEASE));
        assertTrue(sessions().advance(advanced.id(), "w", new UploadState(9, "5")));
        UploadSession fresh = sessions().create(APP, newId(), new UploadState(0, "6"));
        timePasses(Duration.ofMinutes(30));

        List<UploadSession> abandoned = sessions().abandoned(Duration.ofMinutes(80), 10);

        assertEquals(List.of(oldest, older, expiredLease), abandoned);
        assertFalse(ids(abandoned).contains(fresh.id()) || ids(abandoned).contains(leased.id()));
        assertEquals(List.of(oldest), sessions().abandoned(Duration.ofMinutes(80), 1));
        assertEquals(List.of(oldest), sessions().abandoned(Duration.ofMinutes(120), 10));
        assertEquals(List.of(), sessions().abandoned(Duration.ofHours(3), 10));
    }

    @Test
    void deletingASessionEndsIt() {
        String id = sessions().create(APP, newId(), new UploadState(0, "")).id();

        assertTrue(sessions().delete(id));

        assertFalse(sessions().delete(id));
        assertEquals(Optional.empty(), sessions().find(APP, id));
        assertFalse(sessions().lease(id, 0, "a", LEASE));
        assertEquals(List.of(), sessions().abandoned(Duration.ZERO, 10));
    }

    @Test
    void concurrentWritersGetOneLeaseAndConcurrentFirstPushesOneRepository() throws Exception {
        int writers = 8;
        String id = sessions().create(APP, newId(), new UploadState(0, "")).id();
        List<Boolean> leases = concurrently(writers, i -> sessions().lease(id, 0, "writer-" + i, LEASE));
        assertEquals(1, leases.stream().filter(Boolean::booleanValue).count());

        RepositoryName fresh = new RepositoryName("team/raced");
        List<UploadSession> created = concurrently(writers, i -> sessions().create(fresh, newId(), new UploadState(0, "")));
        assertEquals(writers, created.stream().map(UploadSession::id).distinct().count());
        assertEquals(List.of("team/raced"), store().catalog("team/r", 10).entries());
    }

    // --- inventory: every manifest and blob, range by range, page by page

    @Test
    void theInventoryWalksEveryManifestOfEveryRepositoryOnceInDigestOrderWithinItsRange() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            RepositoryName repository = i % 3 == 0 ? OTHER : APP;
            Digest digest = put(repository, null, image(List.of(), null, null, null), content("m" + i));
            expected.add(digest + " " + repository.value());
            if (i % 10 == 0) { // the same manifest in a second repository is a second entry
                put(new RepositoryName("team/third"), null, image(List.of(), null, null, null), content("m" + i));
                expected.add(digest + " team/third");
            }
        }

        for (long maxBytes : new long[]{1 << 20, 1}) {
            List<String> walked = new ArrayList<>();
            for (DigestRange range : DigestRange.all()) {
                List<Inventory.ScannedManifest> inRange = walkManifests(range, 3, maxBytes);
                inRange.forEach(m -> assertTrue(range.contains(m.manifest().digest().toString()), "in its range"));
                List<String> keys = inRange.stream().map(m -> m.manifest().digest() + " " + m.repository().value()).toList();
                List<String> digests = inRange.stream().map(m -> m.manifest().digest().toString()).toList();
                assertEquals(digests.stream().sorted().toList(), digests, "digest order");
                walked.addAll(keys);
            }
            assertEquals(expected.stream().sorted().toList(), walked.stream().sorted().toList());
        }
    }

    @Test
    void aManifestPageCarriesTheStoredBytesAndStopsAtItsByteCapAfterOneAtLeast() {
        byte[] content = content("stored bytes");
        Digest digest = put(APP, "v1", image(List.of(), null, null, null), content);
        for (int i = 0; i < 30; i++) {
            put(APP, null, image(List.of(), null, null, null), content("more " + i));
        }
        DigestRange range = DigestRange.all().stream().filter(r -> r.contains(digest.toString())).findFirst().orElseThrow();

        Inventory.ScannedManifest found = walkManifests(range, 100, 1 << 20).stream()
                .filter(m -> m.manifest().digest().equals(digest)).findFirst().orElseThrow();
        assertEquals(APP, found.repository());
        assertEquals(IMAGE, found.manifest().mediaType());
        assertArrayEquals(content, found.manifest().content());

        for (DigestRange r : DigestRange.all()) {
            Inventory.ScanPage<Inventory.ScannedManifest> page = inventory().manifests(r, null, 100, 1);
            assertTrue(page.items().size() <= 1, "a page past its byte cap holds the first manifest only");
        }
        Inventory.ScanPage<Inventory.ScannedManifest> capped = inventory().manifests(range, null, 100, 1);
        assertEquals(1, capped.items().size(), "never empty while the range holds a manifest");
    }

    @Test
    void theInventoryWalksEveryRecordedBlobWithItsSizeAndQuarantine() {
        List<Digest> blobs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            blobs.add(blob(i % 2 == 0 ? APP : OTHER, "blob " + i));
        }
        assertTrue(store().mountBlob(new RepositoryName("team/third"), blobs.getFirst(), APP), "a blob is recorded once");
        store().quarantineBlob(blobs.get(1));

        List<Inventory.ScannedBlob> walked = new ArrayList<>();
        for (DigestRange range : DigestRange.all()) {
            String cursor = null;
            Inventory.ScanPage<Inventory.ScannedBlob> page;
            do {
                page = inventory().blobs(range, cursor, 2);
                assertTrue(page.items().size() <= 2);
                page.items().forEach(b -> assertTrue(range.contains(b.digest().toString())));
                walked.addAll(page.items());
                cursor = page.cursor();
            } while (page.more());
        }

        assertEquals(blobs.stream().map(Digest::toString).sorted().toList(),
                walked.stream().map(b -> b.digest().toString()).toList());
        for (Inventory.ScannedBlob b : walked) {
            int i = blobs.indexOf(b.digest());
            assertEquals(content("blob " + i).length, b.size());
            assertEquals(i == 1, b.quarantined());
        }
        assertEquals(List.of(), inventory().blobs(DigestRange.of(0), null, 10).items().stream()
                .filter(b -> !DigestRange.of(0).contains(b.digest().toString())).toList());
    }

    // --- verify ledger: runs, claimed ranges, progress and failures

    @Test
    void anUnfinishedRunIsContinuedByDepthUntilItFinishes() {
        VerifyLedger.Run first = ledger().begin(false, false);
        assertFalse(first.resumed());

        VerifyLedger.Run again = ledger().begin(false, false);
        assertEquals(first.id(), again.id());
        assertTrue(again.resumed());
        VerifyLedger.Run deep = ledger().begin(true, false);
        assertNotEquals(first.id(), deep.id(), "a deep run is another run");
        assertTrue(deep.deep());
        VerifyLedger.Run fresh = ledger().begin(false, true);
        assertNotEquals(first.id(), fresh.id());
        assertFalse(fresh.resumed());
        assertEquals(fresh.id(), ledger().begin(false, false).id(), "the newest unfinished run is continued");

        assertFalse(ledger().finish(fresh.id()), "ranges remain");
        completeEveryRange(fresh.id(), "w");
        assertTrue(ledger().finish(fresh.id()));
        assertTrue(ledger().status(fresh.id(), 10).finished());
        assertEquals(first.id(), ledger().begin(false, false).id(), "the older unfinished run is next");
    }

    @Test
    void everyRangeIsClaimedOnceWhileLeasedAndAgainFromItsCursorAfterTheLeaseLapses() {
        long run = ledger().begin(false, false).id();
        List<String> claimed = new ArrayList<>();
        VerifyLedger.Claim first = ledger().claim(run, "a", LEASE).orElseThrow();
        assertTrue(ledger().record(first, new VerifyLedger.Progress("cursor-1", false, 5, 50, List.of()), LEASE));
        claimed.add(first.kind() + "/" + first.range());
        for (Optional<VerifyLedger.Claim> c; (c = ledger().claim(run, "a", LEASE)).isPresent(); ) {
            claimed.add(c.get().kind() + "/" + c.get().range());
            assertEquals(null, c.get().cursor(), "not started");
        }
        assertEquals(2 * DigestRange.COUNT, claimed.size());
        assertEquals(claimed.size(), claimed.stream().distinct().count(), "each range once");
        assertEquals(Optional.empty(), ledger().claim(run, "b", LEASE), "all leased");

        timePasses(LEASE.plusSeconds(1));

        VerifyLedger.Claim taken = ledger().claim(run, "b", LEASE).orElseThrow();
        assertEquals(first.kind(), taken.kind());
        assertEquals(first.range(), taken.range());
        assertEquals("cursor-1", taken.cursor(), "continued where the lapsed holder recorded");
        assertEquals("b", taken.owner());
        assertFalse(ledger().record(first, new VerifyLedger.Progress("cursor-2", false, 1, 1, List.of()), LEASE),
                "the former holder records nothing");
        assertFalse(ledger().renew(first, LEASE), "nor renews");

        VerifyLedger.Claim renewed = ledger().claim(run, "c", LEASE).orElseThrow();
        timePasses(LEASE.minusSeconds(1));
        assertTrue(ledger().renew(renewed, LEASE), "its holder renews it");
        assertFalse(ledger().renew(new VerifyLedger.Claim(run, renewed.kind(), renewed.range(), null, "d"), LEASE));
        timePasses(Duration.ofSeconds(2));
        for (Optional<VerifyLedger.Claim> c; (c = ledger().claim(run, "d", LEASE)).isPresent(); ) {
            assertFalse(c.get().kind() == renewed.kind() && c.get().range() == renewed.range(), "renewed: still held");
        }
        assertEquals(new VerifyLedger.Totals(5, 50), ledger().status(run, 10).totals(first.kind()));
    }

    @Test
    void progressAndFailuresAreRecordedOnceAndAReleasedRangeIsFreeAtOnce() {
        long run = ledger().begin(true, false).id();
        VerifyLedger.Failure bad = new VerifyLedger.Failure("blob-digest", "sha256:" + "a".repeat(64), "", "changed");
        VerifyLedger.Failure truncated = new VerifyLedger.Failure("manifest-mismatch", "sha256:" + "b".repeat(64),
                "team/app", "truncated");
        VerifyLedger.Claim claim = ledger().claim(run, "w", LEASE).orElseThrow();
        assertTrue(ledger().record(claim, new VerifyLedger.Progress("k1", false, 3, 300, List.of(bad)), LEASE));
        assertTrue(ledger().record(claim, new VerifyLedger.Progress("k2", false, 2, 200, List.of(bad, truncated)), LEASE));

        VerifyLedger.Status status = ledger().status(run, 10);
        assertTrue(status.deep());
        assertFalse(status.finished());
        assertEquals(new VerifyLedger.Totals(5, 500), status.totals(claim.kind()));
        assertEquals(List.of(bad, truncated), status.failures(), "once each, by kind then digest");
        assertEquals(Map.of("blob-digest", 1L, "manifest-mismatch", 1L), status.failuresByKind());
        assertEquals(2, status.failureCount());
        assertEquals(List.of(bad), ledger().status(run, 1).failures(), "listed up to the limit, all counted");
        assertEquals(2, ledger().status(run, 1).failureCount());
        assertEquals(0, status.rangesDone());
        assertEquals(2 * DigestRange.COUNT, status.rangesTotal());

        ledger().release(run, "w");
        VerifyLedger.Claim again = ledger().claim(run, "v", LEASE).orElseThrow();
        assertEquals(claim.range(), again.range());
        assertEquals(claim.kind(), again.kind());
        assertEquals("k2", again.cursor());
        assertTrue(ledger().record(again, new VerifyLedger.Progress("k3", true, 1, 0, List.of()), LEASE));
        assertEquals(1, ledger().status(run, 10).rangesDone());
        assertFalse(ledger().record(again, new VerifyLedger.Progress("k4", false, 1, 0, List.of()), LEASE),
                "a done range is no longer held");
    }

    // --- fixtures

    /** A blob in the repository, recorded as an upload completes. */
    protected Digest blob(RepositoryName repository, String text) {
        byte[] bytes = content(text);
        Digest digest = Digest.sha256Of(bytes);
        sessions().complete(sessions().create(repository, newId(), new UploadState(bytes.length, "")), digest);
        return digest;
    }

    protected Digest put(RepositoryName repository, String tag, ParsedManifest parsed, byte[] content) {
        Digest digest = Digest.sha256Of(content);
        store().putManifest(repository, digest, parsed, content, tag);
        return digest;
    }

    static ParsedManifest image(List<Digest> blobs, Digest subject, String artifactType, String annotationsJson) {
        return new ParsedManifest(IMAGE, blobs, List.of(), subject, artifactType, annotationsJson);
    }

    static ParsedManifest index(List<Digest> blobs, List<Digest> manifests) {
        return new ParsedManifest(INDEX, blobs, manifests, null, null, null);
    }

    static byte[] content(String text) {
        return ("{\"content\":\"" + text + "\"}").getBytes(UTF_8);
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Every manifest of the range, page after page. */
    private List<Inventory.ScannedManifest> walkManifests(DigestRange range, int limit, long maxBytes) {
        List<Inventory.ScannedManifest> walked = new ArrayList<>();
        String cursor = null;
        Inventory.ScanPage<Inventory.ScannedManifest> page;
        do {
            page = inventory().manifests(range, cursor, limit, maxBytes);
            assertTrue(page.items().size() <= limit);
            walked.addAll(page.items());
            cursor = page.cursor();
        } while (page.more());
        return walked;
    }

    /** Claims and completes every range of the run. */
    private void completeEveryRange(long run, String owner) {
        for (Optional<VerifyLedger.Claim> c; (c = ledger().claim(run, owner, LEASE)).isPresent(); ) {
            assertTrue(ledger().record(c.get(), new VerifyLedger.Progress(null, true, 0, 0, List.of()), LEASE));
        }
    }

    private static List<Digest> digests(List<Referrer> referrers) {
        return referrers.stream().map(r -> Digest.parse(r.digest())).toList();
    }

    private static List<String> ids(List<UploadSession> sessions) {
        return sessions.stream().map(UploadSession::id).toList();
    }

    private static List<String> sortedIn(Locale locale, List<String> names) {
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(Collator.getInstance(locale));
        return sorted;
    }

    /** Every entry of a listing, page after page as a client follows its links. */
    private static List<String> walk(int limit, BiFunction<String, Integer, Page> listing) {
        List<String> walked = new ArrayList<>();
        String last = null;
        Page page;
        do {
            page = listing.apply(last, limit);
            assertTrue(page.entries().size() <= limit);
            walked.addAll(page.entries());
            last = page.lastEntry();
        } while (page.more());
        return walked;
    }

    private static <T> List<T> concurrently(int threads, IntFunction<T> work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                futures.add(pool.submit((Callable<T>) () -> {
                    start.await();
                    return work.apply(n);
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }
}
