package io.regfleet.control.share;

import io.regfleet.control.budget.BudgetRequest;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.plan.FleetPlanner;
import io.regfleet.control.plan.PlanRequest;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.PoolPolicy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registries on one server: guaranteed shares, the spare by demand, the two phases, verdicts naming the others. */
class ServerSharesTest {
    /** max_connections 60, 3 superuser-reserved: 57 before the Registries' reserves (2 each). */
    private static final int MAX = 60;

    private static SimulatedServer.Member member(SimulatedServer server, String name, int weight, int load) {
        return server.add(SimulatedServer.claim(name, weight, 0, 3, 0, 2, 20, 50, true), load);
    }

    /** Registries a and b on one server. */
    private record Two(SimulatedServer server, SimulatedServer.Member a, SimulatedServer.Member b) {
    }

    /** Two Registries of weight 1 on a server of {@link #MAX}, joined, deployed, then {@code rounds} rounds each. */
    private static Two two(int firstLoad, int secondLoad, int rounds) {
        SimulatedServer server = new SimulatedServer(MAX, false);
        Two two = new Two(server, member(server, "a", 1, firstLoad), member(server, "b", 1, secondLoad));
        List.of(two.a(), two.b()).forEach(SimulatedServer.Member::join);
        server.deploy();
        for (int round = 0; round < rounds; round++) {
            List.of(two.a(), two.b()).forEach(SimulatedServer.Member::round);
        }
        return two;
    }

    @Test
    void aRegistryAloneOnItsServerGetsTheSamePlanAsBefore() {
        DatabaseLimits database = new DatabaseLimits(MAX, 3, 0, DatabaseLimits.UNLIMITED, 4, false);
        PlanRequest request = new PlanRequest(new BudgetRequest(database, null, 1, 3, 1, 2, 20, 50), 4, 64,
                PlanRequest.DEFAULT_WORKERS_PER_CONNECTION, OptionalInt.empty());
        SharedFleet alone = ShareCoordinator.withDefaults().join(
                new ServerSnapshot(SimulatedServer.SERVER, database, Map.of()),
                new ShareClaim("ns/alone", "alone", 1, 0, true, request));
        assertEquals(FleetPlanner.plan(request).limits(), alone.plan().limits());
        assertEquals(FleetPlanner.plan(request).startingPoolMax(), alone.plan().startingPoolMax());
        assertEquals(ShareState.FITS, alone.verdict().state());
    }

    @Test
    void aCappedRegistryAloneOnItsServerKeepsTheReplicasItHadBefore() {
        // 30 - 3 - 2 foreign = 25; less 1 + 2 reserved: 22; the role leaves 18. 10 replicas + 1 at 5 each do not fit:
        // alone, 2 replicas + 1 surge at 5 each, as without sharing (its floor percent of 18 would hold 1 + 1 only)
        DatabaseLimits database = new DatabaseLimits(30, 3, 0, 20, 2, false);
        PlanRequest request = new PlanRequest(new BudgetRequest(database, null, 1, 10, 1, 5, 20, 50), 8, 200,
                PlanRequest.DEFAULT_WORKERS_PER_CONNECTION, OptionalInt.empty());
        SharedFleet alone = ShareCoordinator.withDefaults().join(
                new ServerSnapshot(SimulatedServer.SERVER, database, Map.of()),
                new ShareClaim("ns/tight", "tight", 1, 0, true, request));
        var before = FleetPlanner.plan(request);
        assertEquals(2, before.budget().maxReplicas());
        assertEquals(before.budget().maxReplicas(), alone.plan().budget().maxReplicas());
        assertEquals(before.budget().maxSurge(), alone.plan().budget().maxSurge());
        assertEquals(before.startingPoolMax(), alone.plan().startingPoolMax());
        assertEquals(before.limits(), alone.plan().limits());
        assertEquals(ShareState.CAPPED, alone.verdict().state());
    }

    @Test
    void aRestartedOwnerCountsWhatItRecordedUntilEachRegistryJoinsAgainAndReports() {
        SimulatedServer server = new SimulatedServer(MAX, false);
        Two two = two(30, 1, 6);
        RegistryShare a = share(two.server(), "a");
        long aRecorded = a.counted() + a.reserve();
        // the owner restarts: a new coordinator knows a only from its record, while a's pods still hold their pools
        ShareCoordinator restarted = new ShareCoordinator(PoolPolicy.Tuning.DEFAULT, server.clock);
        restarted.recorded(SimulatedServer.SERVER.id(), "a", "a", aRecorded);
        SharedFleet b = restarted.join(server.snapshot(), two.b().claim);
        ServerShares shares = restarted.servers().getFirst();
        assertTrue(shares.committed() <= shares.available(), "b is given only what a's record leaves: " + shares.shares());
        assertEquals(57 - aRecorded - two.b().claim.reserve(), b.plan().limits().orElseThrow().available(),
                "b's share: the server less a's record and b's reserve");
        assertTrue(b.verdict().message().contains("a: recorded " + aRecorded + " until it reports again"), b.verdict().message());
        // a joins again: counted at its record until its rebalancer reports what its pods hold
        SharedFleet aAgain = restarted.join(server.snapshot(), two.a().claim);
        assertTrue(share(shares, "a").counted() + share(shares, "a").reserve() >= aRecorded, shares.shares().toString());
        assertTrue(shares.committed() <= shares.available(), shares.shares().toString());
        assertEquals(ShareState.FITS, aAgain.verdict().state(), aAgain.verdict().message());
    }

    @Test
    void aRecordedRegistryThatIsGoneStaysCountedWhileItsPodsDrain() {
        SimulatedServer server = new SimulatedServer(MAX, false);
        ShareCoordinator restarted = new ShareCoordinator(PoolPolicy.Tuning.DEFAULT, server.clock);
        restarted.recorded(SimulatedServer.SERVER.id(), "gone", "gone", 40);
        restarted.forget("gone", Duration.ofSeconds(45));
        SharedFleet b = restarted.join(server.snapshot(), SimulatedServer.claim("b", 1, 0, 3, 0, 2, 20, 50, true));
        assertEquals(57 - 40 - 2, b.plan().limits().orElseThrow().available(), "the gone one's pods may still hold 40");
        server.clock.advance(Duration.ofSeconds(46));
        b.update(server.snapshot(), SimulatedServer.claim("b", 1, 0, 3, 0, 2, 20, 50, true), Duration.ofSeconds(45));
        assertEquals(0, restarted.servers().getFirst().committed() - share(restarted.servers().getFirst(), "b").counted()
                - share(restarted.servers().getFirst(), "b").reserve(), "drained: no longer counted");
    }

    @Test
    void twoRegistriesSplitTheGuaranteedByWeightAndTheSpareByDemand() {
        Two two = two(30, 1, 0);
        SimulatedServer server = two.server();
        SimulatedServer.Member busy = two.a();
        // 60 - 3 = 57, less 2 x 2 reserved: 53; each weight 1 of 2: 26, half of it guaranteed: 13 each (floors of 4 over 3 pods)
        assertEquals(57, server.shares().available());
        assertEquals(13, busy.shared.plan().budget().available());
        assertEquals(4, busy.shared.plan().startingPoolMax());
        for (int round = 0; round < 6; round++) {
            server.members.forEach(SimulatedServer.Member::round);
        }
        RegistryShare b = share(server, "a");
        RegistryShare q = share(server, "b");
        assertTrue(b.share() > q.share() + 10, "the busy one has most of the spare: " + server.shares().shares());
        assertTrue(q.share() >= q.guaranteed() && q.guaranteed() == 13, server.shares().shares().toString());
        assertTrue(server.shares().committed() <= 57);
        assertEquals(List.of(), server.violations);
    }

    @Test
    void theLoadMovesAndTheShareFollowsOnlyAfterTheOtherConfirmsItsShrink() {
        Two two = two(30, 1, 5);
        SimulatedServer server = two.server();
        SimulatedServer.Member a = two.a();
        SimulatedServer.Member b = two.b();
        int aHad = share(server, "a").share();
        // a's pods hold their connections past the shrink: b gains nothing until a's round reports them released
        a.fleet.pods.values().forEach(p -> {
            p.load = 1;
            p.stuck = p.mostHeld();
            p.drainLeft = 100;
        });
        b.fleet.pods.values().forEach(p -> p.load = 30);
        for (int round = 0; round < 4; round++) {
            b.round();
            a.round();
        }
        assertTrue(share(server, "a").counted() >= aHad - 2, "a still holds its connections: " + server.shares().shares());
        assertTrue(server.shares().committed() <= server.shares().available(), server.shares().shares().toString());
        a.fleet.pods.values().forEach(p -> p.drainLeft = 0);
        int rounds = 0;
        while (share(server, "b").share() <= share(server, "a").share() && rounds++ < 6) {
            a.round();
            b.round();
        }
        assertTrue(rounds <= 3, "b's share follows within three rounds once a let go: " + rounds + " " + server.shares().shares());
        assertEquals(List.of(), server.violations);
    }

    @Test
    void aRoundThatReadItsShareBeforeItWasLoweredIsCountedAtTheOldShare() {
        Two two = two(30, 1, 4);
        SimulatedServer.Member a = two.a();
        SimulatedServer.Member b = two.b();
        SimulatedServer server = two.server();
        a.fleet.pods.values().forEach(p -> p.load = 1);
        b.fleet.pods.values().forEach(p -> p.load = 30);
        // b reads its share, then a's round lowers a and the shares try to raise b: the share b read stays counted
        b.preempt.add(() -> {
            a.round();
            RegistryShare now = share(server, "b");
            assertTrue(now.counted() >= now.share(), now.toString());
        });
        b.round();
        assertTrue(server.shares().committed() <= server.shares().available(), server.shares().shares().toString());
        assertEquals(List.of(), server.violations);
    }

    @Test
    void aRegistryThatDoesNotFitIsToldWhoHoldsTheServer() {
        SimulatedServer server = new SimulatedServer(30, false);
        server.add(SimulatedServer.claim("team-a/reg", 1, 12, 3, 0, 2, 20, 50, true), 5).join();
        server.add(SimulatedServer.claim("team-b/reg", 1, 8, 3, 0, 2, 20, 50, true), 5).join();
        SimulatedServer.Member late = server.add(SimulatedServer.claim("team-c/reg", 1, 10, 2, 0, 2, 20, 50, true), 5);
        late.join();
        // 30 - 3 - 3 x 2 = 21: team-a 12, team-b 8, 1 left for team-c's minimum of 10
        ShareVerdict verdict = late.shared.verdict();
        assertEquals(ShareState.NO_ROOM, verdict.state());
        assertFalse(verdict.fits());
        assertTrue(verdict.message().contains("team-a/reg weight 1: guaranteed 12"), verdict.message());
        assertTrue(verdict.message().contains("team-b/reg weight 1: guaranteed 8"), verdict.message());
        assertTrue(verdict.message().contains("leaves the Registries on it 27 connections"), verdict.message());
        assertTrue(late.shared.plan().limits().isEmpty(), "no pod of it may start");
        assertNull(late.shared.rebalancerLimits().get());
    }

    @Test
    void aRegistryThatDoesNotFitTakesNothingFromTheOthers() {
        ShareClaim a = SimulatedServer.claim("team-a/reg", 1, 0, 3, 0, 2, 20, 100, false);
        ShareClaim b = SimulatedServer.claim("team-b/reg", 3, 0, 3, 0, 2, 20, 100, false);
        ShareClaim late = SimulatedServer.claim("team-c/reg", 4, 30, 2, 0, 2, 20, 100, false);
        Map<String, Integer> two = SharePolicy.guaranteed(23, List.of(a, b));
        assertEquals(Map.of("team-a/reg", 5, "team-b/reg", 17), two); // by weight 1:3
        Map<String, Integer> three = SharePolicy.guaranteed(23, List.of(a, b, late));
        assertEquals(0, three.get("team-c/reg"), "its minimum of 30 does not fit");
        // its weight 4 would have halved the others' parts for nothing
        assertEquals(two.get("team-a/reg"), three.get("team-a/reg"));
        assertEquals(two.get("team-b/reg"), three.get("team-b/reg"));
    }

    @Test
    void aRegistryWhoseGuaranteedShareHoldsFewerPodsIsCapped() {
        SimulatedServer server = new SimulatedServer(30, false);
        SimulatedServer.Member big = server.add(SimulatedServer.claim("team-a/reg", 3, 0, 3, 0, 2, 20, 100, true), 5);
        big.join();
        server.deploy();
        SimulatedServer.Member small = server.add(SimulatedServer.claim("team-b/reg", 1, 0, 4, 1, 2, 20, 100, true), 5);
        small.join();
        assertEquals(ShareState.PENDING, small.shared.verdict().state(), "team-a's pods hold the server until its round");
        big.round();
        // 30 - 3 - 4 = 23; team-b's weight 1 of 4: 5, fewer than its 5 pods x 2
        ShareVerdict verdict = small.shared.verdict();
        assertEquals(ShareState.CAPPED, verdict.state(), verdict.message());
        assertTrue(verdict.message().contains("team-a/reg weight 3: guaranteed 17"), verdict.message());
        assertEquals(2, small.shared.plan().budget().podsCounted());
    }

    @Test
    void aNewcomerWaitsUntilTheOthersHaveReleasedItsShare() {
        SimulatedServer server = new SimulatedServer(MAX, false);
        SimulatedServer.Member first = member(server, "first", 1, 40);
        first.join();
        server.deploy();
        for (int round = 0; round < 4; round++) {
            first.round();
        }
        first.fleet.pods.values().forEach(p -> {
            p.stuck = p.mostHeld();
            p.drainLeft = 100;
        });
        SimulatedServer.Member second = member(server, "second", 1, 10);
        second.join();
        assertEquals(ShareState.PENDING, second.shared.verdict().state(), second.shared.verdict().message());
        assertTrue(second.shared.verdict().message().contains("first weight 1"), second.shared.verdict().message());
        assertTrue(second.shared.plan().limits().isEmpty(), "its pods wait");
        first.fleet.pods.values().forEach(p -> p.drainLeft = 0);
        first.round();
        first.round();
        assertEquals(ShareState.FITS, second.shared.verdict().state(), second.shared.verdict().message());
        server.deploy();
        assertEquals(3, second.fleet.pods.size());
        assertEquals(List.of(), server.violations);
    }

    @Test
    void connectionsOfARegistryNobodyKnowsAreForeignAndALeavingOneStaysCountedWhileItDrains() {
        SimulatedServer server = new SimulatedServer(MAX, false);
        SimulatedServer.Member a = member(server, "a", 1, 5);
        a.join();
        ServerShares shares = server.shares();
        assertEquals(57, shares.available());
        a.shared.update(new ServerSnapshot(SimulatedServer.SERVER, server.snapshot().limits(), Map.of("a", 4, "stranger", 6)),
                a.claim, Duration.ofSeconds(45));
        assertEquals(51, shares.available(), "the stranger's 6 are foreign, a's own 4 are in its share");
        long held = shares.committed();
        a.shared.leave(Duration.ofSeconds(45));
        assertEquals(held, shares.committed(), "counted while its pods drain");
        assertEquals(ShareState.LEAVING, a.shared.verdict().state());
        server.clock.advance(Duration.ofSeconds(46));
        SimulatedServer.Member b = member(server, "b", 1, 5);
        b.join();
        assertEquals(List.of("b"), shares.shares().stream().map(RegistryShare::registry).toList());
    }

    @Test
    void aFleetWithoutARebalancerStaysCountedAtItsOldFloorsUntilItsOwnerConfirms() {
        SimulatedServer server = new SimulatedServer(MAX, false);
        SimulatedServer.Member fixed = server.add(SimulatedServer.claim("fixed", 1, 0, 3, 0, 2, 20, 100, false), 5);
        fixed.join();
        server.deploy();
        FleetLimits before = fixed.shared.plan().limits().orElseThrow();
        assertEquals(55, before.available(), "alone: the whole server, all of it guaranteed");
        assertEquals(18, before.floor());
        SimulatedServer.Member other = member(server, "other", 1, 5);
        other.join();
        assertTrue(share(server, "fixed").counted() >= 54, "its pods still hold 3 x 18: " + server.shares().shares());
        assertEquals(ShareState.PENDING, other.shared.verdict().state());
        fixed.round(); // rolled out at the lower floor, then confirmed
        assertEquals(ShareState.FITS, other.shared.verdict().state(), other.shared.verdict().message());
        assertEquals(List.of(), server.violations);
    }

    private static RegistryShare share(SimulatedServer server, String registry) {
        return share(server.shares(), registry);
    }

    private static RegistryShare share(ServerShares shares, String registry) {
        return shares.shares().stream().filter(s -> s.registry().equals(registry)).findFirst().orElseThrow();
    }
}
