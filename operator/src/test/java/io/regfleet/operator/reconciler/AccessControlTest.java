package io.regfleet.operator.reconciler;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.dev.auth.LocalCa;
import io.regfleet.fleet.PodContract;
import io.regfleet.operator.MockClusterTestBase;
import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.AccessAction;
import io.regfleet.operator.api.v1alpha1.AccessGrant;
import io.regfleet.operator.api.v1alpha1.AuthSpec;
import io.regfleet.operator.api.v1alpha1.IssuerReference;
import io.regfleet.operator.api.v1alpha1.OidcSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions;
import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.operator.api.v1alpha1.TlsSpec;
import io.regfleet.operator.certmanager.Certificate;
import io.regfleet.operator.certmanager.CertificateStatus;
import io.regfleet.operator.naming.FleetNames;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * spec.auth and spec.tls (with a certificate Secret) end to end on the operator's side: the files the serving pods
 * mount and the settings that name them, the token key the operator makes once, the rules ConfigMap, and the
 * conditions that say when what the spec names is unusable. Same setup as RegistryReconcilerTest (one application).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(S3ProxyResource.class)
class AccessControlTest extends MockClusterTestBase {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String JWKS = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k1\","
            + "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\",\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}]}";

    @Test
    void accessControlAndTlsReachTheServingPodsAsMountedFiles() {
        String ns = namespace("auth-on");
        secret(ns, "users", Map.of(PodContract.USERS_KEY, htpasswd("alice", "ci-robot")));
        secret(ns, "issuer-keys", Map.of(PodContract.JWKS_KEY, JWKS));
        LocalCa.PemPair server = LocalCa.create("Test CA", Duration.ofDays(2)).issuePem("127.0.0.1", "localhost");
        secret(ns, "serving", Map.of(PodContract.TLS_CERT_KEY, server.certificate(), PodContract.TLS_KEY_KEY, server.key()));
        Registry spec = SampleRegistries.onS3(ns, "guarded");
        spec.getSpec().auth = auth("users");
        spec.getSpec().auth.realm = "https://registry.example.com/token";
        spec.getSpec().auth.oidc = new OidcSpec();
        spec.getSpec().auth.oidc.issuer = "https://issuer.example.com";
        spec.getSpec().auth.oidc.audience = "registry";
        spec.getSpec().auth.oidc.jwksSecret = "issuer-keys";
        spec.getSpec().tls = new TlsSpec();
        spec.getSpec().tls.secretName = "serving";
        Registry registry = deployed(spec);

        Deployment deployment = awaitDeployment(ns, "guarded");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertEquals("true", env(c, "REGFLEET_AUTH_ENABLED"));
        assertEquals(PodContract.USERS_FILE, env(c, "REGFLEET_AUTH_USERS_FILE"));
        assertEquals(PodContract.ACCESS_RULES_FILE, env(c, "REGFLEET_AUTH_RULES_FILE"));
        assertEquals(PodContract.SIGNING_KEY_FILE, env(c, "REGFLEET_AUTH_SIGNING_KEY_FILE"));
        assertEquals(PodContract.VERIFY_KEYS_FILE, env(c, "REGFLEET_AUTH_VERIFY_KEY_FILE"));
        assertEquals("https://registry.example.com/token", env(c, "REGFLEET_AUTH_REALM"));
        assertEquals("https://issuer.example.com", env(c, "REGFLEET_AUTH_OIDC_ISSUER"));
        assertEquals("registry", env(c, "REGFLEET_AUTH_OIDC_AUDIENCE"));
        assertEquals(PodContract.JWKS_FILE, env(c, "REGFLEET_AUTH_OIDC_JWKS_FILE"));
        assertEquals(PodContract.TLS_CERT_FILE, env(c, "REGFLEET_TLS_CERT_FILE"));
        assertEquals(PodContract.TLS_KEY_FILE, env(c, "REGFLEET_TLS_KEY_FILE"));
        // each file from a whole Secret volume (never subPath): the kubelet swaps a rotated Secret in, the runtime re-reads it
        assertEquals("users", secretOf(pod, mount(c, PodContract.USERS_DIR)));
        assertEquals("guarded-token-key", secretOf(pod, mount(c, PodContract.SIGNING_DIR)));
        assertEquals("issuer-keys", secretOf(pod, mount(c, PodContract.OIDC_DIR)));
        assertEquals("serving", secretOf(pod, mount(c, PodContract.TLS_DIR)));
        assertEquals("guarded-rules", volume(pod, mount(c, PodContract.RULES_DIR)).getConfigMap().getName());
        assertTrue(c.getVolumeMounts().stream().allMatch(m -> m.getSubPath() == null), "no subPath mount: it would never be updated");
        // the API port speaks HTTPS; the management port (probes, metrics, the agent) stays plain
        assertEquals(List.of("https", "management"), c.getPorts().stream().map(p -> p.getName()).toList());
        assertEquals("https", client.services().inNamespace(ns).withName("guarded").get().getSpec().getPorts().get(0).getAppProtocol());
        assertEquals("management", c.getReadinessProbe().getHttpGet().getPort().getStrVal());

        // the grants as the runtime's rules file
        Map<?, ?> rules = yaml(client.configMaps().inNamespace(ns).withName("guarded-rules").get().getData().get(PodContract.ACCESS_RULES_KEY));
        assertEquals(List.of("public/**"), rules.get("anonymous"));
        assertEquals(Map.of("library/**", List.of("pull")), rules.get("authenticated"));
        assertEquals(Map.of("alice", Map.of("**", List.of("*")), "ci-robot", Map.of("team/*", List.of("pull", "push"))), rules.get("users"));
        assertEquals(Map.of("platform", Map.of("**", List.of("pull", "push", "delete"))), rules.get("groups"));

        // the operator's token key: an ES256 key pair, owned by the Registry
        Secret key = client.secrets().inNamespace(ns).withName("guarded-token-key").get();
        assertEquals(registry.getMetadata().getUid(), key.getMetadata().getOwnerReferences().get(0).getUid());
        PemContent signing = PemContent.of(value(key, PodContract.SIGNING_KEY_KEY));
        ECPrivateKey privateKey = (ECPrivateKey) signing.privateKey().orElseThrow();
        assertEquals(256, privateKey.getParams().getCurve().getField().getFieldSize());
        assertTrue(PemContent.pair(privateKey, PemContent.of(value(key, PodContract.VERIFY_KEYS_KEY)).publicKeys().get(0)),
                "the first verify key is the signing key's public key");

        Registry ready = awaitCondition(ns, "guarded", RegistryConditions.ACCESS_CONTROL_READY, "True", Reasons.ACCESS_CONTROL_CONFIGURED);
        assertTrue(message(ready, RegistryConditions.ACCESS_CONTROL_READY).contains("2 users in Secret users"),
                message(ready, RegistryConditions.ACCESS_CONTROL_READY));
        Condition tls = ready.getStatus().condition(RegistryConditions.TLS_READY).orElseThrow();
        assertEquals(Reasons.CERTIFICATE_VALID, tls.getReason());
        assertTrue(tls.getMessage().contains("localhost"), tls.getMessage());

        // a rotated users Secret is re-checked but rolls no pod; the token key stays as it was made
        String hash = configHash(ns, "guarded");
        secret(ns, "users", Map.of(PodContract.USERS_KEY, htpasswd("alice", "ci-robot", "bob")));
        awaitMessage(ns, "guarded", RegistryConditions.ACCESS_CONTROL_READY, "3 users in Secret users");
        assertEquals(hash, configHash(ns, "guarded"), "a users Secret is a mounted file the pods re-read: no restart");
        Registry edited = editRegistry(ns, "guarded", r -> {
            r.getSpec().auth.anonymousPull = List.of("public/**", "docs/**");
            return r;
        });
        await().atMost(WAIT).until(() -> client.configMaps().inNamespace(ns).withName("guarded-rules").get().getData()
                .get(PodContract.ACCESS_RULES_KEY).contains("docs/**"));
        await().atMost(WAIT).until(() -> edited.getMetadata().getGeneration().equals(
                client.resources(Registry.class).inNamespace(ns).withName("guarded").get().getStatus().observedGeneration));
        assertEquals(hash, configHash(ns, "guarded"), "changed access rules reach the pods as a file: no restart");
        Secret keyAfter = client.secrets().inNamespace(ns).withName("guarded-token-key").get();
        assertEquals(value(key, PodContract.SIGNING_KEY_KEY), value(keyAfter, PodContract.SIGNING_KEY_KEY), "made once, kept");
        assertEquals(key.getMetadata().getResourceVersion(), keyAfter.getMetadata().getResourceVersion());
    }

    @Test
    void aRegistryWithoutAuthServesPlainHttpWithNoAuthFiles() {
        deployed(SampleRegistries.onS3("auth-off", "open"));
        Container c = awaitDeployment("auth-off", "open").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(c.getEnv().stream().noneMatch(e -> e.getName().startsWith("REGFLEET_AUTH_") || e.getName().startsWith("REGFLEET_TLS_")),
                "no access control nor TLS settings: " + c.getEnv());
        assertEquals(List.of("http", "management"), c.getPorts().stream().map(p -> p.getName()).toList());
        assertTrue(client.configMaps().inNamespace("auth-off").withName("open-rules").get().getData() == null
                || client.configMaps().inNamespace("auth-off").withName("open-rules").get().getData().isEmpty());
        Registry status = awaitCondition("auth-off", "open", RegistryConditions.ACCESS_CONTROL_READY, "True", Reasons.ACCESS_CONTROL_OFF);
        assertEquals(Reasons.TLS_OFF, status.getStatus().condition(RegistryConditions.TLS_READY).orElseThrow().getReason());
    }

    @Test
    void unusableSecretsShowInConditionsAndBlockTheRollout() {
        String ns = namespaceWithDatabase("auth-bad");
        LocalCa.PemPair server = LocalCa.create("Test CA", Duration.ofDays(2)).issuePem("127.0.0.1", "localhost");
        LocalCa.PemPair other = LocalCa.create("Other CA", Duration.ofDays(2)).issuePem("127.0.0.1", "localhost");
        secret(ns, "no-key", Map.of("passwords", htpasswd("alice")));
        secret(ns, "plain", Map.of(PodContract.USERS_KEY, "alice:secret\nbob:{SHA}fEqNCco3Yq9h5ZUglD3CZJT4lBs=\n"));
        secret(ns, "not-jwks", Map.of(PodContract.JWKS_KEY, "{\"issuer\":\"https://issuer.example.com\"}"));
        secret(ns, "good-users", Map.of(PodContract.USERS_KEY, htpasswd("alice")));
        secret(ns, "mismatch", Map.of(PodContract.TLS_CERT_KEY, server.certificate(), PodContract.TLS_KEY_KEY, other.key()));
        secret(ns, "garbage", Map.of(PodContract.TLS_CERT_KEY, "not a certificate", PodContract.TLS_KEY_KEY, server.key()));

        create(ns, "missing", r -> r.getSpec().auth = auth("nowhere"));
        create(ns, "keyless", r -> r.getSpec().auth = auth("no-key"));
        create(ns, "cleartext", r -> r.getSpec().auth = auth("plain"));
        create(ns, "badjwks", r -> {
            r.getSpec().auth = auth("good-users");
            r.getSpec().auth.oidc = new OidcSpec();
            r.getSpec().auth.oidc.issuer = "https://issuer.example.com";
            r.getSpec().auth.oidc.jwksSecret = "not-jwks";
        });
        create(ns, "otherkey", r -> r.getSpec().tls = tls("mismatch"));
        create(ns, "nocert", r -> r.getSpec().tls = tls("garbage"));

        expectUnmet(ns, "missing", RegistryConditions.ACCESS_CONTROL_READY, Reasons.SECRET_NOT_FOUND, "Secret nowhere not found");
        expectUnmet(ns, "keyless", RegistryConditions.ACCESS_CONTROL_READY, Reasons.SECRET_KEY_MISSING, "lacks key(s) htpasswd");
        expectUnmet(ns, "cleartext", RegistryConditions.ACCESS_CONTROL_READY, Reasons.USERS_UNPARSABLE, "lines 1, 2 not in that form");
        expectUnmet(ns, "badjwks", RegistryConditions.ACCESS_CONTROL_READY, Reasons.JWKS_UNPARSABLE, "is not a JWKS");
        expectUnmet(ns, "otherkey", RegistryConditions.TLS_READY, Reasons.CERTIFICATE_KEY_MISMATCH, "is not the key of the first certificate");
        expectUnmet(ns, "nocert", RegistryConditions.TLS_READY, Reasons.CERTIFICATE_UNPARSABLE, "holds no PEM certificate");

        // fixed in place: the Secret's change re-reconciles, the rollout goes on
        secret(ns, "plain", Map.of(PodContract.USERS_KEY, htpasswd("alice")));
        awaitCondition(ns, "cleartext", RegistryConditions.ACCESS_CONTROL_READY, "True", Reasons.ACCESS_CONTROL_CONFIGURED);
        await().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                .anyMatch(j -> j.getMetadata().getName().startsWith("cleartext-migrate-")));
    }

    @Test
    void aCertificateIsRequestedOnlyWhereCertManagerIsInstalled() {
        String ns = namespaceWithDatabase("cert-manager");
        var crds = client.apiextensions().v1().customResourceDefinitions();
        crds.withName(Certificate.CRD).delete(); // another test may have installed it
        await().atMost(WAIT).until(() -> crds.withName(Certificate.CRD).get() == null);
        create(ns, "issued", r -> {
            r.getSpec().tls = new TlsSpec();
            r.getSpec().tls.issuerRef = new IssuerReference();
            r.getSpec().tls.issuerRef.name = "letsencrypt";
            r.getSpec().tls.issuerRef.kind = "ClusterIssuer";
            r.getSpec().tls.dnsNames = List.of("registry.example.com");
        });
        expectUnmet(ns, "issued", RegistryConditions.TLS_READY, Reasons.CERT_MANAGER_NOT_INSTALLED, Certificate.CRD + " is not in the cluster");
        assertNull(client.resources(Certificate.class).inNamespace(ns).withName("issued").get());

        installCrd("cert-manager.io", "Certificate", "certificates");
        // CRDs are not watched: the next reconciliation (a spec change here, else the periodic recheck) finds it
        editRegistry(ns, "issued", r -> {
            r.getSpec().readOnly = true;
            return r;
        });
        Certificate certificate = await().atMost(WAIT).until(() -> client.resources(Certificate.class).inNamespace(ns)
                .withName("issued").get(), c -> c != null);
        assertEquals("issued-tls", certificate.getSpec().secretName);
        assertEquals(List.of("issued", "issued.cert-manager", "issued.cert-manager.svc", "issued.cert-manager.svc.cluster.local",
                "registry.example.com"), certificate.getSpec().dnsNames);
        assertEquals(Map.of("name", "letsencrypt", "kind", "ClusterIssuer", "group", "cert-manager.io"), certificate.getSpec().issuerRef);
        assertEquals("Registry", certificate.getMetadata().getOwnerReferences().get(0).getKind());
        awaitCondition(ns, "issued", RegistryConditions.TLS_READY, "False", Reasons.CERTIFICATE_NOT_READY);

        // the migration and the pods go ahead: new pods wait for the Secret cert-manager writes
        completeJob(awaitJob(ns, client.resources(Registry.class).inNamespace(ns).withName("issued").get()), true);
        PodSpec pod = awaitDeployment(ns, "issued").getSpec().getTemplate().getSpec();
        assertEquals("issued-tls", secretOf(pod, mount(pod.getContainers().get(0), PodContract.TLS_DIR)));

        // cert-manager's controller, played here: issued
        client.resources(Certificate.class).inNamespace(ns).withName("issued").editStatus(c -> {
            c.setStatus(new CertificateStatus());
            c.getStatus().conditions = List.of(new ConditionBuilder().withType("Ready").withStatus("True")
                    .withReason("Ready").withLastTransitionTime(Instant.now().toString()).build());
            c.getStatus().notAfter = "2027-02-28T01:00:00Z";
            return c;
        });
        Registry issued = awaitCondition(ns, "issued", RegistryConditions.TLS_READY, "True", Reasons.CERTIFICATE_ISSUED);
        assertTrue(message(issued, RegistryConditions.TLS_READY).contains("valid until 2027-02-28T01:00:00Z"));

        // issuerRef gone: the Certificate goes (its Secret, cert-manager's, stays)
        editRegistry(ns, "issued", r -> {
            r.getSpec().tls = null;
            return r;
        });
        await().atMost(WAIT).until(() -> client.resources(Certificate.class).inNamespace(ns).withName("issued").get() == null);
        awaitCondition(ns, "issued", RegistryConditions.TLS_READY, "True", Reasons.TLS_OFF);
    }

    // --- helpers

    /** Users alice and ci-robot (or those named), grants for each kind of subject, anonymous pull of public/**. */
    private static AuthSpec auth(String usersSecret) {
        AuthSpec auth = new AuthSpec();
        auth.usersSecret = usersSecret;
        auth.anonymousPull = List.of("public/**");
        auth.access = List.of(
                grant(List.of("**"), List.of(AccessAction.ALL), g -> g.users = List.of("alice")),
                grant(List.of("team/*"), List.of(AccessAction.PULL, AccessAction.PUSH), g -> g.users = List.of("ci-robot")),
                grant(List.of("library/**"), List.of(AccessAction.PULL), g -> g.authenticated = true),
                grant(List.of("**"), List.of(AccessAction.PULL, AccessAction.PUSH, AccessAction.DELETE), g -> g.groups = List.of("platform")));
        return auth;
    }

    private static AccessGrant grant(List<String> repositories, List<AccessAction> actions, java.util.function.Consumer<AccessGrant> to) {
        AccessGrant grant = new AccessGrant();
        grant.repositories = repositories;
        grant.actions = actions;
        to.accept(grant);
        return grant;
    }

    private static TlsSpec tls(String secret) {
        TlsSpec tls = new TlsSpec();
        tls.secretName = secret;
        return tls;
    }

    /** An htpasswd file as {@code htpasswd -B} writes it (bcrypt, cost 4: fast, and the runtime reads any cost). */
    static String htpasswd(String... users) {
        StringBuilder file = new StringBuilder();
        for (String user : users) {
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            file.append(user).append(':').append(OpenBSDBCrypt.generate(("pw-" + user).toCharArray(), salt, 4)).append('\n');
        }
        return file.toString();
    }

    private void secret(String ns, String name, Map<String, String> data) {
        client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withStringData(data).build()).createOr(s -> s.update());
    }

    private void create(String ns, String name, java.util.function.Consumer<Registry> edit) {
        Registry registry = SampleRegistries.onS3(ns, name);
        edit.accept(registry);
        client.resource(registry).create();
    }

    /** The condition is False for that reason, says so briefly, and nothing is deployed. */
    private void expectUnmet(String ns, String name, String type, String reason, String saying) {
        Registry r = awaitCondition(ns, name, type, "False", reason);
        String message = message(r, type);
        assertTrue(message.contains(saying), message);
        assertFalse(message.contains("Exception") || message.contains("\tat ") || message.contains("\n"), "no stack trace: " + message);
        assertTrue(message.length() < 300, message);
        Condition ready = r.getStatus().condition(RegistryConditions.READY).orElseThrow();
        assertEquals(Reasons.PREREQUISITES_NOT_MET, ready.getReason());
        assertTrue(ready.getMessage().contains(type), ready.getMessage());
        assertNull(client.apps().deployments().inNamespace(ns).withName(name).get());
        assertTrue(client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                .noneMatch(j -> j.getMetadata().getName().startsWith(name + "-migrate-")), "nothing deployed for " + name);
    }

    private void awaitMessage(String ns, String name, String type, String saying) {
        await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(ns).withName(name).get(),
                r -> r.getStatus() != null && r.getStatus().condition(type).map(Condition::getMessage).orElse("").contains(saying));
    }

    private String configHash(String ns, String name) {
        return client.apps().deployments().inNamespace(ns).withName(name).get().getSpec().getTemplate().getMetadata()
                .getAnnotations().get(FleetNames.CONFIG_HASH_ANNOTATION);
    }

    private static String message(Registry r, String type) {
        return r.getStatus().condition(type).orElseThrow().getMessage();
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in the container's env"));
    }

    private static VolumeMount mount(Container c, String path) {
        return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }

    private static Volume volume(PodSpec pod, VolumeMount mount) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
    }

    private static String secretOf(PodSpec pod, VolumeMount mount) {
        assertTrue(mount.getReadOnly());
        return volume(pod, mount).getSecret().getSecretName();
    }

    private static String value(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().containsKey(key)) {
            return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
        }
        return secret.getStringData().get(key);
    }

    private static Map<?, ?> yaml(String text) {
        try {
            return new YAMLMapper().readValue(text, Map.class);
        } catch (java.io.IOException e) {
            throw new AssertionError("not YAML: " + text, e);
        }
    }
}
