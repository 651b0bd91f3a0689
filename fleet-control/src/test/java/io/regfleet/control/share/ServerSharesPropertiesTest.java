package io.regfleet.control.share;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For every server, every set of Registries on it and every interleaving of their rebalancers' rounds (one round may
 * read its share, then wait while another fleet's whole round runs and the shares move), with load moving, pods
 * going silent or holding connections over a lowered maximum, Registries joining late, pods added and foreign
 * connections coming and going: while the server's limit does not fall, its Registries never hold more than it leaves
 * them, at any instant; when it falls, no rebalancer raises a pod while they are over it. Either way the shares never
 * raise a Registry while what they count is over (which only a fall of the limit or pods outside every rebalancer's
 * control, silent or never heard from, can cause).
 */
class ServerSharesPropertiesTest {
    /** One step of the interleaving: {@code kind} picks what happens, the numbers pick to whom and how much. */
    record Step(int kind, int member, int other, int amount) {
    }

    /** The step kind in which one fleet's round reads its share, then waits while another's whole round runs. */
    private static final int PREEMPTED = 2;

    record Scenario(int maxConnections, List<ShareClaim> claims, List<Integer> loads, List<Step> steps) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<ShareClaim> claim = Combinators.combine(
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 12),
                Arbitraries.integers().between(1, 4), Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(4, 20),
                Arbitraries.integers().between(20, 100), Arbitraries.integers().between(0, 4))
                .as((weight, minimum, replicas, surge, perPodMinimum, extra, floorPercent, kind) ->
                        SimulatedServer.claim("r", weight, minimum < 6 ? 0 : minimum, replicas, surge, perPodMinimum,
                                perPodMinimum + extra, floorPercent, kind != 0));
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 40))
                .as(Step::new);
        return Combinators.combine(Arbitraries.integers().between(20, 120), claim.list().ofMinSize(2).ofMaxSize(4),
                        Arbitraries.integers().between(0, 40).list().ofSize(4), step.list().ofMinSize(5).ofMaxSize(40))
                .as(Scenario::new);
    }

    @Property(tries = 1000)
    void whileTheServersLimitHoldsTheRegistriesNeverHoldMoreThanItLeavesThem(@ForAll("scenarios") Scenario scenario) {
        run(scenario, false);
    }

    @Property(tries = 1000)
    void whenTheLimitFallsNothingIsRaisedUntilTheRegistriesAreBackUnderIt(@ForAll("scenarios") Scenario scenario) {
        run(scenario, true);
    }

    private static void run(Scenario scenario, boolean limitMayFall) {
        SimulatedServer server = new SimulatedServer(scenario.maxConnections(), limitMayFall);
        for (int i = 0; i < scenario.claims().size(); i++) {
            ShareClaim c = scenario.claims().get(i);
            server.add(new ShareClaim("registry-" + i, "registry-" + i, c.weight(), c.minimum(), c.rebalanced(), c.plan()),
                    scenario.loads().get(i));
        }
        // two join at once, the others when a step says so
        server.members.get(0).join();
        server.members.get(1).join();
        for (Step s : scenario.steps()) {
            Map<String, Integer> before = granted(server);
            apply(server, s);
            server.deploy();
            // (a step with a preempted round holds two rounds: a raise between them may fit, and the second go over)
            if (!server.shares().holds() && s.kind() != PREEMPTED) {
                Map<String, Integer> after = granted(server);
                after.forEach((registry, share) -> assertTrue(share <= before.getOrDefault(registry, 0),
                        () -> registry + " raised while the server is over: " + server.shares().shares()));
            }
            assertEquals(List.of(), server.violations);
        }
    }

    private static Map<String, Integer> granted(SimulatedServer server) {
        return server.shares().shares().stream().collect(Collectors.toMap(RegistryShare::registry, RegistryShare::share));
    }

    private static void apply(SimulatedServer server, Step s) {
        List<SimulatedServer.Member> joined = server.members.stream().filter(SimulatedServer.Member::joined).toList();
        SimulatedServer.Member m = joined.get(s.member() % joined.size());
        SimulatedServer.Member other = joined.get(s.other() % joined.size());
        var pod = m.fleet.pods.values().stream().skip(s.amount() % Math.max(1, m.fleet.pods.size())).findFirst();
        switch (s.kind()) {
            case 0, 1 -> m.round();
            case PREEMPTED -> {
                m.preempt.add(other::round);
                m.round();
            }
            case 3 -> {
                m.load = s.amount();
                m.fleet.pods.values().forEach(p -> p.load = s.amount());
            }
            case 4 -> pod.ifPresent(p -> p.answering = !p.answering);
            case 5 -> pod.ifPresent(p -> {
                p.stuck = p.mostHeld();
                p.drainLeft = s.amount() % 4;
            });
            case 6 -> server.foreign(s.amount() % 12);
            case 7 -> server.members.stream().filter(x -> !x.joined()).findFirst().ifPresent(SimulatedServer.Member::join);
            case 8 -> server.clock.advance(Duration.ofSeconds(s.amount()));
            default -> m.fleet.pods.values().forEach(p -> p.answering = true);
        }
    }
}
